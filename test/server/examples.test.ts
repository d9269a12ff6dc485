/** The sample AdmissionReviews in examples/ (used by the README's curl example) get the answers they promise. */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { answerView, apiServerProblems } from '../helpers/api-server-checks.js';
import { webhookUnderTest } from '../helpers/webhook-under-test.js';

const examples = new URL('../../examples/', import.meta.url);

const expectations: Record<string, { allowed: boolean; message?: RegExp; warnings: RegExp[] }> = {
  'deployment-bad-image.json': {
    allowed: false,
    message: /container "app" \(spec\.template\.spec\.containers\[0\]\.image\): "Shop\/Web:1\.4\.2"/,
    warnings: [],
  },
  'pod-nginx-latest.json': { allowed: true, warnings: [/^container "nginx": "nginx" has no tag and pulls :latest/] },
  'cronjob.json': { allowed: true, warnings: [/^container "report": "ghcr\.io\/acme\/report:latest" uses :latest/] },
  'update-unchanged-image.json': { allowed: true, warnings: [] },
};

t.test('each example gets the answer the examples README promises', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const [file, expected] of Object.entries(expectations)) {
    const body = await readFile(new URL(file, examples), 'utf8');
    const uid = (JSON.parse(body) as { request: { uid: string } }).request.uid;
    const res = await hook.app.inject({
      method: 'POST',
      url: '/validate?timeout=10s',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    t.same(
      apiServerProblems({ statusCode: res.statusCode, body: res.body }, uid),
      [],
      `${file}: accepted by the API server`,
    );
    const answer = answerView(res.body);
    t.equal(answer.allowed, expected.allowed, `${file}: allowed=${expected.allowed}`);
    if (expected.message) t.match(answer.message, expected.message, `${file}: message`);
    t.match(answer.warnings, expected.warnings, `${file}: warnings`);
    t.equal(answer.warnings.length, expected.warnings.length, `${file}: warning count`);
  }
});

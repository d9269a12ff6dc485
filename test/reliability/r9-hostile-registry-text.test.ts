/**
 * Nothing from a registry reaches a user verbatim. A registry that reflects the Authorization header (Basic, and
 * the Bearer token its realm issued) into every header, body, tag name, digest, media type, platform, Location
 * and WWW-Authenticate parameter must not get the planted password, its base64 or the token into the admission
 * response, the logs or the metrics, nor into any Resolution (which `pullguard check` prints, digest included).
 * The checks ignore case: host names come back lower-cased.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildConfig } from '../../src/config/load-config.js';
import { parseImageReference } from '../../src/image/reference.js';
import { createImageResolver, type LookupFunction } from '../../src/resolver/image-resolver.js';
import { admissionReview, deployment, startWebhookUnderTest, type ReviewAnswer } from '../helpers/engine-webhook.js';
import { json, startLoopbackServer } from './support/loopback-servers.js';
import { countProcessFailures } from './support/process-guards.js';
import { REFLECT_SCENARIOS, startReflectingRegistry, type ReflectScenario } from './support/reflecting-registry.js';

/**
 * A password whose `alice:<password>` base64 is letters and digits only: it passes as a tag, a DNS label, a digest.
 * 33 characters in all, so no `=` padding; about one draw in 20 has no `+` or `/`.
 */
function plantedPassword(): string {
  for (let draw = 0; draw < 10_000; draw++) {
    const password = `Planted${randomBytes(10).toString('hex')}`;
    if (/^[A-Za-z0-9]+$/.test(Buffer.from(`alice:${password}`).toString('base64'))) return password;
  }
  throw new Error('no suitable planted password drawn');
}
const PASSWORD = plantedPassword();
const BASE64 = Buffer.from(`alice:${PASSWORD}`).toString('base64');
const TOKEN = `PlantedToken${randomBytes(9).toString('hex')}`;
const PLANTED = [PASSWORD, BASE64, TOKEN, `alice:${PASSWORD}`].map((s) => s.toLowerCase());
/** Every 10-character piece of a planted secret: a truncated warning must not leak the start of one either. */
const PIECES = [
  ...new Set(PLANTED.flatMap((secret) => Array.from({ length: secret.length - 9 }, (_, i) => secret.slice(i, i + 10)))),
];
const leaks = (text: string) => {
  const lower = text.toLowerCase();
  return PIECES.filter((piece) => lower.includes(piece));
};

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

// Where a reflected realm or redirect host would land: the fake DNS answers 0.0.0.0, which reaches this sink.
const sink = await startLoopbackServer((_req, res) => json(res, 200, { token: 'sink' }));
const registries = {
  basic: await startReflectingRegistry({
    mode: 'basic',
    token: TOKEN,
    reflectedHostSuffix: 'reflect.test',
    sinkPort: sink.port,
  }),
  bearer: await startReflectingRegistry({
    mode: 'bearer',
    token: TOKEN,
    reflectedHostSuffix: 'reflect.test',
    sinkPort: sink.port,
  }),
};
t.teardown(() => Promise.all([sink, ...Object.values(registries)].map((s) => s.close())));
const lookup: LookupFunction = async (hostname) => {
  if (hostname.endsWith('.reflect.test')) return [{ address: '0.0.0.0', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

const scratch = await mkdtemp(join(tmpdir(), 'pullguard-r9-'));
t.teardown(() => rm(scratch, { recursive: true, force: true }));
const dockerConfig = join(scratch, 'config.json');
await writeFile(
  dockerConfig,
  JSON.stringify({
    auths: Object.fromEntries(
      Object.values(registries).map((r) => [r.host, { username: 'alice', password: PASSWORD }]),
    ),
  }),
);
const rawConfig = {
  registries: [{ host: '127.0.0.1:*', plainHttp: true }],
  credentials: { kubernetes: false, dockerConfig },
  platforms: ['linux/amd64'],
  network: { requestTimeout: '1s', budget: '3s' },
};

/** Scenario → what the webhook makes of it (the finding classes), for both registries unless noted. */
const EXPECTED: Record<ReflectScenario, string[]> = {
  missing: ['notFound'],
  ratelimit: ['rateLimited'],
  error: ['unreachable'],
  digest: [],
  mediatype: [],
  platform: [],
  refused: ['notFound'], // bearer: the realm refuses instead (see below)
  tokenecho: ['notFound'],
  redirect: ['unreachable'],
  challenge: ['unauthorized'], // a challenge echoing the credential is not answered: the 401 stands
  decoded: ['unreachable'], // a realm named after the password: refused by the guard, its host not shown
};

t.test('through the webhook: responses, logs and metrics carry no planted secret', async (t) => {
  const webhook = await startWebhookUnderTest({ config: rawConfig, lookup });
  t.teardown(() => webhook.close());
  const answers: ReviewAnswer[] = [];
  for (const [mode, registry] of Object.entries(registries)) {
    for (const scenario of REFLECT_SCENARIOS) {
      const answer = await webhook.review(admissionReview(deployment('r9', [`${registry.host}/${scenario}/app:2.0`])));
      answers.push(answer);
      t.equal(answer.statusCode, 200, `${mode} ${scenario}: answered`);
      const findings = answer.body.response?.auditAnnotations?.findings;
      const classes = (findings ? JSON.parse(findings) : [])
        .map((f: { class: string }) => f.class)
        .filter((c: string) => c !== 'latestTag');
      const expected = mode === 'bearer' && scenario === 'refused' ? ['unauthorized'] : EXPECTED[scenario];
      t.same(classes, expected, `${mode} ${scenario}: ${expected.join(', ') || 'found'}`);
      t.same(leaks(answer.raw), [], `${mode} ${scenario}: nothing planted in the response`);
      if (expected[0] === 'notFound')
        t.match(
          answer.body.response?.status?.message ?? '',
          /Closest tags: 1\.0\./,
          `${mode} ${scenario}: real tags are still suggested`,
        );
    }
  }
  t.same(leaks(webhook.logs()), [], 'nothing planted in the logs');
  t.same(leaks(await webhook.metrics()), [], 'nothing planted in the metrics');
  t.ok(
    registries.bearer.requests().some((r) => r.headers.authorization === `Bearer ${TOKEN}`),
    'the planted token was issued and used',
  );
  t.ok(
    registries.basic.requests().some((r) => r.headers.authorization === `Basic ${BASE64}`),
    'the planted password was sent',
  );
  t.equal(sink.connections(), 0, 'no reflected realm or redirect host was contacted, so no credential went there');
  t.equal(failures.unhandledRejections() + failures.uncaughtExceptions(), 0, failures.describe());
});

t.test('through the resolver: no Resolution carries a planted secret (digest and media type included)', async (t) => {
  const built = buildConfig(rawConfig);
  if (!built.ok) throw new Error(built.problems.join('; '));
  const resolver = createImageResolver({ config: built.config, lookup });
  t.teardown(() => resolver.close());
  const credentials = [{ username: 'alice', password: PASSWORD, source: 'docker config' }];
  for (const [mode, registry] of Object.entries(registries)) {
    for (const scenario of REFLECT_SCENARIOS) {
      const parsed = parseImageReference(`${registry.host}/${scenario}/app:2.0`);
      if (!parsed.ok) throw new Error(parsed.reason);
      const resolution = await resolver.resolve({
        reference: parsed.reference,
        credentials,
        signal: AbortSignal.timeout(5000),
        wantIndex: true,
      });
      t.same(leaks(JSON.stringify(resolution)), [], `${mode} ${scenario}: ${resolution.outcome}, nothing planted`);
      if (scenario === 'digest' || scenario === 'mediatype' || scenario === 'platform') {
        t.equal(resolution.outcome, 'found', `${mode} ${scenario}: still found, only the hostile text is gone`);
      }
    }
  }
});

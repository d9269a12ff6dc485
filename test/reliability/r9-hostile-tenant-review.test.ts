/**
 * R9: the review as a hostile tenant would test it, on real parts (the Distribution registry, a hanging fault
 * server, the fake Kubernetes API through client-node, POST /validate):
 *
 * - images on a hanging registry, listed first, never starve an image on another registry: the budget is shared
 *   per registry, and a missing image listed last is still denied inside the API server's timeout;
 * - the namespace's pullguard.io/mode label gives the same verdict class whether it was cached or read slowly;
 *   `off` skips (with no registry request once the label is known: watched, or cached); an unreadable label
 *   softens denials into warnings that say why, never falling back to enforce; a watched label needs no read and a
 *   relabel takes effect at once;
 * - an unexpected error in one image's check fails that image (a warning naming it), never the whole review.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { buildConfig } from '../../src/config/load-config.js';
import { loggerOptions } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { exemptMatcher, staticCheck } from '../../src/policy/static-findings.js';
import { createImageResolver } from '../../src/resolver/image-resolver.js';
import { createReviewer } from '../../src/review/review-object.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { pushImage, startFaultServer, startRegistry } from '../harness/registry/index.js';
import { apiServerProblems, answerView, type AdmissionAnswerView } from '../helpers/api-server-checks.js';
import { admissionReview, pod, startWebhookUnderTest, type ReviewAnswer } from '../helpers/engine-webhook.js';
import { slowRegistryHandler, startLoopbackServer } from './support/loopback-servers.js';
import { countProcessFailures } from './support/process-guards.js';

const API_SERVER_TIMEOUT_MS = 3000;

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const hang = await startFaultServer('hang');
t.teardown(() => hang.close());
const reg = await startRegistry({ mode: 'plain' });
t.teardown(() => reg.stop());
await pushImage(reg, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
const MISSING = `${reg.host}/team/app:9.9`;
const registries = [{ host: '127.0.0.1:*', plainHttp: true }];

type Verdict = 'deny' | 'warn' | 'allow';

/** Checks the answer the way the API server would, and returns it with its verdict class. */
function accepted(t: Test, answer: ReviewAnswer, body: object): AdmissionAnswerView & { verdict: Verdict } {
  t.equal(answer.statusCode, 200);
  t.same(
    apiServerProblems(
      { statusCode: answer.statusCode, body: answer.raw },
      (body as { request: { uid: string } }).request.uid,
    ),
    [],
    'the API server accepts the answer',
  );
  const view = answerView(answer.raw);
  return { ...view, verdict: !view.allowed ? 'deny' : view.warnings.length > 0 ? 'warn' : 'allow' };
}

t.test('images on a hanging registry listed first never starve a missing image on another registry', async (t) => {
  const webhook = await startWebhookUnderTest({ config: { registries, credentials: { kubernetes: false } } });
  t.teardown(() => webhook.close());
  for (const hanging of [20, 40]) {
    const images = [
      ...Array.from({ length: hanging }, (_, i) => `${hang.host}/team/slow-${hanging}-${i}:1.0`),
      MISSING,
    ];
    const body = admissionReview(pod(`starve-${hanging}`, images));
    const hitsBefore = hang.hits();
    const answer = await webhook.review(body, { timeout: '3s' });
    const view = accepted(t, answer, body);
    t.ok(hang.hits() > hitsBefore, 'the hanging registry was really asked');
    t.ok(
      answer.elapsedMs < API_SERVER_TIMEOUT_MS,
      `${hanging} hanging images: answered in ${Math.round(answer.elapsedMs)} ms`,
    );
    t.equal(view.allowed, false, `${hanging} hanging images: the missing image is denied`);
    t.match(view.message, /^1 of \d+ images in Pod shop\/starve-\d+ would fail to pull/);
    t.match(view.message, `"${MISSING}"`, 'the denial names the missing image');
    t.same(
      view.findings.filter((f) => f.action === 'deny').map((f) => [f.reference, f.class]),
      [[MISSING, 'notFound']],
    );
    t.equal(
      view.findings.filter((f) => f.class === 'timeout').length,
      hanging,
      'every hanging image is a timeout warning',
    );
  }
});

t.test('the namespace mode label: same verdict class cached or not; off skips; unreadable softens', async (t) => {
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  const webhook = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => webhook.close());
  const labels: Record<string, string | undefined> = { warn: 'warn', enforce: 'enforce', none: undefined, off: 'off' };
  /** A namespace per label and read condition: a read result is cached for 30 s. */
  const namespace = (label: string, condition: string) => {
    const name = `${label}-${condition}`;
    const value = labels[label];
    kube.addNamespace({
      metadata: {
        name,
        labels: { 'kubernetes.io/metadata.name': name, ...(value ? { 'pullguard.io/mode': value } : {}) },
      },
    });
    return name;
  };
  const review = async (name: string, timeout = '10s') => {
    const body = admissionReview(pod('web', [MISSING]), { namespace: name });
    const answer = await webhook.review(body, { timeout });
    t.ok(
      answer.elapsedMs < (timeout === '3s' ? API_SERVER_TIMEOUT_MS : 9000),
      `${name}: answered in ${Math.round(answer.elapsedMs)} ms`,
    );
    return accepted(t, answer, body);
  };
  const known: Record<string, Verdict> = { warn: 'warn', enforce: 'deny', none: 'deny', off: 'allow' };

  for (const label of Object.keys(labels)) {
    // Read at once, then from the cache.
    const fast = namespace(label, 'fast');
    const first = await review(fast);
    const cached = await review(fast);
    t.equal(first.verdict, known[label], `${label}: read through the API`);
    t.equal(cached.verdict, first.verdict, `${label}: the same verdict class from the cache`);

    // A slow read (1.5 s, inside the 8 s budget) is waited for: the verdict is the label's, not a fallback.
    const slow = namespace(label, 'slow');
    kube.fault(new RegExp(`/namespaces/${slow}$`), { delayMs: 1500 });
    const slowFirst = await review(slow);
    const slowCached = await review(slow);
    t.equal(slowFirst.verdict, known[label], `${label}: a slow read gives the label's verdict`);
    t.equal(slowCached.verdict, slowFirst.verdict, `${label}: the same verdict class once cached`);
    t.same(slowCached.findings, slowFirst.findings, `${label}: the same findings`);
  }

  // The registry takes most of the budget and the label read is slow too. Read after the registry (as it once was),
  // the label had too little time left and the first review fell back to enforce, while the second (registry answer
  // cached) had time to read it: deny, then warn. Read alongside from the start, it is the label's verdict each time.
  const slowRegistry = await startLoopbackServer(slowRegistryHandler(1700));
  t.teardown(() => slowRegistry.close());
  const both = namespace('warn', 'slow-registry');
  kube.fault(new RegExp(`/namespaces/${both}$`), { delayMs: 1000 });
  for (const attempt of ['first', 'second']) {
    const body = admissionReview(pod('web', ['Invalid:Image', `${slowRegistry.host}/team/slow:1.0`]), {
      namespace: both,
    });
    const view = accepted(t, await webhook.review(body, { timeout: '3s' }), body);
    t.equal(view.verdict, 'warn', `slow registry and slow label (${attempt}): pullguard.io/mode=warn honoured`);
    t.same(
      view.findings.map((f) => [f.class, f.action]),
      [['invalidReference', 'warn']],
      `${attempt}: the label's verdict, no fallback`,
    );
  }

  for (const [condition, fault, timeout, cls] of [
    ['failing', { status: 500 }, '10s', 'unreachable'],
    ['forbidden', { status: 403 }, '10s', 'unreachable'],
    ['hanging', { hang: true }, '3s', 'timeout'],
  ] as const) {
    for (const label of Object.keys(labels)) {
      const name = namespace(label, condition);
      kube.fault(new RegExp(`/namespaces/${name}$`), fault);
      for (const attempt of ['first', 'second']) {
        const view = await review(name, timeout);
        t.equal(
          view.verdict,
          'warn',
          `${label}, label read ${condition} (${attempt}): admitted with warnings, never enforced`,
        );
        t.same(
          view.findings.map((f) => [f.class, f.action]),
          [
            [cls, 'warn'],
            ['notFound', 'warn'],
          ],
          `${label}, ${condition}: the note, then the softened denial`,
        );
        t.match(
          view.warnings[0],
          new RegExp(
            `^namespace ${name}: reading its pullguard.io/mode label (timed out|failed); would-be denials admitted as warnings$`,
          ),
        );
        t.match(view.warnings[1], /^would deny: container "c0": /);
      }
    }
  }
  kube.clearFaults();
});

t.test('off: once the label is known, the review costs no registry request and no secret read', async (t) => {
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  const webhook = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
  });
  t.teardown(() => webhook.close());
  kube.addNamespace({ metadata: { name: 'sandbox', labels: { 'pullguard.io/mode': 'off' } } });
  const body = () =>
    admissionReview(pod('web', [`${reg.host}/team/off-only:1.0`], { imagePullSecrets: [{ name: 'regcred' }] }), {
      namespace: 'sandbox',
    });
  const first = body();
  t.equal(accepted(t, await webhook.review(first), first).verdict, 'allow', 'skipped');
  const manifestsBefore = await reg.manifestRequests();
  const kubeBefore = kube.requests().length;
  for (let i = 0; i < 3; i++) {
    const again = body();
    const view = accepted(t, await webhook.review(again), again);
    t.same([view.verdict, view.findings], ['allow', []], 'skipped, nothing reported');
  }
  t.equal(await reg.manifestRequests(), manifestsBefore, 'no registry request');
  t.same(
    kube.requests().slice(kubeBefore),
    [],
    'no Kubernetes read (the label came from the cache, no secret was read)',
  );
});

t.test('serve watches namespaces: the label is known without a read, and a relabel takes effect at once', async (t) => {
  const kube = await startFakeKubeApi();
  t.teardown(() => kube.close());
  kube.addNamespace({ metadata: { name: 'watched-off', labels: { 'pullguard.io/mode': 'off' } } });
  kube.addNamespace({ metadata: { name: 'watched', labels: { 'pullguard.io/mode': 'enforce' } } });
  // Reads by name would hang: only the watch can answer.
  kube.fault(/\/namespaces\/watched(-off)?$/, { hang: true });
  const webhook = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: true } },
    kubeconfigPath: kube.kubeconfigPath,
    watchNamespaces: true,
  });
  t.teardown(() => webhook.close());
  const deadline = Date.now() + 5000;
  while (
    !kube.requests().some((r) => r.path === '/api/v1/namespaces' && r.query.includes('watch=true')) &&
    Date.now() < deadline
  )
    await new Promise((resolve) => setTimeout(resolve, 10));
  const review = async (namespace: string) => {
    const body = admissionReview(pod('web', [MISSING]), { namespace });
    return accepted(t, await webhook.review(body, { timeout: '3s' }), body);
  };
  const manifestsBefore = await reg.manifestRequests();
  t.same((await review('watched-off')).verdict, 'allow', 'off, known from the watch: skipped');
  t.equal(await reg.manifestRequests(), manifestsBefore, 'not one registry request, even the first time');
  t.equal((await review('watched')).verdict, 'deny', 'enforce, known from the watch');
  kube.addNamespace({ metadata: { name: 'watched', labels: { 'pullguard.io/mode': 'warn' } } });
  let verdict: Verdict = 'deny';
  for (let i = 0; i < 50 && verdict === 'deny'; i++) {
    verdict = (await review('watched')).verdict;
    if (verdict === 'deny') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.equal(verdict, 'warn', 'relabelled to warn: the next reviews warn, with no 30 s cache to wait out');
  t.notOk(
    kube.requests().some((r) => /^\/api\/v1\/namespaces\/watched/.test(r.path)),
    'no namespace was read by name',
  );
});

t.test('an unexpected error in one image fails that image, not the review (HTTP path, real registry)', async (t) => {
  const built = buildConfig({ registries, credentials: { kubernetes: false } });
  if (!built.ok) throw new Error(built.problems.join('; '));
  const config = built.config;
  const lines: string[] = [];
  const logger = pino(
    loggerOptions('debug'),
    new Writable({ write: (chunk, _encoding, done) => done(void lines.push(String(chunk))) }),
  );
  const resolver = createImageResolver({ config, log: logger });
  t.teardown(() => resolver.close());
  const secretish = 'tenant-input-that-must-not-be-logged';
  const isExempt = exemptMatcher(config.exemptImages);
  const reviewer = createReviewer({
    config,
    resolver,
    log: logger,
    // A parser that blows its stack on one input, as a regular expression's backtracking can on megabytes of text.
    staticCheck: (use) => {
      if (use.image.includes('/overflow')) throw new RangeError(`Maximum call stack size exceeded (${secretish})`);
      return staticCheck(use, isExempt);
    },
    pullCredentials: async () => {
      throw new SyntaxError(`Unexpected token in JSON at position 4194304 (${secretish})`);
    },
  });
  const app = buildWebhookApp({ config, reviewer, metrics: createMetrics({ processMetrics: false }), logger });
  t.teardown(() => app.close());
  const overflow = `${reg.host}/overflow/${'a'.repeat(200)}:1.0`;
  const body = admissionReview(pod('mixed', [overflow, MISSING, `${reg.host}/team/app:1.0`]));
  const res = await app.inject({
    method: 'POST',
    url: '/validate?timeout=10s',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  const view = accepted(t, { statusCode: res.statusCode, body: res.json(), raw: res.body, elapsedMs: 0 }, body);
  t.equal(view.allowed, false, 'the missing image in the same pod is denied');
  t.same(
    view.findings.map((f) => [f.path ?? 'pod', f.class, f.action]),
    [
      ['pod', 'unreachable', 'warn'],
      ['spec.containers[0].image', 'unreachable', 'warn'],
      ['spec.containers[1].image', 'notFound', 'deny'],
    ],
  );
  t.ok(
    view.warnings.some((w) => /^container "c0": internal error checking ".*…"; admitted anyway$/.test(w)),
    'a warning names the image that failed',
  );
  t.notMatch(res.body, /internal error; images were not verified/, 'not the whole-review fallback');
  const log = lines.join('');
  t.notMatch(log, secretish, 'error messages (which may quote inputs) are not logged');
  t.match(log, /"step":"static check","error":\{"name":"RangeError"\}/);
  t.match(log, /"step":"credentials","error":\{"name":"SyntaxError"\}/);
});

t.test('no unhandled rejection or uncaught exception', async (t) => {
  t.equal(failures.unhandledRejections(), 0, failures.describe());
  t.equal(failures.uncaughtExceptions(), 0, failures.describe());
});

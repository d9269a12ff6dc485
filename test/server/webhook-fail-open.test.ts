/**
 * A reviewer that fails (a bug) must not block deploys: POST /validate admits with a warning, and the answer echoes
 * the request's uid, without which the API server rejects the answer and applies the webhook's failurePolicy
 * instead (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response).
 * pullguard has one failure policy for its own errors, fail-open; the webhook's failurePolicy (manifests/) covers
 * a webhook that does not answer at all.
 */
import t, { type Test } from 'tap';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { createLoggers } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { Reviewer } from '../../src/review/review-object.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { admissionReview, POD_KIND } from '../helpers/admission-review.js';
import { apiServerProblems } from '../helpers/api-server-checks.js';

function appWith(
  t: Test,
  review: Reviewer['review'],
): { inject: (uid: string) => Promise<{ statusCode: number; body: string }>; lines: string[] } {
  const lines: string[] = [];
  const { logger } = createLoggers('info', { write: (line: string) => void lines.push(line) });
  const app = buildWebhookApp({
    config: DEFAULT_CONFIG,
    reviewer: { review },
    metrics: createMetrics({ processMetrics: false }),
    logger,
  });
  t.teardown(() => app.close());
  return {
    lines,
    inject: async (uid) => {
      const payload = admissionReview({
        kind: POD_KIND,
        uid,
        object: { spec: { containers: [{ name: 'app', image: 'example.com/app:1.0' }] } },
      });
      const res = await app.inject({
        method: 'POST',
        url: '/validate?timeout=10s',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      return { statusCode: res.statusCode, body: res.body };
    },
  };
}

const FAILURES: ReadonlyArray<readonly [string, Reviewer['review']]> = [
  ['a rejected promise', () => Promise.reject(new Error('planted reviewer failure'))],
  [
    'a synchronous throw',
    () => {
      throw new TypeError('planted synchronous failure');
    },
  ],
  ['a thrown non-Error', () => Promise.reject('planted string failure')],
];

for (const [name, review] of FAILURES) {
  t.test(`${name}: fail-open, echoing the uid of each request`, async (t) => {
    const hook = appWith(t, review);
    for (const uid of ['0f9c3a5e-1111-4b5c-8d7e-000000000001', 'a-second-uid']) {
      const answer = await hook.inject(uid);
      t.same(apiServerProblems(answer, uid), [], `the API server accepts the answer to ${uid}`);
      const body = JSON.parse(answer.body) as { response: Record<string, unknown> };
      t.equal(body.response['uid'], uid, 'the uid is echoed');
      t.equal(body.response['allowed'], true, 'admitted: a pullguard bug must not block deploys');
      t.same(body.response['warnings'], ['pullguard hit an internal error; images were not verified'], 'and says so');
    }
    const failures = hook.lines.filter((line) => line.includes('review failed unexpectedly'));
    t.equal(failures.length, 2, 'each failure is logged');
    t.match(failures[1], /"uid":"a-second-uid"/, 'with the uid, so the review can be found');
  });
}

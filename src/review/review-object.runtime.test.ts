import t from 'tap';
import { buildConfig, DEFAULT_CONFIG } from '../config/load-config.js';
import type { Runtime } from '../policy/runtime-words.js';
import { answerFor } from './render-outcome.js';
import { createReviewer, type ReviewDeps } from './review-object.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const deployment = (images: string[]) => ({
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});
const review = (deps: ReviewDeps, images: string[]) =>
  createReviewer(deps).review({
    kind: DEPLOYMENT,
    operation: 'CREATE',
    namespace: 'shop',
    object: deployment(images),
    signal: AbortSignal.timeout(5000),
  });

/** A port that counts how often the review asks it. */
function countingPort(runtime: Runtime | undefined) {
  const port = Object.assign(() => (port.calls++, runtime), { calls: 0 });
  return port;
}

t.test('a denial carries the runtime the port names, and its message quotes it', async (t) => {
  const runtime = countingPort('cri-o');
  const outcome = await review({ config: DEFAULT_CONFIG, runtime }, ['example.com/app:1', 'Nginx:1']);
  t.equal(outcome.status === 'reviewed' && outcome.runtime, 'cri-o');
  t.equal(runtime.calls, 1, 'asked once per review');
  const answer = answerFor(outcome);
  t.match(answer.message, 'Node error (kubelet): Failed to apply default image tag "Nginx:1"');
});

t.test('the runtime is not asked when nothing is denied', async (t) => {
  const runtime = countingPort('containerd');
  const outcome = await review({ config: DEFAULT_CONFIG, runtime }, ['example.com/app:1', 'example.com/app']);
  t.equal(outcome.status === 'reviewed' && outcome.decision.verdict, 'warn');
  t.equal(outcome.status === 'reviewed' && outcome.runtime, undefined);
  t.equal(runtime.calls, 0);
});

t.test('without a port: the config names the runtime, else it is unknown', async (t) => {
  const built = buildConfig({ runtime: { crio: {} } });
  if (!built.ok) throw new Error(built.problems.join('; '));
  const crio = await review({ config: built.config }, ['Nginx:1']);
  t.equal(crio.status === 'reviewed' && crio.runtime, 'cri-o');
  const unknown = await review({ config: DEFAULT_CONFIG }, ['Nginx:1']);
  t.equal(unknown.status === 'reviewed' && unknown.runtime, undefined);
  t.equal(unknown.status === 'reviewed' && unknown.decision.verdict, 'deny');
});

t.test("the port is asked about the pod's placement", async (t) => {
  const asked: unknown[] = [];
  const runtime = (placement?: unknown) => (asked.push(placement), 'containerd' as const);
  const object = {
    metadata: { name: 'web' },
    spec: {
      template: {
        spec: { nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [{ name: 'c0', image: 'Nginx:1' }] },
      },
    },
  };
  await createReviewer({ config: DEFAULT_CONFIG, runtime }).review({
    kind: DEPLOYMENT,
    operation: 'CREATE',
    namespace: 'shop',
    object,
    signal: AbortSignal.timeout(5000),
  });
  t.match(asked, [{ nodeSelector: { 'kubernetes.io/os': 'windows' } }]);
});

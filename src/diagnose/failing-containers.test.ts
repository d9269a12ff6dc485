import { readFileSync } from 'node:fs';
import t from 'tap';
import { clipText, MAX_PODS, MAX_TEXT_CHARS, readFailingPod, readFailingPods } from './failing-containers.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/diagnose/${name}`, import.meta.url), 'utf8'));

t.test('a pod in back-off: init, regular and ephemeral containers waiting on a pull, in start order', async (t) => {
  const reading = readFailingPod(fixture('pod-image-pull-backoff.json'));
  if (!reading.ok) return t.fail(reading.problem);
  const { pod } = reading;
  t.match(pod, {
    namespace: 'shop',
    name: 'web-6f9c7d8b5-x2q7k',
    uid: '4b1e6c2a-2d7f-4a43-9a61-1f0d0c0e7a11',
    nodeName: 'worker-2',
    serviceAccountName: 'web',
    imagePullSecrets: ['ghcr-pull', 'docker-hub'],
  });
  t.same(
    pod.containers.map((c) => [c.section, c.name, c.image, c.reason, c.imagePullPolicy]),
    [
      ['initContainers', 'migrate', 'ghcr.io/acme/migrate:v2', 'ErrImagePull', 'IfNotPresent'],
      ['containers', 'app', 'bitnami/nginx:1.25.3', 'ImagePullBackOff', 'IfNotPresent'],
      ['ephemeralContainers', 'debugger-7k2', 'nicolaka/netshoot:v9.9', 'ErrImagePull', 'IfNotPresent'],
    ],
    'the sidecar waiting in PodInitializing is not a pull failure',
  );
  t.match(pod.containers[0]?.message, /401 Unauthorized$/);
  t.equal(pod.containers[1]?.message, 'Back-off pulling image "bitnami/nginx:1.25.3"');
  t.equal(pod.containers[1]?.imageID, undefined, 'an empty imageID is absent');
});

const minimal = (over: Record<string, unknown> = {}, status: Record<string, unknown> = {}) => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'registry.example/a:1' }], ...over },
  status,
});

t.test('the image as the spec writes it, the status image only when the spec has none', async (t) => {
  const waiting = (reason: string) => ({
    name: 'c',
    image: 'registry.example/a:1',
    imageID: 'sha256:abc',
    state: { waiting: { reason } },
  });
  const reading = readFailingPod(minimal({}, { containerStatuses: [waiting('InvalidImageName')] }));
  t.match(reading, {
    ok: true,
    pod: { containers: [{ image: 'registry.example/a:1', imageID: 'sha256:abc', reason: 'InvalidImageName' }] },
  });
  const noSpec = readFailingPod(
    minimal(
      { containers: [] },
      {
        containerStatuses: [
          { name: 'c', image: 'docker.io/library/x:2', state: { waiting: { reason: 'ErrImageNeverPull' } } },
        ],
      },
    ),
  );
  t.match(noSpec, { ok: true, pod: { containers: [{ image: 'docker.io/library/x:2', reason: 'ErrImageNeverPull' }] } });
  for (const reason of ['ImageInspectError', 'ErrImagePull', 'ImagePullBackOff'])
    t.equal(readFailingPod(minimal({}, { containerStatuses: [waiting(reason)] })).ok && true, true, reason);
  for (const reason of ['CrashLoopBackOff', 'ContainerCreating', 'CreateContainerConfigError', 'toString']) {
    const other = readFailingPod(minimal({}, { containerStatuses: [waiting(reason)] }));
    t.same(other.ok ? other.pod.containers : 'problem', [], `${reason} is not a pull failure`);
  }
});

t.test('defaults and nulls: no service account means default, null fields are absent', async (t) => {
  const reading = readFailingPod({
    metadata: { name: 'p', namespace: null, uid: null },
    spec: {
      containers: null,
      serviceAccountName: null,
      imagePullSecrets: [{ name: 'a' }, {}, { name: '' }],
      nodeName: null,
    },
    status: null,
  });
  t.same(reading, {
    ok: true,
    pod: { name: 'p', serviceAccountName: 'default', imagePullSecrets: ['a'], containers: [] },
  });
});

t.test('long texts are cut, so a hostile status cannot make the report unbounded', async (t) => {
  const long = 'x'.repeat(MAX_TEXT_CHARS + 10);
  t.equal(clipText(long).length, MAX_TEXT_CHARS + 1);
  t.equal(clipText('short'), 'short');
  const reading = readFailingPod(
    minimal({}, { containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImagePull', message: long } } }] }),
  );
  t.equal(reading.ok ? reading.pod.containers[0]?.message?.length : 0, MAX_TEXT_CHARS + 1);
});

t.test('what is not a Pod is a problem, never a throw', async (t) => {
  t.same(readFailingPod(null), { ok: false, problem: 'not a Pod object: / must be object' });
  t.match(readFailingPod({ metadata: { name: '' }, spec: {} }), {
    ok: false,
    problem: /^not a Pod object: \/metadata\/name /,
  });
  t.match(readFailingPod({ metadata: { name: 'p' } }), { ok: false, problem: /spec/ });
  t.match(readFailingPod(minimal({ containers: 'nope' })), { ok: false, problem: /\/spec\/containers/ });
  t.match(readFailingPod(minimal({}, { containerStatuses: [{ name: 'c', state: { waiting: { reason: 7 } } }] })), {
    ok: false,
    problem: /reason/,
  });
});

t.test('a PodList (--all-namespaces): exactly the failing pods, malformed items counted, bounded', async (t) => {
  const list = (
    JSON.parse(readFileSync(new URL('../../test/fixtures/diagnose/workloads.json', import.meta.url), 'utf8')) as {
      pods: { items: unknown[] };
    }
  ).pods;
  const reading = readFailingPods({
    ...list,
    items: [...list.items, { kind: 'Pod' }, fixture('pod-image-pull-backoff.json')],
  });
  t.same(
    reading.pods.map(({ pod: p }) => `${p.name}: ${p.containers.map((c) => c.reason).join(',')}`),
    [
      'web-5c9f8d7b6-bbbbb: ImagePullBackOff',
      'web-6f9c7d8b5-x2q7k: ImagePullBackOff',
      'db-1: ErrImagePull',
      'agent-k8x2p: ImagePullBackOff',
      'nightly-29412360-q7r8s: ImagePullBackOff',
      'web-6f9c7d8b5-x2q7k: ErrImagePull,ImagePullBackOff,ErrImagePull',
    ],
  );
  t.equal(reading.malformed, 1);
  t.equal(reading.truncated, false);
  t.same(readFailingPods({}), { pods: [], malformed: 0, truncated: false, problem: 'not a PodList: no items array' });
  const capped = readFailingPods({
    items: [...Array.from({ length: MAX_PODS }, () => ({})), fixture('pod-image-pull-backoff.json')],
  });
  t.same(capped.pods, [], 'the pod past the cap is not read');
  t.equal(capped.malformed, MAX_PODS);
  t.equal(capped.truncated, true);
});

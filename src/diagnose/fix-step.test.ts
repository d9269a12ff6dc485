import t from 'tap';
import type { ContainerFacts } from './container-facts.js';
import { patchPodSpec, say } from './fix-step.js';
import { targetOf } from './workload-target.js';

const c: ContainerFacts = {
  namespace: 'shop',
  pod: 'web-1',
  owner: { kind: 'StatefulSet', name: 'db' },
  container: 'app',
  section: 'containers',
  image: 'postgres:99',
  registryHost: 'docker.io',
  serviceAccount: 'default',
  podPullSecrets: [],
};

t.test('a strategic merge patch at the pod spec, quoted whole', async (t) => {
  const body = { nodeSelector: { 'kubernetes.io/arch': "it's" } };
  t.same(patchPodSpec(c, targetOf(c.pod, c.owner), body, 'why'), {
    ok: true,
    step: {
      say: 'why',
      command: `kubectl patch statefulset db -n shop -p '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/arch":"it'\\''s"}}}}}'`,
    },
  });
});

t.test('a bare pod or a Job gets words, not a command', async (t) => {
  t.same(patchPodSpec(c, targetOf(c.pod, undefined), {}, 'why'), {
    ok: true,
    step: { say: 'why: a Pod cannot change this in place; recreate pod web-1 with it' },
  });
  t.match(patchPodSpec(c, targetOf(c.pod, { kind: 'Job', name: 'j' }), {}, 'why'), {
    step: { say: /^why: change it in job j / },
  });
  t.same(say('words'), { ok: true, step: { say: 'words' } });
});

t.test('an unsafe namespace stops the patch', async (t) => {
  t.match(patchPodSpec({ ...c, namespace: '-n' }, targetOf(c.pod, c.owner), {}, 'why'), {
    ok: false,
    unsafe: { field: 'namespace' },
  });
});

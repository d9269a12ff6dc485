import t from 'tap';
import type { ContainerFacts } from './container-facts.js';
import { diagnoseContainer } from './diagnosis.js';

const container: ContainerFacts = {
  namespace: 'shop',
  pod: 'web-1',
  owner: { kind: 'Deployment', name: 'web' },
  container: 'app',
  section: 'containers',
  image: 'nginx:1.99.9',
  registryHost: 'docker.io',
  serviceAccount: 'default',
  podPullSecrets: [],
};
const NOT_FOUND =
  'Failed to pull image "nginx:1.99.9": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99.9": failed to resolve image: docker.io/library/nginx:1.99.9: not found';

t.test('still broken on a missing tag: the verdict and the set image command together', async (t) => {
  const d = diagnoseContainer({
    container,
    nodeMessage: NOT_FOUND,
    findings: [{ class: 'notFound', cause: 'tag "1.99.9" does not exist.', short: 'x', suggestions: ['1.29.3'] }],
  });
  t.equal(d.reconciliation.verdict, 'still-broken');
  t.same(d.fix, {
    steps: [
      {
        say: 'use the closest existing tag, 1.29.3',
        command: 'kubectl set image deployment/web app=nginx:1.29.3 -n shop',
      },
    ],
    problems: [],
  });
});

t.test('fixed since: the retry command', async (t) => {
  const d = diagnoseContainer({ container, nodeMessage: NOT_FOUND, findings: [] });
  t.equal(d.reconciliation.verdict, 'fixed-since');
  t.equal(d.fix.steps[0]?.command, 'kubectl delete pod web-1 -n shop');
});

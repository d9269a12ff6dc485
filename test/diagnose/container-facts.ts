/** The failing container the diagnose unit tests start from: a Deployment's pod on a missing nginx tag. */
import type { ContainerFacts } from '../../src/diagnose/container-facts.js';

export function containerFacts(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    namespace: 'shop',
    pod: 'web-7d9c-abcde',
    owner: { kind: 'Deployment', name: 'web' },
    container: 'app',
    section: 'containers',
    image: 'nginx:1.99.9',
    canonical: 'docker.io/library/nginx:1.99.9',
    registryHost: 'docker.io',
    pullPolicy: 'IfNotPresent',
    serviceAccount: 'default',
    podPullSecrets: [],
    ...overrides,
  };
}

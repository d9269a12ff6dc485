import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import { registryFinding, type RegistryFindingContext } from './registry-findings.js';

const use: ImageUse = { image: 'nginx:1.99.9', name: 'app', section: 'containers', path: 'spec.template.spec.containers[0].image' };
const ctx: RegistryFindingContext = {
  use, canonical: 'docker.io/library/nginx:1.99.9', domain: 'docker.io', repositoryPath: 'library/nginx', tag: '1.99.9', namespace: 'shop',
  podSpecPath: 'spec.template.spec', serviceAccountName: 'default', hadCredentials: false, nodeCredentials: false,
};

t.test('each outcome reads as its own cause, with a fix where there is one', async (t) => {
  t.equal(registryFinding({ outcome: 'found' }, ctx), undefined);
  t.match(registryFinding({ outcome: 'not-found', missing: 'tag', suggestions: ['1.29.3', '1.29', '1.28.0'] }, ctx), {
    class: 'notFound', cause: 'tag "1.99.9" does not exist in docker.io/library/nginx. Closest tags: 1.29.3, 1.29, 1.28.0.', fix: /e\.g\. nginx:1\.29\.3/,
  });
  t.match(registryFinding({ outcome: 'not-found', missing: 'repository' }, ctx), { class: 'notFound', cause: /repository docker\.io\/library\/nginx does not exist/, fix: /library\/ or user prefix/ });
  t.match(registryFinding({ outcome: 'not-found', missing: 'digest' }, { ...ctx, tag: undefined, digest: `sha256:${'a'.repeat(64)}` }), { cause: /digest sha256:a+ does not exist/ });
  const ambiguous = registryFinding({ outcome: 'unauthorized', reason: 'anonymous-refused', ambiguousMissing: true }, ctx);
  t.match(ambiguous, { class: 'unauthorized', cause: /does not exist, or it is private \(Docker Hub does not say which\)/, fix: /check the image name, or if it is private: kubectl create secret docker-registry regcred --docker-server=docker\.io .* -n shop, then list it under spec\.template\.spec\.imagePullSecrets or on service account "default"/ });
  t.match(registryFinding({ outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret shop/regcred' }, ctx), { cause: /rejected the credentials from secret shop\/regcred/ });
  t.match(registryFinding({ outcome: 'unauthorized', reason: 'anonymous-refused' }, { ...ctx, nodeCredentials: true }), { class: 'nodeCredentials' });
  t.match(registryFinding({ outcome: 'unauthorized', reason: 'no-access' }, { ...ctx, nodeCredentials: true, hadCredentials: true }), { class: 'unauthorized' }, 'a pod credential that is refused still denies');
  t.match(registryFinding({ outcome: 'rate-limited', remaining: 0 }, ctx), { class: 'rateLimited', short: /RateLimit-Remaining 0/ });
  t.match(registryFinding({ outcome: 'rate-limited', remaining: 0, windowSeconds: 21600, retryAfterSeconds: 90 }, ctx), {
    cause: 'docker.io rate-limited the check (HTTP 429, RateLimit-Remaining 0 per 6h, retry after 1m30s); the image could not be verified.',
  });
  t.match(registryFinding({ outcome: 'rate-limited' }, ctx), { short: 'cannot verify docker.io/library/nginx:1.99.9 (registry rate limit); admitted anyway' });
  t.match(registryFinding({ outcome: 'unreachable', cause: 'tls', detail: 'TLS handshake failed' }, ctx), { class: 'unreachable', short: /registry unreachable: TLS handshake failed/ });
  t.match(registryFinding({ outcome: 'timeout', afterMs: 2000 }, ctx), { class: 'timeout', short: 'cannot verify docker.io/library/nginx:1.99.9 (registry timeout after 2.0s); admitted anyway' });
  t.match(registryFinding({ outcome: 'blocked', host: 'evil.example', address: '169.254.169.254' }, ctx), { class: 'unreachable', cause: /network\.blockedCidrs/ });
  t.match(registryFinding({ outcome: 'blocked', host: 'evil.example', address: '64:ff9b::a9fe:a9fe' }, ctx), { cause: 'pullguard does not contact evil.example: it resolves to 64:ff9b::a9fe:a9fe, a blocked address (network.blockedCidrs).' });
});

import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import { MAX_NAMED_SOURCES, registryFinding, type RegistryFindingContext } from './registry-findings.js';

const use: ImageUse = {
  image: 'nginx:1.99.9',
  name: 'app',
  section: 'containers',
  path: 'spec.template.spec.containers[0].image',
};
const ctx: RegistryFindingContext = {
  use,
  canonical: 'docker.io/library/nginx:1.99.9',
  domain: 'docker.io',
  repositoryPath: 'library/nginx',
  tag: '1.99.9',
  namespace: 'shop',
  podSpecPath: 'spec.template.spec',
  serviceAccountName: 'default',
  hadCredentials: false,
  nodeCredentials: false,
};

t.test('each outcome reads as its own cause, with a fix where there is one', async (t) => {
  t.equal(registryFinding({ outcome: 'found' }, ctx), undefined);
  t.match(registryFinding({ outcome: 'not-found', missing: 'tag', suggestions: ['1.29.3', '1.29', '1.28.0'] }, ctx), {
    class: 'notFound',
    cause: 'tag "1.99.9" does not exist in docker.io/library/nginx. Closest tags: 1.29.3, 1.29, 1.28.0.',
    fix: /e\.g\. nginx:1\.29\.3/,
  });
  t.match(registryFinding({ outcome: 'not-found', missing: 'repository' }, ctx), {
    class: 'notFound',
    cause: /repository docker\.io\/library\/nginx does not exist/,
    fix: /library\/ or user prefix/,
  });
  t.match(
    registryFinding(
      { outcome: 'not-found', missing: 'digest' },
      { ...ctx, tag: undefined, digest: `sha256:${'a'.repeat(64)}` },
    ),
    { cause: /digest sha256:a+ does not exist/ },
  );
  const ambiguous = registryFinding(
    { outcome: 'unauthorized', reason: 'anonymous-refused', ambiguousMissing: true },
    ctx,
  );
  t.match(ambiguous, {
    class: 'unauthorized',
    cause: /does not exist, or it is private \(Docker Hub does not say which\)/,
    fix: /check the image name, or if it is private: kubectl create secret docker-registry regcred --docker-server=docker\.io .* -n shop, then list it under spec\.template\.spec\.imagePullSecrets or on service account "default"/,
  });
  const custom = registryFinding(
    { outcome: 'unauthorized', reason: 'anonymous-refused' },
    { ...ctx, podSpecPath: 'spec' },
  );
  t.match(custom?.fix, /then list it under spec\.imagePullSecrets or on service account "default"/);
  const noPodFields = registryFinding(
    { outcome: 'unauthorized', reason: 'anonymous-refused' },
    { ...ctx, podSpecPath: undefined },
  );
  t.match(
    noPodFields?.fix,
    /then list it in the imagePullSecrets of what runs this object .* or on its service account/,
  );
  t.notMatch(noPodFields?.fix, /undefined/);
  t.match(
    registryFinding(
      { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret shop/regcred' },
      ctx,
    ),
    { cause: /rejected the credentials from secret shop\/regcred/ },
  );
  t.match(
    registryFinding({ outcome: 'unauthorized', reason: 'anonymous-refused' }, { ...ctx, nodeCredentials: true }),
    { class: 'nodeCredentials' },
  );
  t.match(
    registryFinding(
      { outcome: 'unauthorized', reason: 'no-access' },
      { ...ctx, nodeCredentials: true, hadCredentials: true },
    ),
    { class: 'unauthorized' },
    'a pod credential that is refused still denies',
  );
  const called = { kind: 'called', provider: 'ecr-credential-provider' } as const;
  t.match(
    registryFinding(
      { outcome: 'unauthorized', reason: 'no-access' },
      { ...ctx, hadCredentials: true, provider: called },
    ),
    { class: 'nodeCredentials', cause: /matches credential provider ecr-credential-provider/ },
    'a matching credential provider is tried too: refused pod secrets do not make it certain',
  );
  const skipped = { kind: 'missingAnnotations', provider: 'quay', keys: ['quay.io/robot'] } as const;
  t.match(
    registryFinding(
      { outcome: 'unauthorized', reason: 'anonymous-refused' },
      { ...ctx, nodeCredentials: true, provider: skipped },
    ),
    {
      class: 'missingServiceAccountAnnotation',
      fix: /kubectl annotate serviceaccount default -n shop quay\.io\/robot=<value>/,
    },
    'a skipped provider beats the registry’s nodeCredentials: the kubelet will not call it',
  );
  t.match(
    registryFinding({ outcome: 'not-found', missing: 'tag' }, { ...ctx, provider: called }),
    { class: 'notFound' },
    'a provider changes nothing when the registry says the tag is missing',
  );
  t.match(registryFinding({ outcome: 'rate-limited', remaining: 0 }, ctx), {
    class: 'rateLimited',
    short: /RateLimit-Remaining 0/,
  });
  t.match(
    registryFinding({ outcome: 'rate-limited', remaining: 0, windowSeconds: 21600, retryAfterSeconds: 90 }, ctx),
    {
      cause:
        'docker.io rate-limited the check (HTTP 429, RateLimit-Remaining 0 per 6h, retry after 1m30s); the image could not be verified.',
    },
  );
  t.match(registryFinding({ outcome: 'rate-limited' }, ctx), {
    short: 'cannot verify docker.io/library/nginx:1.99.9 (registry rate limit); admitted anyway',
  });
  t.match(registryFinding({ outcome: 'unreachable', cause: 'tls', detail: 'TLS handshake failed' }, ctx), {
    class: 'unreachable',
    short: /registry unreachable: TLS handshake failed/,
  });
  t.match(registryFinding({ outcome: 'timeout', afterMs: 2000 }, ctx), {
    class: 'timeout',
    short: 'cannot verify docker.io/library/nginx:1.99.9 (registry timeout after 2.0s); admitted anyway',
  });
  t.match(registryFinding({ outcome: 'blocked', host: 'evil.example', address: '169.254.169.254' }, ctx), {
    class: 'unreachable',
    cause: /network\.blockedCidrs/,
  });
  t.match(registryFinding({ outcome: 'blocked', host: 'evil.example', address: '64:ff9b::a9fe:a9fe' }, ctx), {
    cause:
      'pullguard does not contact evil.example: it resolves to 64:ff9b::a9fe:a9fe, a blocked address (network.blockedCidrs).',
  });
});

t.test('a refusal names every credential source the kubelet would try, never more than a few', async (t) => {
  const two = registryFinding(
    {
      outcome: 'unauthorized',
      reason: 'credentials-rejected',
      credentialSource: 'secret shop/a',
      credentialSources: ['secret shop/a', 'docker config'],
    },
    ctx,
  );
  t.equal(
    two?.cause,
    'docker.io rejected the credentials from secret shop/a (wrong username, password or token). It also refused docker config.',
  );
  t.equal(
    two?.fix,
    'Fix: update secret shop/a with valid credentials for docker.io.',
    'the first source is the one the kubelet tries first',
  );
  const noAccess = registryFinding(
    {
      outcome: 'unauthorized',
      reason: 'no-access',
      credentialSource: 'secret shop/a',
      credentialSources: ['secret shop/a', 'secret shop/b'],
    },
    ctx,
  );
  t.match(
    noAccess?.cause,
    /with the credentials from secret shop\/a: the repository is private to other accounts, or does not exist\. It also refused secret shop\/b\.$/,
  );
  const sources = Array.from({ length: MAX_NAMED_SOURCES + 3 }, (_, i) => `secret shop/s${i}`);
  const many = registryFinding(
    {
      outcome: 'unauthorized',
      reason: 'credentials-rejected',
      credentialSource: 'secret shop/s0',
      credentialSources: sources,
    },
    ctx,
  );
  t.match(
    many?.cause,
    /It also refused secret shop\/s1, secret shop\/s2, secret shop\/s3, secret shop\/s4, secret shop\/s5 and 2 more\.$/,
  );
  const one = registryFinding(
    { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret shop/a' },
    ctx,
  );
  t.notMatch(one?.cause, /also refused/, 'one source: nothing added');
});

t.test('network causes the node reports the same way carry its failure, for the quoted runtime line', async (t) => {
  const failure = (resolution: Parameters<typeof registryFinding>[0]) =>
    registryFinding(resolution, ctx)?.runtimeFailure;
  t.same(failure({ outcome: 'unreachable', cause: 'dns', detail: 'DNS lookup failed (ENOTFOUND)' }), {
    kind: 'dnsFailure',
  });
  t.same(failure({ outcome: 'unreachable', cause: 'refused', detail: 'connection refused' }), {
    kind: 'connectionRefused',
  });
  t.same(failure({ outcome: 'unreachable', cause: 'tls', detail: 'TLS failure (SELF_SIGNED_CERT_IN_CHAIN)' }), {
    kind: 'unknownAuthority',
  });
  t.same(failure({ outcome: 'unreachable', cause: 'tls', detail: 'TLS failure (UNABLE_TO_VERIFY_LEAF_SIGNATURE)' }), {
    kind: 'unknownAuthority',
  });
  t.same(failure({ outcome: 'timeout', afterMs: 2000 }), { kind: 'ioTimeout' });
  t.equal(
    failure({ outcome: 'unreachable', cause: 'tls', detail: 'TLS failure (ERR_TLS_CERT_ALTNAME_INVALID)' }),
    undefined,
    'another TLS failure: the node words it otherwise',
  );
  t.equal(failure({ outcome: 'unreachable', cause: 'reset', detail: 'connection reset' }), undefined);
  t.equal(failure({ outcome: 'unreachable', cause: 'server-error', detail: 'HTTP 503', status: 503 }), undefined);
  t.equal(
    failure({ outcome: 'blocked', host: 'evil.example', address: '10.0.0.1' }),
    undefined,
    "pullguard's own rule",
  );
  t.equal(failure({ outcome: 'not-found', missing: 'tag' }), undefined, 'the class says it');
});

t.test('a missing tag keeps its closest tags as data, exactly those the cause lists', async (t) => {
  const listed = registryFinding({ outcome: 'not-found', missing: 'tag', suggestions: ['1.29.3', '1.29'] }, ctx);
  t.same(listed?.suggestions, ['1.29.3', '1.29']);
  t.equal(registryFinding({ outcome: 'not-found', missing: 'tag', suggestions: [] }, ctx)?.suggestions, undefined);
  const repository = registryFinding({ outcome: 'not-found', missing: 'repository', suggestions: ['1.29'] }, ctx);
  t.equal(repository?.suggestions, undefined, 'a missing repository has no closest tag');
});

import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseCredentialProviderConfig, type ParsedCredentialProviders } from './credential-provider-config.js';

const FIXTURES = new URL('../../test/fixtures/credential-providers/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

function problems(parsed: ParsedCredentialProviders): readonly string[] {
  return parsed.ok ? [] : parsed.problems;
}

/** A valid v1 config with one provider, `change` applied to that provider. */
function withProvider(change: Record<string, unknown>): string {
  const provider = {
    name: 'p',
    matchImages: ['registry.example.com'],
    defaultCacheDuration: '1m',
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    ...change,
  };
  return JSON.stringify({
    apiVersion: 'kubelet.config.k8s.io/v1',
    kind: 'CredentialProviderConfig',
    providers: [provider],
  });
}

const TOKENS = {
  serviceAccountTokenAudience: 'registry.example.com',
  requireServiceAccount: true,
  requiredServiceAccountAnnotationKeys: ['example.com/role'],
  cacheType: 'ServiceAccount',
};

t.test('the managed offerings’ configs parse as the kubelet reads them', async (t) => {
  t.match(parseCredentialProviderConfig(fixture('eks-ecr.json'), 'eks-ecr.json'), {
    ok: true,
    providers: [{ name: 'ecr-credential-provider', matchImages: ['*.dkr.ecr.*.amazonaws.com', /amazonaws\.com\.cn$/] }],
  });
  const gke = parseCredentialProviderConfig(fixture('gke-artifact-registry.yaml'), 'gke.yaml');
  t.match(gke, {
    ok: true,
    providers: [
      { name: 'auth-provider-gcp', matchImages: ['container.cloud.google.com', 'gcr.io', '*.gcr.io', '*.pkg.dev'] },
    ],
  });
  t.match(parseCredentialProviderConfig(fixture('aks-acr.yaml'), 'aks.yaml'), {
    ok: true,
    providers: [
      {
        name: 'acr-credential-provider',
        matchImages: ['*.azurecr.io', '*.azurecr.cn', '*.azurecr.de', '*.azurecr.us'],
      },
    ],
  });
  const kep = parseCredentialProviderConfig(fixture('kep-4412-service-account-token.yaml'), 'kep.yaml');
  t.ok(kep.ok);
  if (!kep.ok) return;
  t.same(kep.providers[0]?.tokenAttributes, {
    serviceAccountTokenAudience: 'quay.example.com',
    requireServiceAccount: true,
    requiredServiceAccountAnnotationKeys: ['quay.io/federated-robot-account'],
    optionalServiceAccountAnnotationKeys: ['quay.io/host'],
    cacheType: 'ServiceAccount',
  });
  t.equal(kep.providers[1]?.tokenAttributes, undefined, 'a provider without tokenAttributes has none');
  t.ok(Object.isFrozen(kep.providers) && Object.isFrozen(kep.providers[0]?.matchImages), 'the model is frozen');
});

t.test('every config version the kubelet accepts, and only those', async (t) => {
  for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
    const text = withProvider({}).replace('kubelet.config.k8s.io/v1', `kubelet.config.k8s.io/${version}`);
    t.ok(parseCredentialProviderConfig(text, 'f').ok, version);
  }
  const v2 = withProvider({}).replace('kubelet.config.k8s.io/v1', 'kubelet.config.k8s.io/v2');
  t.match(problems(parseCredentialProviderConfig(v2, 'f')), [
    /^f: apiVersion: must be one of kubelet\.config\.k8s\.io\/v1, /,
  ]);
  const kind = withProvider({}).replace('"CredentialProviderConfig"', '"KubeletConfiguration"');
  t.same(problems(parseCredentialProviderConfig(kind, 'f')), ['f: kind: must be CredentialProviderConfig']);
  const none = JSON.stringify({
    apiVersion: 'kubelet.config.k8s.io/v1',
    kind: 'CredentialProviderConfig',
    providers: [],
  });
  t.same(problems(parseCredentialProviderConfig(none, 'f')), ['f: providers: at least 1 provider is required']);
});

t.test('decoded strictly: an unknown or repeated field is a problem, as in the kubelet', async (t) => {
  const top = JSON.stringify({ ...JSON.parse(withProvider({})), extra: 1 });
  t.same(problems(parseCredentialProviderConfig(top, 'f')), [
    'f: extra: unknown field (the kubelet decodes this file strictly)',
  ]);
  t.same(problems(parseCredentialProviderConfig(withProvider({ matchimages: ['x'] }), 'f')), [
    'f: providers[0].matchimages: unknown field (the kubelet decodes this file strictly)',
  ]);
  t.same(
    problems(parseCredentialProviderConfig(withProvider({ tokenAttributes: { ...TOKENS, audience: 'x' } }), 'f')),
    ['f: providers[0].tokenAttributes.audience: unknown field (the kubelet decodes this file strictly)'],
  );
  const repeated = 'apiVersion: kubelet.config.k8s.io/v1\napiVersion: kubelet.config.k8s.io/v1\n';
  t.match(problems(parseCredentialProviderConfig(repeated, 'f')), [/^f: not valid YAML or JSON \(line 2\)$/]);
});

t.test("each of the kubelet's validation rules names the file and the field", async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ name: 'a/b' }, 'f: providers[0].name: "a/b" is not a plugin file name'],
    [{ name: 'a b' }, 'f: providers[0].name: "a b" is not a plugin file name'],
    [{ name: '..' }, 'f: providers[0].name: ".." is not a plugin file name'],
    [{ name: '' }, 'f: providers[0].name: a provider name is required'],
    [{ apiVersion: 'credentialprovider.kubelet.k8s.io/v2' }, 'f: providers[0].apiVersion: must be one of'],
    [{ matchImages: [] }, 'f: providers[0].matchImages: at least 1 item in matchImages is required'],
    [
      { matchImages: ['ok.example.com', 'bad%zz'] },
      'f: providers[0].matchImages[1]: "bad%zz" is not a valid image pattern',
    ],
    [{ matchImages: 'one.example.com' }, 'f: providers[0].matchImages: must be a list of strings'],
    [{ defaultCacheDuration: undefined }, 'f: providers[0].defaultCacheDuration: is required'],
    [{ defaultCacheDuration: '-1h' }, 'f: providers[0].defaultCacheDuration: must be greater than or equal to 0'],
    [{ defaultCacheDuration: '1 day' }, 'f: providers[0].defaultCacheDuration: "1 day" is not a duration'],
    [{ args: [1] }, 'f: providers[0].args: must be a list of strings'],
    [{ env: [{ name: 'A' }] }, 'f: providers[0].env[0]: name and value must both be strings'],
  ];
  for (const [change, expected] of cases) {
    const found = problems(parseCredentialProviderConfig(withProvider(change), 'f'));
    t.equal(found.length, 1, expected);
    t.ok(found[0]?.startsWith(expected), `${found[0]} starts with ${expected}`);
  }
  for (const duration of ['0', '0s', '1h30m', '1.5h', '300ms', '2h45m0.5s'])
    t.ok(parseCredentialProviderConfig(withProvider({ defaultCacheDuration: duration }), 'f').ok, duration);
  const twice = JSON.parse(withProvider({}));
  twice.providers.push({ ...twice.providers[0] });
  t.same(problems(parseCredentialProviderConfig(JSON.stringify(twice), 'f')), [
    'f: providers[1].name: duplicate provider name "p"',
  ]);
});

t.test('tokenAttributes are checked as the kubelet checks them', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [{ serviceAccountTokenAudience: '' }, 'tokenAttributes.serviceAccountTokenAudience: is required'],
    [{ requireServiceAccount: undefined }, 'tokenAttributes.requireServiceAccount: is required'],
    [{ requireServiceAccount: false }, 'requireServiceAccount cannot be false when this is set'],
    [{ requiredServiceAccountAnnotationKeys: ['Bad Key'] }, '"Bad Key" is not a valid annotation key'],
    [{ requiredServiceAccountAnnotationKeys: ['a/b/c'] }, '"a/b/c" is not a valid annotation key'],
    [{ requiredServiceAccountAnnotationKeys: ['k', 'k'] }, 'duplicate key "k"'],
    [{ optionalServiceAccountAnnotationKeys: ['example.com/role'] }, 'cannot be both required and optional'],
    [{ cacheType: undefined }, 'tokenAttributes.cacheType: must be one of ServiceAccount, Token'],
    [{ cacheType: 'Pod' }, 'tokenAttributes.cacheType: must be one of ServiceAccount, Token'],
  ];
  for (const [change, expected] of cases) {
    const found = problems(
      parseCredentialProviderConfig(withProvider({ tokenAttributes: { ...TOKENS, ...change } }), 'f'),
    );
    t.equal(found.length, 1, expected);
    t.match(found[0], expected);
  }
  const beta = withProvider({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1', tokenAttributes: TOKENS });
  t.same(problems(parseCredentialProviderConfig(beta, 'f')), [
    'f: providers[0].tokenAttributes: tokenAttributes is only supported for apiVersion credentialprovider.kubelet.k8s.io/v1',
  ]);
  const yes = fixture('kep-4412-service-account-token.yaml').replace(
    'requireServiceAccount: true',
    'requireServiceAccount: yes',
  );
  t.match(
    parseCredentialProviderConfig(yes, 'f'),
    { ok: true, providers: [{ tokenAttributes: { requireServiceAccount: true } }] },
    'YAML 1.1 booleans, as the kubelet reads them',
  );
  const upper = withProvider({
    tokenAttributes: { ...TOKENS, requiredServiceAccountAnnotationKeys: ['Example.com/Role'] },
  });
  t.ok(parseCredentialProviderConfig(upper, 'f').ok, 'keys are checked in lower case, as the API server checks them');
});

t.test('bad input is a clear problem, never a crash, and never shows args or env values', async (t) => {
  for (const text of ['', 'null', '[]', '42', '"text"'])
    t.same(
      problems(parseCredentialProviderConfig(text, 'f')),
      ['f: not a CredentialProviderConfig object'],
      JSON.stringify(text),
    );
  const broken = 'providers:\n  - name: p\n    env:\n      - {name: TOKEN, value: "planted-S3cret\n';
  const found = problems(parseCredentialProviderConfig(broken, 'f'));
  t.match(found, [/^f: not valid YAML or JSON/]);
  t.notMatch(found.join(' '), /planted/);
  const wrongEnv = withProvider({ env: [{ name: 'TOKEN', value: 'planted-S3cret', extra: 'planted-S3cret' }] });
  t.notMatch(problems(parseCredentialProviderConfig(wrongEnv, 'f')).join(' '), /planted/);
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 200 }, (_, i) => `k${i}: *a`).join('\n')}\n`;
  t.match(problems(parseCredentialProviderConfig(bomb, 'f')), [/^f: not valid YAML or JSON/], 'aliases are capped');
  const long = withProvider({ name: `x/${'y'.repeat(500)}` });
  t.ok((problems(parseCredentialProviderConfig(long, 'f'))[0]?.length ?? 0) < 200, 'quoted values are bounded');
});

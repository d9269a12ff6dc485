import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseCredentialProviderConfig, type CredentialProvider } from './credential-provider-config.js';
import { needsServiceAccountAnnotations, providersMatcher } from './credential-providers.js';

const FIXTURES = new URL('../../test/fixtures/credential-providers/', import.meta.url);

function providersOf(name: string): readonly CredentialProvider[] {
  const parsed = parseCredentialProviderConfig(readFileSync(new URL(name, FIXTURES), 'utf8'), name);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.providers;
}

const names = (providers: readonly CredentialProvider[]): string[] => providers.map((p) => p.name);
const plain = (name: string, matchImages: string[]): CredentialProvider => ({ name, matchImages });

t.test('matchImages match as the kubelet’s URLsMatchStr: a glob per host label, port, path prefix', async (t) => {
  const ecr = providersMatcher(providersOf('eks-ecr.json'));
  t.same(names(ecr('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app')), ['ecr-credential-provider']);
  t.same(names(ecr('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app')), ['ecr-credential-provider']);
  t.same(ecr('dkr.ecr.eu-west-1.amazonaws.com/app'), [], 'one label fewer: no match');
  t.same(ecr('a.b.dkr.ecr.eu-west-1.amazonaws.com/app'), [], '`*` never spans two labels');
  t.same(ecr('123456789012.dkr.ecr.eu-west-1.amazonaws.com:443/app'), [], 'a port must match the pattern’s (none)');
  t.same(ecr('docker.io/library/nginx'), []);

  const gcp = providersMatcher(providersOf('gke-artifact-registry.yaml'));
  t.same(names(gcp('europe-west4-docker.pkg.dev/project/repo/app')), ['auth-provider-gcp']);
  t.same(names(gcp('gcr.io/project/app')), ['auth-provider-gcp']);
  t.same(names(gcp('eu.gcr.io/project/app')), ['auth-provider-gcp']);
  t.same(gcp('pkg.dev/project/app'), [], '*.pkg.dev needs exactly one more label');

  const paths = providersMatcher([
    plain('team', ['quay.example.com/team']),
    plain('port', ['registry.example.com:5000']),
    plain('class', ['reg-[0-9].example.com']),
  ]);
  t.same(names(paths('quay.example.com/team/app')), ['team']);
  t.same(names(paths('quay.example.com/teamster/app')), ['team'], 'the path is a plain string prefix, as upstream');
  t.same(paths('quay.example.com/other/app'), []);
  t.same(names(paths('registry.example.com:5000/app')), ['port']);
  t.same(paths('registry.example.com/app'), [], 'a pattern with a port needs that port');
  t.same(names(paths('reg-7.example.com/app')), ['class']);
  t.same(paths('REG-7.example.com/app'), [], 'case-sensitive, as Go path.Match');
});

t.test('every matching provider counts, in config order; the answer is remembered', async (t) => {
  const both = providersMatcher([
    plain('a', ['*.example.com']),
    plain('b', ['x.example.com']),
    plain('c', ['y.example.com']),
  ]);
  t.same(names(both('x.example.com/app')), ['a', 'b']);
  t.equal(both('x.example.com/app'), both('x.example.com/app'), 'the same list object for a repository');
  t.ok(Object.isFrozen(both('nothing.test/app')));
});

t.test('the ServiceAccount is read only when some provider requires annotations', async (t) => {
  t.equal(needsServiceAccountAnnotations(providersOf('eks-ecr.json')), false);
  t.equal(needsServiceAccountAnnotations(providersOf('kep-4412-service-account-token.yaml')), true);
  const optionalOnly: CredentialProvider = {
    name: 'o',
    matchImages: ['x.example.com'],
    tokenAttributes: {
      serviceAccountTokenAudience: 'x',
      requireServiceAccount: false,
      requiredServiceAccountAnnotationKeys: [],
      optionalServiceAccountAnnotationKeys: ['a'],
      cacheType: 'Token',
    },
  };
  t.equal(needsServiceAccountAnnotations([optionalOnly]), false);
});

import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { PullguardError } from '../errors/pullguard-error.js';
import { loadCredentialProviders } from './load-credential-providers.js';

/** The loader's bounds: 1 MiB per file, 64 files per directory. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_CONFIG_FILES = 64;

const provider = (name: string, matchImages: string[], extra: object = {}) => ({
  name,
  matchImages,
  defaultCacheDuration: '1m',
  apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
  ...extra,
});
const config = (...providers: object[]): string =>
  JSON.stringify({ apiVersion: 'kubelet.config.k8s.io/v1', kind: 'CredentialProviderConfig', providers });

async function rejection(promise: Promise<unknown>): Promise<PullguardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PullguardError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

t.test('a file: its providers, matched by image', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pg-cp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'providers.yaml');
  await writeFile(file, config(provider('ecr', ['*.dkr.ecr.*.amazonaws.com'])));
  const setup = await loadCredentialProviders(file);
  t.same(
    setup.providersFor('1.dkr.ecr.eu-west-1.amazonaws.com/app').map((p) => p.name),
    ['ecr'],
  );
  t.same(setup.providersFor('docker.io/library/nginx'), []);
  t.equal(setup.readsServiceAccount, false);
});

t.test('a directory: its .json, .yaml and .yml files merged in name order, as the kubelet does', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pg-cp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'b.yml'), config(provider('second', ['*.example.com'])));
  await writeFile(join(dir, 'a.json'), config(provider('first', ['*.example.com'])));
  await writeFile(join(dir, 'notes.txt'), 'ignored');
  const tokens = {
    tokenAttributes: {
      serviceAccountTokenAudience: 'x',
      requireServiceAccount: true,
      requiredServiceAccountAnnotationKeys: ['example.com/role'],
      cacheType: 'Token',
    },
  };
  await writeFile(join(dir, 'c.yaml'), config(provider('third', ['other.test'], tokens)));
  const setup = await loadCredentialProviders(dir);
  t.same(
    setup.providersFor('x.example.com/app').map((p) => p.name),
    ['first', 'second'],
  );
  t.equal(setup.readsServiceAccount, true, 'a provider requires annotations');
  await writeFile(join(dir, 'd.yaml'), config(provider('first', ['y.test'])));
  const duplicate = await rejection(loadCredentialProviders(dir));
  t.equal(duplicate.code, 'PG_CREDENTIAL_PROVIDER_CONFIG_INVALID');
  t.match(duplicate.message, /d\.yaml: duplicate provider name "first" across files/);
});

t.test('unreadable: one clear line with the path and the fix', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pg-cp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const missing = await rejection(loadCredentialProviders(join(dir, 'nope.yaml')));
  t.equal(missing.code, 'PG_CREDENTIAL_PROVIDER_CONFIG_UNREADABLE');
  t.match(
    missing.message,
    /^cannot read credential provider config .*nope\.yaml \(ENOENT\); check credentials\.credentialProviderConfig/,
  );
  const big = join(dir, 'big.yaml');
  await writeFile(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
  t.match((await rejection(loadCredentialProviders(big))).message, /big\.yaml \(is larger than 1 MiB\)/);
  const empty = join(dir, 'empty');
  await mkdir(empty);
  t.match((await rejection(loadCredentialProviders(empty))).message, /holds no \.json, \.yaml or \.yml file/);
  const many = join(dir, 'many');
  await mkdir(many);
  for (let i = 0; i <= MAX_CONFIG_FILES; i++) await writeFile(join(many, `${String(i).padStart(3, '0')}.yaml`), '');
  t.match((await rejection(loadCredentialProviders(many))).message, /holds more than 64 config files/);
  if (process.getuid?.() !== 0) {
    const locked = join(dir, 'locked.yaml');
    await writeFile(locked, config(provider('p', ['x.test'])));
    await chmod(locked, 0o000);
    t.match((await rejection(loadCredentialProviders(locked))).message, /\(EACCES\)/);
  }
});

t.test('invalid: every problem with its file and field, never an env value', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pg-cp-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'bad.yaml');
  const env = { env: [{ name: 'TOKEN', value: 'planted-S3cret' }] };
  await writeFile(file, config(provider('a/b', [], env), provider('ok', ['x.test'], { defaultCacheDuration: '-1s' })));
  const error = await rejection(loadCredentialProviders(file));
  t.equal(error.code, 'PG_CREDENTIAL_PROVIDER_CONFIG_INVALID');
  t.match(error.message, /^invalid credential provider config \(credentials\.credentialProviderConfig\): /);
  t.match(error.message, /bad\.yaml: providers\[0\]\.name: "a\/b" is not a plugin file name/);
  t.match(error.message, /bad\.yaml: providers\[0\]\.matchImages: at least 1 item/);
  t.match(error.message, /bad\.yaml: providers\[1\]\.defaultCacheDuration: must be greater than or equal to 0/);
  t.notMatch(error.message, /\n/, 'one line');
  t.notMatch(error.message, /planted/);
});

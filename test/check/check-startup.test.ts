/**
 * `check --offline` starts lean (docs/benchmarks.md, P9): it loads neither the Kubernetes client nor the registry
 * client, and without a config file nor an invalid pod spec no TypeBox at all (the pod spec check is precompiled). A `--import` hook (https://nodejs.org/api/module.html#moduleregisterhookshooks) records every module the
 * built binary loads. Needs `npm run build` (npm test runs it first).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import { FIXTURES } from './fake-io.js';
import { runPullguard } from './run-binary.js';

/** Writes the URL of every loaded module, one a line, to $PULLGUARD_TEST_MODULE_LOG when the process exits. */
const HOOK = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const urls = new Set();
registerHooks({ load(url, context, next) { urls.add(url); return next(url, context); } });
process.on('exit', () => writeFileSync(process.env.PULLGUARD_TEST_MODULE_LOG, [...urls].join('\\n')));
`;

async function loadedModules(t: Test, args: string[], expectedCode = 0): Promise<string[]> {
  const log = join(await mkdtemp(join(tmpdir(), 'pullguard-modules-')), 'modules.txt');
  t.teardown(() => rm(dirname(log), { recursive: true, force: true }));
  const result = await runPullguard(['check', ...args], {
    cwd: FIXTURES,
    env: { PULLGUARD_TEST_MODULE_LOG: log },
    nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`],
  });
  t.equal(result.code, expectedCode, result.stderr);
  return (await readFile(log, 'utf8')).split('\n');
}

const packageOf = (url: string): string | undefined => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];

t.test('check --offline loads no Kubernetes, HTTP or registry code', async (t) => {
  for (const args of [
    ['-f', 'good.yaml', '--offline'],
    ['-f', 'good.yaml', '--offline', '-o', 'json'],
  ]) {
    const modules = await loadedModules(t, args);
    const packages = new Set(modules.map(packageOf).filter((name) => name !== undefined));
    // The hook sees the modules check does load: the YAML parser and the check's own code.
    t.ok(packages.has('js-yaml'), `${args.join(' ')}: the hook recorded the YAML parser`);
    t.ok(
      modules.some((url) => url.endsWith('/dist/check/load-manifests.js')),
      `${args.join(' ')}: the hook recorded pullguard's modules`,
    );
    for (const heavy of ['@kubernetes/client-node', 'undici', 'fastify', 'pino', 'prom-client', 'node-forge'])
      t.notOk(packages.has(heavy), `${args.join(' ')}: ${heavy} is not loaded`);
    // kube-presence.js only looks at paths and variables (is a cluster configured?); it imports no client.
    const adapters = modules.filter(
      (url) => /\/dist\/(kube|registry|resolver|server|credentials)\//.test(url) && !url.endsWith('/kube-presence.js'),
    );
    t.same(adapters, [], `${args.join(' ')}: no cluster, registry or credential module is loaded`);
  }
});

t.test('check --offline without a config file loads no TypeBox: no config schema, no schema compiler', async (t) => {
  for (const args of [
    ['-f', 'good.yaml', '--offline'],
    ['-f', 'good.yaml', '--offline', '-o', 'json'],
  ]) {
    const modules = await loadedModules(t, args);
    t.ok(
      modules.some((url) => url.endsWith('/dist/workload/pod-spec-check.generated.js')),
      `${args.join(' ')}: the precompiled pod spec check is what validates`,
    );
    t.same(
      modules.filter((url) => packageOf(url) === 'typebox'),
      [],
      `${args.join(' ')}: no TypeBox module is loaded`,
    );
    for (const schema of ['/dist/config/schema.js', '/dist/config/load-config.js', '/dist/workload/pod-spec-schema.js'])
      t.notOk(
        modules.some((url) => url.endsWith(schema)),
        `${args.join(' ')}: ${schema} is not loaded`,
      );
  }
});

t.test('TypeBox is loaded when there is something to validate or explain', async (t) => {
  const dir = t.testdir({
    'pullguard.yaml': 'mode: warn\n',
    'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: 5}]}\n',
  });
  const withConfig = await loadedModules(t, ['-f', 'good.yaml', '--offline', '--config', join(dir, 'pullguard.yaml')]);
  t.ok(
    withConfig.some((url) => url.endsWith('/dist/config/schema.js')) &&
      withConfig.some((url) => packageOf(url) === 'typebox'),
    'a config file is checked against the schema',
  );
  const invalid = await loadedModules(t, ['-f', join(dir, 'bad.yaml'), '--offline'], 2);
  t.ok(
    invalid.some((url) => /\/node_modules\/typebox\/build\/compile\//.test(url)),
    'an invalid pod spec loads the schema compiler to explain it',
  );
});

t.test('plain manifests are read without the precise reader; a file that needs it loads it', async (t) => {
  const dir = t.testdir({
    'shared.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: &l {app: a}, annotations: *l}\n' +
      'spec: {containers: [{name: a, image: nginx:1.25}]}\n',
  });
  const plain = await loadedModules(t, ['-f', 'good.yaml', '--offline']);
  t.ok(
    plain.some((url) => packageOf(url) === 'js-yaml'),
    'the fast reader reads it',
  );
  t.same(
    plain.filter((url) => packageOf(url) === 'yaml' || url.endsWith('/dist/check/precise-reader.js')),
    [],
    'neither the precise reader nor its YAML library is loaded',
  );
  const anchored = await loadedModules(t, ['-f', join(dir, 'shared.yaml'), '--offline']);
  t.ok(
    anchored.some((url) => url.endsWith('/dist/check/precise-reader.js')) &&
      anchored.some((url) => packageOf(url) === 'yaml'),
    'a collection aliased twice takes the precise reader, which bounds its expansion',
  );
});

/**
 * The built `pullguard check --offline -o json`, as CI runs it, on custom resources that embed pod specs or
 * containers (docs/design.md §1.1), on a `workloads:` kind of the config file (§3.1) and on a kind served from a
 * legacy API group. Each image field of a CRD fixture is found by a plain walk of the YAML, independent of the table.
 * Needs `npm run build`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { BUILT_IN_WORKLOADS } from '../../src/workload/workload-catalog.js';
import { tempDir } from './check-manifests.js';
import { runPullguard } from './run-binary.js';
import { parseAllRecords, type OutputRecordJson } from './record-schema.js';

const CRD_FIXTURES = new URL('../fixtures/objects/crd/', import.meta.url).pathname;

/** Every `image: <string>` field under `value`, as `[path, image]` in kubectl's field-path style. */
function imageFields(value: unknown, path = ''): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((item, i) => imageFields(item, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]): Array<[string, string]> => {
    const at = path === '' ? key : `${path}.${key}`;
    return key === 'image' && typeof item === 'string' ? [[at, item]] : imageFields(item, at);
  });
}

const sorted = <T>(items: T[]): T[] => items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

function objectOf(record: OutputRecordJson): string {
  const object = record.object;
  return object ? `${object.kind} ${object.namespace}/${object.name}` : '';
}

t.test('each CRD fixture with a row: one JSON record per image field, with its path, kind and name', async (t) => {
  const files = readdirSync(CRD_FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const result = await runPullguard(['check', '--offline', '-o', 'json', '-f', '.'], { cwd: CRD_FIXTURES });
  t.not(result.code, 2, `no input error: ${result.stderr}`);
  const records = parseAllRecords(t, result.stdout);
  let withRows = 0;
  for (const file of files) {
    const object = parseYaml(readFileSync(join(CRD_FIXTURES, file), 'utf8')) as {
      apiVersion: string;
      kind: string;
      metadata: { name?: string; generateName?: string; namespace?: string };
    };
    const group = object.apiVersion.includes('/') ? (object.apiVersion.split('/')[0] ?? '') : '';
    const own = records.filter((r) => r.file === file);
    if (BUILT_IN_WORKLOADS.find(group, object.kind) === undefined) {
      t.match(
        own.map((r) => [r.record, r.message]),
        [['skip', /is not a kind pullguard checks/]],
        `${file}: no row yet, skipped with a note`,
      );
      continue;
    }
    withRows += 1;
    const fields = imageFields(object);
    t.ok(fields.length > 0, `${file}: the fixture has images`);
    t.same(
      own.map((r) => r.record),
      fields.map(() => 'use'),
      `${file}: one use record per image field, nothing skipped`,
    );
    t.same(
      sorted(own.map((r) => (r.record === 'use' ? [r.path, r.image] : [r.record, r.message]))),
      sorted(fields),
      `${file}: paths and images`,
    );
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    const label = `${object.kind} ${object.metadata.namespace ?? 'default'}/${name}`;
    t.same(new Set(own.map(objectOf)), new Set([label]), `${file}: kind and object name`);
  }
  t.ok(withRows >= 14, `the Argo, Tekton, Knative and KServe fixtures at least (${withRows})`);
});

t.test('a :latest image inside an Argo Workflow template is reported with its field path', async (t) => {
  const workflow = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Workflow',
    'metadata: {name: build, namespace: ci}',
    'spec:',
    '  entrypoint: main',
    '  templates:',
    '    - name: main',
    '      steps: [[{name: one, template: compile}]]',
    '    - name: compile',
    '      container: {image: "golang:1.22", command: [go, build]}',
    '    - name: publish',
    '      script: {image: "alpine:latest", source: "echo hi"}',
    '',
  ].join('\n');
  const json = await runPullguard(['check', '--offline', '-o', 'json', '-f', '-'], {
    cwd: CRD_FIXTURES,
    stdin: workflow,
  });
  t.equal(json.code, 0, 'a :latest tag warns by default');
  const records = parseAllRecords(t, json.stdout);
  t.match(
    records.map((r) => r.record === 'use' && [objectOf(r), r.path, r.image, r.class, r.verdict]),
    [
      ['Workflow ci/build', 'spec.templates[1].container.image', 'golang:1.22', null, 'allow'],
      ['Workflow ci/build', 'spec.templates[2].script.image', 'alpine:latest', 'latestTag', 'warn'],
    ],
  );
  const dir = await tempDir(t);
  await writeFile(join(dir, 'strict.yaml'), 'policy:\n  latestTag: deny\n');
  let text = await runPullguard(['check', '--offline', '-f', '-'], { cwd: dir, stdin: workflow });
  t.match(text.stdout, /WARN {2}Workflow ci\/build \(line 1\)/);
  t.match(text.stdout, /warning: [^\n]*"alpine:latest" uses :latest/);
  text = await runPullguard(['check', '--offline', '-f', '-', '--config', 'strict.yaml'], {
    cwd: dir,
    stdin: workflow,
  });
  t.equal(text.code, 1, 'latestTag: deny denies');
  t.match(
    text.stdout,
    /DENY {2}Workflow ci\/build \(line 1\)\n[^]*\(spec\.templates\[2\]\.script\.image\): "alpine:latest"/,
  );
});

t.test('a workloads: entry of the config file makes an unknown kind checked', async (t) => {
  const dir = await tempDir(t);
  await writeFile(
    join(dir, 'widget.yaml'),
    [
      'apiVersion: example.com/v1',
      'kind: Widget',
      'metadata: {name: w}',
      'spec:',
      '  runner:',
      '    spec:',
      '      containers: [{name: main, image: "Bad:1"}]',
      '  hooks:',
      '    - {name: pre, image: "busybox:1.36"}',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'config.yaml'),
    'workloads:\n  - group: example.com\n    kind: Widget\n    podSpecs: [spec.runner.spec]\n    containers: ["spec.hooks[*]"]\n',
  );
  const without = await runPullguard(['check', '--offline', '-o', 'json', '-f', 'widget.yaml'], { cwd: dir });
  t.equal(without.code, 0);
  t.match(
    parseAllRecords(t, without.stdout).map((r) => [r.record, r.message]),
    [['skip', /Widget \(example\.com\/v1\) is not a kind pullguard checks/]],
    'without the config: skipped with a note',
  );
  t.match(without.stderr, /^note: widget\.yaml:1: Widget \(example\.com\/v1\) is not a kind pullguard checks/);

  const args = ['check', '--offline', '-o', 'json', '-f', 'widget.yaml', '--config', 'config.yaml'];
  const withConfig = await runPullguard(args, { cwd: dir });
  t.equal(withConfig.code, 1, 'the invalid image is denied');
  t.equal(withConfig.stderr, '');
  t.same(
    parseAllRecords(t, withConfig.stdout).map((r) => r.record === 'use' && [objectOf(r), r.path, r.image, r.verdict]),
    [
      ['Widget default/w', 'spec.runner.spec.containers[0].image', 'Bad:1', 'deny'],
      ['Widget default/w', 'spec.hooks[0].image', 'busybox:1.36', 'allow'],
    ],
  );
});

t.test('an extensions/v1beta1 DaemonSet is checked as an apps/v1 one', async (t) => {
  const daemonSet = [
    'apiVersion: extensions/v1beta1',
    'kind: DaemonSet',
    'metadata: {name: agent, namespace: kube-system}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers: [{name: agent, image: "Quay.io/Acme/Agent:1"}]',
    '',
  ].join('\n');
  const result = await runPullguard(['check', '--offline', '-o', 'json', '-f', '-'], {
    cwd: CRD_FIXTURES,
    stdin: daemonSet,
  });
  t.equal(result.code, 1, 'its invalid image is denied');
  t.equal(result.stderr, '', 'no note');
  t.same(
    parseAllRecords(t, result.stdout).map((r) => r.record === 'use' && [objectOf(r), r.path, r.class, r.verdict]),
    [['DaemonSet kube-system/agent', 'spec.template.spec.containers[0].image', 'invalidReference', 'deny']],
  );
});

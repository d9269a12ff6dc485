/**
 * `pullguard check` in-process, with fake stdio: inputs (files, directories, Lists, stdin), output modes, exit codes
 * and the config file. Offline throughout: the registry path is covered by check-registry.test.ts.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { fakeIo } from './fake-io.js';
import { parseAllRecords, parseRecords } from './record-schema.js';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-check-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function pod(name: string, image: string, extra = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: ${JSON.stringify(image)}\n${extra}`;
}

t.test('a good file is allowed: exit 0, one line per object, image-less kinds ignored quietly', async (t) => {
  const io = fakeIo();
  t.equal(await checkCli(['-f', 'good.yaml', '--offline'], io), 0);
  t.equal(io.err(), '', 'the Service needs no note');
  t.match(
    io.out(),
    /^good\.yaml\n {2}OK {4}Deployment shop\/web \(line 2\): ghcr\.io\/acme\/migrate:2\.1, docker\.io\/library\/nginx:1\.25\n/,
  );
  t.match(io.out(), /\n1 object, 2 images: 0 denied, 0 warnings \(offline: registries not checked\)\n$/);
});

t.test(
  'a directory is walked recursively in sorted order, with Lists unpacked and non-manifests left alone',
  async (t) => {
    const io = fakeIo();
    t.equal(await checkCli(['-f', 'tree', '--offline', '-o', 'json'], io), 1, 'the Job in a subfolder is denied');
    const records = parseRecords(t, io.out());
    t.same(
      records.map((r) => [r.file, r.line, `${r.object.kind} ${r.object.namespace}/${r.object.name}`, r.verdict]),
      [
        ['tree/app.yml', 1, 'Pod default/api', 'allow'],
        ['tree/jobs/nightly/job.yaml', 1, 'Job batch/nightly', 'deny'],
        ['tree/lists/deployments.json', 5, 'Deployment shop/one', 'allow'],
        ['tree/lists/deployments.json', 9, 'Deployment shop/two', 'allow'],
      ],
    );
    const job = records[1];
    t.equal(job?.outcome, 'invalid');
    t.equal(job?.class, 'invalidReference');
    t.equal(job?.reference, null);
    t.match(job?.message, /repository name \(Acme\/Report\) must be lowercase.*InvalidImageName/);
    t.equal(
      records[3]?.reference,
      'localhost:5000/two@sha256:0d27d8025031c96ad9a7bcb4d0fc26a6cca6cb6ead2baefaa33ef197c4213735',
    );
    t.equal(io.err(), '', 'nothing on stderr: README.md is not read, ConfigMaps need no note');
  },
);

t.test('text output groups by file and uses the webhook denial wording', async (t) => {
  const io = fakeIo();
  t.equal(await checkCli(['-f', 'tree', '--offline'], io), 1);
  const out = io.out();
  t.match(
    out,
    /tree\/jobs\/nightly\/job\.yaml\n {2}DENY {2}Job batch\/nightly \(line 1\)\n {8}1 of 1 image in Job batch\/nightly would fail to pull \(InvalidImageName\):\n {8}- container "report" \(spec\.template\.spec\.containers\[0\]\.image\): "Quay\.io\/Acme\/Report:1\.0": not a valid image reference/,
  );
  t.ok(
    out.indexOf('tree/app.yml') < out.indexOf('tree/jobs/') && out.indexOf('tree/jobs/') < out.indexOf('tree/lists/'),
    'files in sorted order',
  );
  t.match(out, /\n4 objects, 4 images: 1 denied, 0 warnings \(offline: registries not checked\)\n$/);
  t.notMatch(out, /\u001b\[/, 'no colour when stdout is not a terminal');
});

t.test('stdin (-f -) and repeated -f, in the order given', async (t) => {
  const io = fakeIo({ stdin: `${pod('from-stdin', 'nginx')}---\n${pod('second', 'redis:7')}` });
  t.equal(await checkCli(['-f', 'good.yaml', '-f', '-', '--offline', '-o', 'json'], io), 0, 'warnings are allowed');
  const records = parseRecords(t, io.out());
  t.same(
    records.map((r) => [r.file, r.line, r.object.name, r.reference, r.class, r.verdict]),
    [
      ['good.yaml', 2, 'web', 'ghcr.io/acme/migrate:2.1', null, 'allow'],
      ['good.yaml', 2, 'web', 'docker.io/library/nginx:1.25', null, 'allow'],
      ['<stdin>', 1, 'from-stdin', 'docker.io/library/nginx:latest', 'latestTag', 'warn'],
      ['<stdin>', 10, 'second', 'docker.io/library/redis:7', null, 'allow'],
    ],
  );
  t.match(records[2]?.message, /has no tag and pulls :latest/);
});

t.test('input errors exit 2 and name the file (and the line, when the parser has one)', async (t) => {
  const cases: Array<{ name: string; argv: string[]; stdin?: string; stderr: RegExp }> = [
    {
      name: 'missing file',
      argv: ['-f', 'does-not-exist.yaml'],
      stderr: /^pullguard: does-not-exist\.yaml: no such file or directory\n$/,
    },
    {
      name: 'broken YAML',
      argv: ['-f', 'broken.yaml'],
      stderr: /^pullguard: broken\.yaml:16:1: not valid YAML or JSON: Missing closing "quote\n$/,
    },
    {
      name: 'broken stdin',
      argv: ['-f', '-'],
      stdin: 'kind: Pod\nspec: [1,\nx: 2\n',
      stderr: /^pullguard: <stdin>:3:1: not valid YAML or JSON/,
    },
    {
      name: 'broken JSON',
      argv: ['-f', '-'],
      stdin: '{"kind": "Pod",\n "spec": {"containers": [}\n}\n',
      stderr: /^pullguard: <stdin>:2:26: not valid YAML or JSON/,
    },
    {
      name: 'unknown flag',
      argv: ['-f', 'good.yaml', '--bogus'],
      stderr: /^pullguard: check: Unknown option '--bogus'/,
    },
    { name: 'no -f', argv: ['--offline'], stderr: /name the manifests with -f/ },
    {
      name: 'a positional argument',
      argv: ['good.yaml'],
      stderr: /Unexpected argument 'good\.yaml'.*name manifests with -f/,
    },
    { name: 'bad -o', argv: ['-f', 'good.yaml', '-o', 'yaml'], stderr: /-o must be text or json, got "yaml"/ },
    {
      name: 'bad --platform',
      argv: ['-f', 'good.yaml', '--platform', 'linux'],
      stderr: /--platform "linux" is not os\/arch/,
    },
    { name: 'stdin twice', argv: ['-f', '-', '-f', '-'], stderr: /stdin \(-f -\) can be read only once/ },
    {
      name: 'missing config',
      argv: ['-f', 'good.yaml', '--config', 'nope/config.yaml'],
      stderr: /nope\/config\.yaml: cannot read the config file/,
    },
  ];
  // The first four are inputs: reported, counted in the summary, and the run goes on. The rest stop before any input.
  for (const [i, c] of cases.entries()) {
    const io = fakeIo(c.stdin === undefined ? {} : { stdin: c.stdin });
    t.equal(await checkCli(c.argv, io), 2, `${c.name}: exit 2`);
    t.match(io.err(), c.stderr, `${c.name}: message`);
    if (i < 4) t.match(io.out(), /; 1 input error\n$/, `${c.name}: counted in the summary`);
    else t.equal(io.out(), '', `${c.name}: nothing on stdout`);
  }
});

t.test('every input error is reported, every other input still checked, exit the worst of all', async (t) => {
  const dir = await tempDir(t);
  await writeFile(
    join(dir, 'a-bad.yaml'),
    `${pod('before', 'nginx:1.25')}---\nkey: "open\n---\n${pod('after', 'Bad:1')}`,
  );
  await writeFile(join(dir, 'b-bad.json'), '{"kind": [}\n');
  await writeFile(join(dir, 'c-good.yaml'), pod('good', 'nginx:1.25'));
  const argv = ['-f', 'missing.yaml', '-f', '.', '--offline'];
  let io = fakeIo({ cwd: dir });
  t.equal(await checkCli(argv, io), 2, 'an input error outranks a denial');
  t.match(io.err(), /^pullguard: missing\.yaml: no such file or directory\n/);
  t.match(io.err(), /\npullguard: a-bad\.yaml:\d+:\d+: not valid YAML or JSON/);
  t.match(io.err(), /\npullguard: b-bad\.json:1:\d+: not valid YAML or JSON/);
  t.match(io.out(), /Pod default\/before/);
  t.match(io.out(), /DENY {2}Pod default\/after/, 'the document after the broken one is checked');
  t.match(io.out(), /Pod default\/good/, 'the file after the broken ones is checked');
  t.match(io.out(), /3 objects, 3 images: 1 denied, 0 warnings; 3 input errors \(offline/);

  io = fakeIo({ cwd: dir });
  t.equal(await checkCli([...argv, '-o', 'json'], io), 2);
  const records = parseAllRecords(t, io.out());
  t.same(
    records.map((r) => [r.record, r.file, r.record === 'error' ? r.code : r.record === 'skip' ? null : r.verdict]),
    [
      ['error', 'missing.yaml', 'PG_MANIFEST_NOT_FOUND'],
      ['use', 'a-bad.yaml', 'allow'],
      ['error', 'a-bad.yaml', 'PG_MANIFEST_PARSE'],
      ['use', 'a-bad.yaml', 'deny'],
      ['error', 'b-bad.json', 'PG_MANIFEST_PARSE'],
      ['use', 'c-good.yaml', 'allow'],
    ],
    'records in input order',
  );
  const parse = records[2];
  t.ok(parse?.record === 'error' && parse.line !== null && parse.column !== null, 'line and column');

  io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'missing.yaml', '-f', 'b-bad.json', '-o', 'json'], io), 2);
  t.same(
    parseAllRecords(t, io.out()).map((r) => r.record),
    ['error', 'error'],
    'everything failed: still one JSON document',
  );
});

t.test('skipped objects are JSON records too', async (t) => {
  const io = fakeIo({ stdin: `apiVersion: example.com/v1\nkind: Widget\n---\n${pod('p', 'nginx:1.25')}` });
  t.equal(await checkCli(['-f', '-', '--offline', '-o', 'json'], io), 0);
  const [skip, use] = parseAllRecords(t, io.out());
  t.same([skip?.record, skip?.line, use?.record], ['skip', 1, 'use']);
  t.match(skip?.message, /Widget \(example\.com\/v1\) is not a kind pullguard checks/);
});

t.test('an empty directory is an input error; an input with no objects is fine', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'comments.yaml'), '# only a comment\n---\n---\n');
  let io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'empty'], io), 2);
  t.match(io.err(), /^pullguard: empty: no \.yaml, \.yml or \.json files in this directory\n$/);
  io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'comments.yaml', '-o', 'json'], io), 0);
  t.same(JSON.parse(io.out()), []);
});

t.test('unknown kinds are skipped with a note on stderr; in JSON mode stdout holds only records', async (t) => {
  const stdin = `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n---\n- just\n- a list\n---\n${pod('p', 'nginx:1.25')}`;
  for (const output of ['text', 'json']) {
    const io = fakeIo({ stdin });
    t.equal(await checkCli(['-f', '-', '--offline', '-o', output], io), 0, output);
    t.match(
      io.err(),
      /^note: <stdin>:1: Rollout \(argoproj\.io\/v1alpha1\) is not a kind pullguard checks; skipped\nnote: <stdin>:5: not a Kubernetes object \(a list\); skipped\n$/,
      `${output}: notes`,
    );
    if (output === 'json') t.equal(parseRecords(t, io.out()).length, 1);
    else t.match(io.out(), /OK {4}Pod default\/p \(line 8\)/);
  }
});

t.test('a malformed pod spec is an input error (exit 2), reported without hiding the other objects', async (t) => {
  const stdin = `${pod('good', 'nginx:1.25')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers: {name: c}\n`;
  let io = fakeIo({ stdin });
  t.equal(await checkCli(['-f', '-', '--offline'], io), 2);
  t.match(io.out(), /OK {4}Pod default\/good/);
  t.match(io.out(), /ERROR Pod default\/bad \(line 10\): spec\.containers/);
  io = fakeIo({ stdin });
  t.equal(await checkCli(['-f', '-', '--offline', '-o', 'json'], io), 2);
  t.equal(parseRecords(t, io.out()).length, 1);
  t.match(io.err(), /^pullguard: <stdin>:10: Pod default\/bad: spec\.containers/);
});

t.test('pods owned by a checked controller are skipped, as the webhook does', async (t) => {
  const owned = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, controller: true, uid: x}]\nspec:\n  containers: [{name: c, image: "Bad:Image"}]\n`;
  const io = fakeIo({ stdin: owned });
  t.equal(await checkCli(['-f', '-', '--offline'], io), 0);
  t.match(io.out(), /SKIP {2}Pod default\/web-1 \(line 1\): owned by ReplicaSet web/);
  t.match(io.out(), /0 objects, 0 images: 0 denied, 0 warnings; 1 skipped/);
});

t.test('the config file of serve applies: policy, exemptions, mode (--config and PULLGUARD_CONFIG)', async (t) => {
  const dir = await tempDir(t);
  const manifest = pod('p', 'nginx') + '---\n' + pod('q', 'registry.k8s.io/pause:3.9');
  await writeFile(join(dir, 'pod.yaml'), manifest);
  await writeFile(
    join(dir, 'strict.yaml'),
    'policy:\n  latestTag: deny\nexempt:\n  images: ["registry.k8s.io/pause:*"]\n',
  );
  await writeFile(join(dir, 'soft.yaml'), 'mode: warn\npolicy:\n  latestTag: deny\n');
  await writeFile(join(dir, 'bad.yaml'), 'policy:\n  latestTag: maybe\nbogus: 1\n');

  let io = fakeIo({ cwd: dir });
  t.equal(
    await checkCli(['-f', 'pod.yaml', '--offline', '--config', 'strict.yaml', '-o', 'json'], io),
    1,
    'latestTag: deny denies',
  );
  const [latest, pause] = parseRecords(t, io.out());
  t.same([latest?.class, latest?.verdict], ['latestTag', 'deny']);
  t.same(
    [pause?.reference, pause?.outcome, pause?.class, pause?.verdict],
    ['registry.k8s.io/pause:3.9', 'not-checked', null, 'allow'],
    'exempt',
  );

  io = fakeIo({ cwd: dir, env: { PULLGUARD_CONFIG: 'soft.yaml' } });
  t.equal(await checkCli(['-f', 'pod.yaml', '--offline'], io), 0, 'mode: warn softens the denial');
  t.match(io.out(), /warning: would deny: container "c": "nginx" has no tag/);

  io = fakeIo({ cwd: dir });
  t.equal(
    await checkCli(['-f', 'pod.yaml', '--offline', '--config', 'bad.yaml'], io),
    2,
    'an invalid config is an input error',
  );
  t.match(
    io.err(),
    /^pullguard: invalid config: [^\n]*bad\.yaml: \/ has unknown key "bogus"; [^\n]*bad\.yaml: \/policy\/latestTag [^\n]*\n$/,
    'every problem, on one line',
  );
});

t.test('imagePullPolicy Never: not checked, warned', async (t) => {
  const io = fakeIo({ stdin: pod('p', 'app:1.0', '      imagePullPolicy: Never\n') });
  t.equal(await checkCli(['-f', '-', '-o', 'json'], io), 0);
  const [record] = parseRecords(t, io.out());
  t.same([record?.outcome, record?.class, record?.verdict], ['not-checked', 'pullPolicyNever', 'warn']);
});

t.test('colour only on a terminal, and never with NO_COLOR', async (t) => {
  const stdin = pod('p', 'nginx');
  const colours = async (options: Parameters<typeof fakeIo>[0]) => {
    const io = fakeIo({ stdin, ...options });
    await checkCli(['-f', '-', '--offline'], io);
    return /\u001b\[/.test(io.out());
  };
  t.equal(await colours({ stdoutTTY: true }), true, 'terminal');
  t.equal(await colours({ stdoutTTY: true, env: { NO_COLOR: '1' } }), false, 'NO_COLOR');
  t.equal(await colours({ stdoutTTY: false }), false, 'pipe');
});

t.test(
  'progress on a terminal stderr past 20 objects, when the output goes elsewhere; never with -o json',
  async (t) => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => pod(`p${i}`, 'nginx:1.25')).join('---\n');
    const run = async (n: number, output: string, stderrTTY: boolean, stdoutTTY = false) => {
      const io = fakeIo({ stdin: many(n), stderrTTY, stdoutTTY });
      t.equal(await checkCli(['-f', '-', '--offline', '-o', output], io), 0);
      return io.err();
    };
    t.match(await run(22, 'text', true), /^\rchecked 21 objects…\rchecked 22 objects…\r\u001b\[K$/);
    t.equal(await run(20, 'text', true), '', 'small inputs stay quiet');
    t.equal(await run(21, 'json', true), '', 'never in JSON mode');
    t.equal(await run(21, 'text', false), '', 'never when stderr is not a terminal');
    t.equal(await run(21, 'text', true, true), '', 'not when the lines themselves appear on the terminal');
  },
);

t.test('text and JSON are written object by object as the input streams in, not at the end', async (t) => {
  const writes = async (output: string): Promise<string[]> => {
    const chunks: string[] = [];
    const io = fakeIo({ stdin: [pod('a', 'nginx:1.25'), pod('b', 'nginx:1.26')].join('---\n') });
    const streaming = { ...io, stdout: { write: (text: string) => chunks.push(text), isTTY: false } };
    t.equal(await checkCli(['-f', '-', '--offline', '-o', output], streaming), 0);
    return chunks;
  };
  const text = await writes('text');
  t.equal(text.length, 3, 'one write per object, then the summary');
  t.match(text[0], /<stdin>\n {2}OK {4}Pod default\/a/);
  t.match(text[1], /^ {2}OK {4}Pod default\/b/);
  const json = await writes('json');
  t.equal(json.length, 3, 'each record, then the closing bracket');
  t.same(
    JSON.parse(json.join('')).map((r: { object: { name: string } }) => r.object.name),
    ['a', 'b'],
  );
});

t.test('a run that fails midway leaves one parseable JSON document with what came before', async (t) => {
  const io = fakeIo({ stdin: `kind: [\n---\n${pod('a', 'nginx:1.25')}` });
  // The engine is composed for the first object, after the unreadable document was written out.
  t.equal(await checkCli(['-f', '-', '-o', 'json', '--kubeconfig', '/nonexistent/kubeconfig'], io), 2);
  t.same(
    JSON.parse(io.out()).map((r: { record: string; code: string | null }) => [r.record, r.code]),
    [['error', 'PG_MANIFEST_PARSE']],
  );
  t.match(io.err(), /kubeconfig \/nonexistent\/kubeconfig does not exist/);
});

t.test('--help prints the usage and exits 0', async (t) => {
  const io = fakeIo();
  t.equal(await checkCli(['--help'], io), 0);
  t.match(io.out(), /^Usage: pullguard check -f FILE\|DIR\|-/);
});

t.test(
  'a check that cannot finish, even from a bug, exits 2 with one line, never 1 (which means denied)',
  async (t) => {
    for (const env of [{}, { PULLGUARD_DEBUG: '1' }]) {
      const io = fakeIo({ env });
      const failing = {
        ...io,
        stdout: {
          write: (): never => {
            throw new TypeError('stdout broke');
          },
          isTTY: false,
        },
      };
      t.equal(await checkCli(['-f', 'good.yaml', '--offline'], failing), 2);
      const lines = io.err().trimEnd().split('\n');
      t.equal(
        lines[0],
        'pullguard: unexpected error: TypeError: stdout broke (set PULLGUARD_DEBUG=1 for the stack trace)',
      );
      if (env.PULLGUARD_DEBUG) t.match(io.err(), /\n {4}at /, 'PULLGUARD_DEBUG=1 adds the stack');
      else t.equal(lines.length, 1, 'one line, no stack');
    }
  },
);

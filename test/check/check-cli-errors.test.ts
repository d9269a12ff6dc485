/**
 * `pullguard check` in-process, with fake stdio: input errors (exit 2, file, line and column, the rest still
 * checked), malformed objects and checks that cannot finish. Offline throughout.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { pod, tempDir } from './check-manifests.js';
import { fakeIo } from './fake-io.js';
import { parseAllRecords, parseRecords } from './record-schema.js';

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
  t.match(
    io
      .err()
      .split('\n')
      .map((line) => line.replace(/: (no such|not valid).*/, '')),
    ['pullguard: missing.yaml', /^pullguard: a-bad\.yaml:10:\d+$/, /^pullguard: b-bad\.json:1:\d+$/, ''],
    'stderr: every input error once, in input order, with its file, line and column',
  );
  t.same(
    [...io.out().matchAll(/^ {2}\S+ +Pod default\/(\S+)/gm)].map((m) => m[1]),
    ['before', 'after', 'good'],
    'stdout: the objects in input order',
  );

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

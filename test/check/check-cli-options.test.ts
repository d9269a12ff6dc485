/**
 * `pullguard check` in-process, with fake stdio: the config file, pull policy, colour, progress and --help. Offline
 * throughout: the registry path is covered by check-registry.test.ts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { pod, tempDir } from './check-manifests.js';
import { fakeIo } from './fake-io.js';
import { parseRecords } from './record-schema.js';

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

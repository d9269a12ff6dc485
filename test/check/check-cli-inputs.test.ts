/**
 * `pullguard check` in-process, with fake stdio: what it reads (files, directories, Lists, stdin) and in which order.
 * Offline throughout: the registry path is covered by check-registry.test.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { pod, tempDir } from './check-manifests.js';
import { fakeIo } from './fake-io.js';
import { parseRecords } from './record-schema.js';

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

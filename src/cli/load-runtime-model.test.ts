import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { PullguardError } from '../errors/pullguard-error.js';
import { containerdHostsFor } from '../node-pull/containerd-hosts.js';
import { findRegistry } from '../node-pull/crio-registries.js';
import type { RuntimeModel } from '../node-pull/pull-plan.js';
import { loadRuntimeModel } from './load-runtime-model.js';

const HUB_MIRROR = `server = "https://registry-1.docker.io"
[host."https://docker-mirror.internal"]
  capabilities = ["pull", "resolve"]
`;
const QUAY_MIRROR = `[host."https://quay-mirror.internal"]
  capabilities = ["pull", "resolve"]
`;

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'pullguard-runtime-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function mirrorHosts(model: RuntimeModel, registry: string): string[] {
  if (model.runtime !== 'containerd') throw new Error('expected containerd');
  return containerdHostsFor(model, registry).hosts.map((h) => h.host);
}

async function loadError(promise: Promise<unknown>): Promise<PullguardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PullguardError) return error;
    throw error;
  }
  throw new Error('expected a PullguardError');
}

t.test('no runtime: section, no model', async (t) => {
  t.equal(await loadRuntimeModel(undefined), undefined);
  const empty = await loadRuntimeModel({ kind: 'containerd' });
  t.same(empty?.model.runtime, 'containerd');
  t.equal(empty?.baseDir, undefined);
});

t.test('containerd: one hosts.toml per directory; a directory without one is ignored', async (t) => {
  const dir = tempDir(t);
  write(join(dir, 'docker.io', 'hosts.toml'), HUB_MIRROR);
  mkdirSync(join(dir, 'quay.io'));
  writeFileSync(join(dir, 'quay.io', 'README'), 'not a hosts.toml');
  writeFileSync(join(dir, 'stray-file'), 'ignored');
  const loaded = await loadRuntimeModel({ kind: 'containerd', hostsDir: dir });
  t.equal(loaded?.baseDir, dir);
  const model = loaded?.model as RuntimeModel;
  t.same(mirrorHosts(model, 'docker.io'), ['docker-mirror.internal', 'registry-1.docker.io']);
  t.same(mirrorHosts(model, 'quay.io'), ['quay.io'], 'quay.io has no hosts.toml: the default upstream');
});

t.test('containerd: a mounted ConfigMap layout (..data links) is followed, its .. entries skipped', async (t) => {
  const dir = tempDir(t);
  const stamped = '..2026_12_03_07_00_00.123456789';
  write(join(dir, stamped, 'docker.io', 'hosts.toml'), HUB_MIRROR);
  write(join(dir, stamped, 'quay.io', 'hosts.toml'), QUAY_MIRROR);
  symlinkSync(stamped, join(dir, '..data'));
  for (const name of ['docker.io', 'quay.io']) symlinkSync(join('..data', name), join(dir, name));
  const model = (await loadRuntimeModel({ kind: 'containerd', hostsDir: dir }))?.model as RuntimeModel;
  if (model.runtime !== 'containerd') throw new Error('expected containerd');
  t.same([...model.directories.keys()].sort(), ['docker.io', 'quay.io']);
  t.same(mirrorHosts(model, 'quay.io'), ['quay-mirror.internal', 'quay.io']);
});

t.test('CRI-O: registries.conf, then the drop-ins (*.conf) in name order; other files ignored', async (t) => {
  const dir = tempDir(t);
  const conf = join(dir, 'registries.conf');
  write(conf, '[[registry]]\nprefix = "example.com"\nlocation = "first.example.com"\n');
  const dropIns = join(dir, 'registries.conf.d');
  write(join(dropIns, '20-later.conf'), '[[registry]]\nprefix = "example.com"\nlocation = "last.example.com"\n');
  write(join(dropIns, '10-earlier.conf'), '[[registry]]\nprefix = "example.com"\nlocation = "second.example.com"\n');
  write(
    join(dropIns, '30-disabled.conf.bak'),
    '[[registry]]\nprefix = "example.com"\nlocation = "never.example.com"\n',
  );
  write(join(dropIns, 'notes.txt'), 'not = "toml" at all [[[');
  mkdirSync(join(dropIns, 'sub.conf'));
  const loaded = await loadRuntimeModel({ kind: 'crio', registriesConf: conf, registriesConfDir: dropIns });
  const model = loaded?.model as RuntimeModel;
  if (model.runtime !== 'crio') throw new Error('expected crio');
  t.equal(findRegistry(model, 'example.com/app:1')?.location, 'last.example.com');
  t.equal(loaded?.baseDir, undefined);

  write(join(dropIns, '20-later.conf'), '');
  const reread = (await loadRuntimeModel({ kind: 'crio', registriesConf: conf, registriesConfDir: dropIns }))
    ?.model as RuntimeModel;
  if (reread.runtime !== 'crio') throw new Error('expected crio');
  t.equal(findRegistry(reread, 'example.com/app:1')?.location, 'second.example.com', '10- after registries.conf');
});

t.test('CRI-O: a ConfigMap-mounted drop-in directory', async (t) => {
  const dir = tempDir(t);
  const stamped = '..2026_12_03_07_00_00.1';
  write(join(dir, stamped, '10-quay.conf'), '[[registry]]\nprefix = "quay.io"\nblocked = true\n');
  symlinkSync(stamped, join(dir, '..data'));
  symlinkSync(join('..data', '10-quay.conf'), join(dir, '10-quay.conf'));
  const model = (await loadRuntimeModel({ kind: 'crio', registriesConfDir: dir }))?.model as RuntimeModel;
  if (model.runtime !== 'crio') throw new Error('expected crio');
  t.equal(findRegistry(model, 'quay.io/org/app:1')?.blocked, true);
  t.equal(model.registries.length, 1, 'read once, not again through ..data');
});

t.test('an invalid file stops start-up naming the file and the line', async (t) => {
  const dir = tempDir(t);
  write(join(dir, 'docker.io', 'hosts.toml'), HUB_MIRROR);
  write(join(dir, 'quay.io', 'hosts.toml'), 'server = "https://quay.io"\n\n[host."https://m.internal"\n');
  const error = await loadError(loadRuntimeModel({ kind: 'containerd', hostsDir: dir }));
  t.equal(error.code, 'PG_RUNTIME_FILES_INVALID');
  t.match(error.message, `the runtime files under ${dir} are not valid: quay.io/hosts.toml:3: invalid TOML`);

  const conf = join(dir, 'registries.conf');
  write(conf, 'short-name-mode = "sometimes"\n');
  const crio = await loadError(loadRuntimeModel({ kind: 'crio', registriesConf: conf }));
  t.equal(crio.code, 'PG_RUNTIME_FILES_INVALID');
  t.match(crio.message, conf);
});

t.test('a missing directory or file is unreadable, naming the config key', async (t) => {
  const dir = tempDir(t);
  const hosts = await loadError(loadRuntimeModel({ kind: 'containerd', hostsDir: join(dir, 'nope') }));
  t.equal(hosts.code, 'PG_RUNTIME_FILES_UNREADABLE');
  t.equal(
    hosts.message,
    `cannot read runtime.containerd.hostsDir ${join(dir, 'nope')} (ENOENT); check the runtime: section of the config and the mounted files`,
  );
  const conf = await loadError(loadRuntimeModel({ kind: 'crio', registriesConf: join(dir, 'registries.conf') }));
  t.equal(conf.code, 'PG_RUNTIME_FILES_UNREADABLE');
  t.match(conf.message, `cannot read ${join(dir, 'registries.conf')} (ENOENT)`);
  const dropIns = await loadError(loadRuntimeModel({ kind: 'crio', registriesConfDir: join(dir, 'd') }));
  t.equal(dropIns.code, 'PG_RUNTIME_FILES_UNREADABLE');
  t.match(dropIns.message, 'runtime.crio.registriesConfDir');
});

t.test('a file over 256 KiB and more than 256 entries are refused unread', async (t) => {
  const dir = tempDir(t);
  const big = join(dir, 'registries.conf');
  write(big, `# ${'x'.repeat(256 * 1024)}\n`);
  const tooBig = await loadError(loadRuntimeModel({ kind: 'crio', registriesConf: big }));
  t.equal(tooBig.code, 'PG_RUNTIME_FILES_INVALID');
  t.equal(tooBig.message, `${big} is larger than 262144 bytes, refused`);

  const hosts = join(dir, 'certs.d');
  for (let i = 0; i < 257; i++) write(join(hosts, `r${i}.example.com`, 'hosts.toml'), '');
  const tooMany = await loadError(loadRuntimeModel({ kind: 'containerd', hostsDir: hosts }));
  t.equal(tooMany.code, 'PG_RUNTIME_FILES_INVALID');
  t.equal(tooMany.message, `runtime.containerd.hostsDir ${hosts} has 257 entries; at most 256 are read`);

  rmSync(join(hosts, 'r0.example.com'), { recursive: true });
  const atLimit = await loadRuntimeModel({ kind: 'containerd', hostsDir: hosts });
  t.equal(atLimit?.model.runtime, 'containerd', '256 entries are read');
});

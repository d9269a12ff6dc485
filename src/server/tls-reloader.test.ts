import { createHook } from 'node:async_hooks';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as tls from 'node:tls';
import t, { type Test } from 'tap';
import { generateCertificates, type GeneratedCertificates } from '../certs/generate-certificates.js';
import { writeCertificates } from '../certs/write-certificates.js';
import { createTlsReloader, type TlsMaterial, type TlsReloadError, type TlsReloaderOptions } from './tls-reloader.js';

const pairA = generateCertificates({ extraSans: ['localhost'] });
const pairB = generateCertificates({ extraSans: ['localhost'] });
const pairC = generateCertificates({ extraSans: ['localhost'] });
const expired = generateCertificates({ days: 1, now: new Date('2020-01-01T00:00:00Z') });
const serial = (pem: string) => new X509Certificate(pem).serialNumber;

/** Starts a reloader that records what it sees; stopped at teardown. */
async function startReloader(t: Test, dir: string, extra: Partial<TlsReloaderOptions> = {}) {
  const reloads: TlsMaterial[] = [];
  const errors: TlsReloadError[] = [];
  const reloader = createTlsReloader({
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    onReload: (m) => reloads.push(m),
    onError: (e) => errors.push(e),
    pollMs: 60_000, // only the directory watch can notice changes unless a test lowers this
    debounceMs: 50,
    ...extra,
  });
  t.teardown(() => reloader.stop());
  await reloader.start();
  return { reloader, reloads, errors };
}

/** Polls `predicate` every 20 ms for at most `ms`; returns how long it took, or fails the test. */
async function within(t: Test, ms: number, what: string, predicate: () => boolean): Promise<number> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) {
      t.fail(`${what}: not within ${ms} ms`);
      return ms;
    }
    await sleep(20);
  }
  return Date.now() - started;
}

/** The kubelet's Secret volume layout: data in `..<ts>/`, `..data` → it, and `tls.crt` → `..data/tls.crt`. */
async function kubeletVolume(dir: string, pair: GeneratedCertificates, stamp: string): Promise<void> {
  const data = join(dir, `..${stamp}`);
  await mkdir(data);
  await writeFile(join(data, 'tls.crt'), pair.certPem);
  await writeFile(join(data, 'tls.key'), pair.keyPem, { mode: 0o600 });
  await symlink(`..${stamp}`, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
}

t.test('loads a valid pair on start and reports it healthy', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  const { reloader, reloads, errors } = await startReloader(t, dir);
  t.equal(reloads.length, 1);
  t.equal(reloader.current()?.cert, pairA.certPem);
  t.equal(reloader.current()?.key, pairA.keyPem);
  t.equal(reloader.current()?.notAfter.getTime(), new X509Certificate(pairA.certPem).validToDate.getTime());
  t.ok(reloader.healthy());
  t.same(errors, []);
});

t.test('missing files: unhealthy, one error, then loads them when they appear', async (t) => {
  const dir = t.testdir();
  const { reloader, reloads, errors } = await startReloader(t, dir);
  t.notOk(reloader.healthy());
  t.equal(reloader.current(), undefined);
  t.match(errors, [{ code: 'PG_CERT_FILE_MISSING' }]);
  await reloader.check();
  t.equal(errors.length, 1, 'the same failure is reported once');
  await writeCertificates(pairA, { out: dir });
  const ms = await within(t, 5000, 'first pair loaded', () => reloads.length === 1);
  t.comment(`loaded ${ms} ms after the files appeared (directory watch)`);
  t.ok(reloader.healthy());
});

t.test('a rewritten pair is picked up by the directory watch within a few seconds', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  const { reloader, reloads } = await startReloader(t, dir);
  await writeCertificates(pairB, { out: dir });
  const ms = await within(t, 5000, 'rotation', () => reloader.current()?.cert === pairB.certPem);
  t.comment(`rotation seen after ${ms} ms`);
  t.equal(reloads.length, 2);
});

t.test('polling alone notices a rotation when watching is off', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  const { reloader } = await startReloader(t, dir, { watch: false, pollMs: 100 });
  await writeCertificates(pairB, { out: dir });
  await within(t, 3000, 'rotation by polling', () => reloader.current()?.cert === pairB.certPem);
});

for (const watchMode of [true, false]) {
  t.test(`the kubelet's ..data symlink swap is detected (${watchMode ? 'watch' : 'poll'})`, async (t) => {
    const dir = t.testdir();
    await kubeletVolume(dir, pairA, '2026_01_01_00_00_00.1');
    await symlink('..data/tls.crt', join(dir, 'tls.crt'));
    await symlink('..data/tls.key', join(dir, 'tls.key'));
    const { reloader, errors } = await startReloader(t, dir, watchMode ? {} : { watch: false, pollMs: 150 });
    t.equal(reloader.current()?.cert, pairA.certPem);
    await kubeletVolume(dir, pairB, '2026_01_02_00_00_00.2');
    await rm(join(dir, '..2026_01_01_00_00_00.1'), { recursive: true });
    const ms = await within(t, 5000, 'swap', () => reloader.current()?.cert === pairB.certPem);
    t.comment(`symlink swap seen after ${ms} ms`);
    t.equal(serial(reloader.current()?.cert ?? ''), serial(pairB.certPem));
    t.same(errors, []);
  });
}

t.test('a half-written, mismatched or expired pair keeps the old one', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  const { reloader, reloads, errors } = await startReloader(t, dir);
  const steps: Array<[string, string, string]> = [
    ['PG_CERT_KEY_MISMATCH', pairB.certPem, pairA.keyPem],
    ['PG_CERT_INVALID', pairB.certPem.slice(0, 200), pairB.keyPem],
    ['PG_CERT_KEY_INVALID', pairB.certPem, pairB.keyPem.slice(0, 100)],
    ['PG_CERT_EXPIRED', expired.certPem, expired.keyPem],
  ];
  for (const [code, cert, key] of steps) {
    await writeFile(join(dir, 'tls.crt'), cert);
    await writeFile(join(dir, 'tls.key'), key);
    await reloader.check();
    t.equal(errors.at(-1)?.code, code, code);
    t.equal(reloader.current()?.cert, pairA.certPem, `${code}: still serving the old pair`);
    t.ok(reloader.healthy());
    t.notMatch(errors.at(-1)?.message ?? '', /PRIVATE KEY/, 'no key material in the message');
  }
  t.equal(reloads.length, 1);
  await writeCertificates(pairC, { out: dir });
  await within(t, 5000, 'recovery', () => reloader.current()?.cert === pairC.certPem);
});

t.test('a burst of changes is debounced and ends on the last pair', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  const { reloader, reloads } = await startReloader(t, dir, { debounceMs: 200 });
  const pairs = [pairB, pairC, pairA, pairB, pairC];
  for (const pair of pairs) await writeCertificates(pair, { out: dir });
  await within(t, 5000, 'last pair', () => reloader.current()?.cert === pairC.certPem);
  // Any event still on its way only makes the reloader read the files again, as check() does now: no sleeping.
  await reloader.check();
  t.equal(reloader.current()?.cert, pairC.certPem);
  t.ok(reloads.length - 1 < pairs.length, `reloads after the burst: ${reloads.length - 1} for ${pairs.length} writes`);
});

t.test('onReload throwing keeps the old pair and retries on the next tick', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  let fail = false;
  const applied: string[] = [];
  const errors: TlsReloadError[] = [];
  const reloader = createTlsReloader({
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    onReload: (m) => {
      if (fail) throw new Error('setSecureContext failed');
      applied.push(m.cert);
    },
    onError: (e) => errors.push(e),
    pollMs: 100,
    watch: false,
  });
  t.teardown(() => reloader.stop());
  await reloader.start();
  fail = true;
  await writeCertificates(pairB, { out: dir });
  await within(t, 3000, 'apply failure reported', () => errors.some((e) => e.code === 'PG_CERT_APPLY_FAILED'));
  t.equal(reloader.current()?.cert, pairA.certPem);
  fail = false;
  await within(t, 3000, 'retried', () => reloader.current()?.cert === pairB.certPem);
  t.same(applied, [pairA.certPem, pairB.certPem]);
});

t.test('stop() closes every watcher and timer, and no callback runs afterwards', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  // Unref'd handles are invisible to process.getActiveResourcesInfo(), so track their lifetimes with async_hooks.
  const tracking = { on: false };
  const alive = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (tracking.on && (type === 'FSEVENTWRAP' || type === 'Timeout')) alive.set(id, type);
    },
    destroy(id) {
      alive.delete(id);
    },
  }).enable();
  t.teardown(() => hook.disable());
  tracking.on = true;
  const { reloader, reloads } = await startReloader(t, dir, { pollMs: 50 });
  tracking.on = false;
  t.same([...new Set(alive.values())].sort(), ['FSEVENTWRAP', 'Timeout'], 'a watcher and a poll timer while running');
  reloader.stop();
  // Closing a watcher is asynchronous: wait until its handle and the poll timer are gone (nothing is left that could
  // reload), rather than sleep and hope no reload came.
  await within(t, 5000, 'watcher and poll timer released', () => alive.size === 0);
  t.same([...alive.values()], [], 'nothing left after stop()');
  await writeCertificates(pairB, { out: dir });
  t.equal(reloads.length, 1, 'no reload after stop()');
});

t.test('with setSecureContext, new handshakes get the new certificate and open connections survive (R6)', async (t) => {
  const dir = t.testdir();
  await writeCertificates(pairA, { out: dir });
  const server = tls.createServer({ key: pairA.keyPem, cert: pairA.certPem, minVersion: 'TLSv1.2' }, (socket) => {
    socket.on('data', (d) => socket.write(d));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const sockets: tls.TLSSocket[] = [];
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { reloader } = await startReloader(t, dir, {
    onReload: (m) => server.setSecureContext({ key: m.key, cert: m.cert, minVersion: 'TLSv1.2' }),
  });
  const dial = (ca: string) =>
    new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'pullguard.pullguard.svc', ca }, () =>
        resolve(socket),
      );
      sockets.push(socket);
      socket.once('error', reject);
    });
  const echo = async (socket: tls.TLSSocket, text: string) => {
    socket.write(text);
    const [data] = await once(socket, 'data');
    return String(data);
  };
  const old = await dial(pairA.caPem);
  t.equal(await echo(old, 'before'), 'before');
  await writeCertificates(pairB, { out: dir });
  await within(t, 10_000, 'reloaded', () => reloader.current()?.cert === pairB.certPem);
  const fresh = await dial(pairB.caPem);
  t.equal(fresh.getPeerX509Certificate()?.serialNumber, serial(pairB.certPem), 'new handshake gets the new cert');
  t.equal(await echo(old, 'after'), 'after', 'the connection opened before the rotation still works');
  await t.rejects(dial(pairA.caPem), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'the old CA no longer verifies');
});

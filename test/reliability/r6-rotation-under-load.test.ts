/**
 * docs/design.md §7.2 R6: the serving certificate is rotated the way kubelet updates a mounted Secret (a new
 * timestamped directory, then an atomic rename of the `..data` symlink) while the built `pullguard serve` is under
 * load. No request or handshake fails, fresh handshakes soon present the new certificate, the expiry metric follows it,
 * and readiness never drops.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import t from 'tap';
import { apiServerProblems } from '../helpers/api-server-checks.js';
import { admissionReview, deployment } from '../helpers/engine-webhook.js';
import { ensureFreshBuild, MAIN, NODE, request, SERVER_NAME, startBuiltServer } from '../helpers/built-server.js';
import { slowRegistryHandler, startLoopbackServer } from './support/loopback-servers.js';

const run = promisify(execFile);
const LOAD_MS = 8000;
const SWAP_AFTER_MS = 2500;
const KEEP_ALIVE_CLIENTS = 4;
const NEW_CONNECTION_CLIENTS = 3;
const ROTATION_DEADLINE_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** `pullguard certs` with the built CLI into `dir` (a kubelet-style `..<timestamp>` folder). */
async function certsInto(dir: string, days: number): Promise<{ ca: Buffer; cert: X509Certificate }> {
  await mkdir(dir, { recursive: true });
  await run(NODE, [MAIN, 'certs', '--out', dir, '--san', '127.0.0.1', '--san', 'localhost', '--days', String(days)], {
    cwd: dir,
  });
  const [ca, cert] = await Promise.all([readFile(join(dir, 'ca.crt')), readFile(join(dir, 'tls.crt'))]);
  return { ca, cert: new X509Certificate(cert) };
}

/** Fingerprint of the certificate a brand-new TLS connection is served. */
function presentedFingerprint(port: number, ca: readonly Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: SERVER_NAME, ca: [...ca] }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fingerprint);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('handshake timed out')));
    socket.on('error', reject);
  });
}

t.test('certificate rotation through a ..data symlink swap under load', async (t) => {
  await ensureFreshBuild();
  const volume = await mkdtemp(join(tmpdir(), 'pullguard-r6-'));
  t.teardown(() => rm(volume, { recursive: true, force: true }));
  const oldDir = join(volume, '..2025_01_01_00_00_00.000000001');
  const old = await certsInto(oldDir, 365);
  // The next pair (new CA too) is generated up front, as a caBundle update that trusts both CAs precedes the Secret
  // update; it only becomes visible to the server when ..data is swapped mid-load.
  const newTimestamp = '..2025_06_01_00_00_00.000000002';
  const fresh = await certsInto(join(volume, newTimestamp), 90); // another lifetime: a distinct notAfter
  await symlink('..2025_01_01_00_00_00.000000001', join(volume, '..data'));
  await symlink('..data/tls.crt', join(volume, 'tls.crt'));
  await symlink('..data/tls.key', join(volume, 'tls.key'));

  const registry = await startLoopbackServer(slowRegistryHandler(0));
  t.teardown(() => registry.close());
  const server = await startBuiltServer({
    tls: { certFile: join(volume, 'tls.crt'), keyFile: join(volume, 'tls.key'), ca: old.ca },
    config: { registries: [{ host: registry.host, plainHttp: true }], credentials: { kubernetes: false } },
  });
  t.teardown(() => server.stop());
  t.equal(await presentedFingerprint(server.port, [old.ca]), old.cert.fingerprint256, 'serves the initial certificate');

  // Every client trusts both CAs for the whole run.
  const trusted: readonly Buffer[] = [old.ca, fresh.ca];
  const failures: string[] = [];
  let requests = 0;
  let handshakesAfterSwap = 0;
  let swappedAt = Number.POSITIVE_INFINITY;
  let stopLoad = false;

  const readyzCodes: number[] = [];
  const readyzPoller = (async () => {
    while (!stopLoad) {
      const answer = await server.health('/readyz').catch((error: Error) => ({ statusCode: -1, body: error.message }));
      readyzCodes.push(answer.statusCode);
      await sleep(100);
    }
  })();

  const client = async (id: number, newConnectionEachTime: boolean) => {
    // A keep-alive client keeps its one connection across the swap: setSecureContext must not disturb it.
    const agent = newConnectionEachTime ? undefined : new https.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; !stopLoad; i++) {
      const body = admissionReview(deployment(`r6-${id}-${i}`, [`${registry.host}/team/app-${id % 3}:1.0`])) as {
        request: { uid: string };
      };
      const sentAt = Date.now();
      requests++;
      try {
        const answer = await request(
          https,
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: '/validate?timeout=10s',
            servername: SERVER_NAME,
            ca: [...trusted],
            agent: agent ?? false,
            headers: { 'content-type': 'application/json' },
          },
          JSON.stringify(body),
          10_000,
        );
        const problems = apiServerProblems(answer, body.request.uid);
        if (problems.length > 0) failures.push(`client ${id} request ${i}: ${problems.join('; ')}`);
        if (newConnectionEachTime && sentAt > swappedAt) handshakesAfterSwap++;
      } catch (error) {
        failures.push(
          `client ${id} request ${i} (${newConnectionEachTime ? 'new connection' : 'keep-alive'}): ${(error as Error).message}`,
        );
      }
    }
    agent?.destroy();
  };

  const started = Date.now();
  const clients = [
    ...Array.from({ length: KEEP_ALIVE_CLIENTS }, (_, id) => client(id, false)),
    ...Array.from({ length: NEW_CONNECTION_CLIENTS }, (_, id) => client(KEEP_ALIVE_CLIENTS + id, true)),
  ];

  await sleep(SWAP_AFTER_MS);
  t.not(fresh.cert.fingerprint256, old.cert.fingerprint256, 'the new certificate differs from the old one');
  // kubelet's atomic writer: a temporary symlink renamed over ..data.
  await symlink(newTimestamp, join(volume, '..data_tmp'));
  await rename(join(volume, '..data_tmp'), join(volume, '..data'));
  swappedAt = Date.now();
  t.comment(`swapped ..data after ${swappedAt - started} ms`);

  // The new certificate must reach fresh handshakes within 15 s (the reloader polls every 2 s).
  let rotatedAfterMs: number | undefined;
  while (Date.now() - swappedAt < ROTATION_DEADLINE_MS) {
    const fingerprint = await presentedFingerprint(server.port, trusted).catch(
      (error: Error) => `error: ${error.message}`,
    );
    if (fingerprint.startsWith('error:')) failures.push(`fresh tls.connect after the swap: ${fingerprint}`);
    if (fingerprint === fresh.cert.fingerprint256) {
      rotatedAfterMs = Date.now() - swappedAt;
      break;
    }
    await sleep(200);
  }
  // Keep the load going a while after the rotation, so handshakes happen on both sides of it.
  const remaining = Math.max(LOAD_MS - (Date.now() - started), 2000);
  await sleep(remaining);
  stopLoad = true;
  await Promise.all(clients);
  await readyzPoller;

  t.comment(
    `${requests} reviews in ${Date.now() - started} ms; ${handshakesAfterSwap} new-connection reviews after the swap; new cert served ${rotatedAfterMs ?? 'never'} ms after the swap`,
  );
  t.ok(
    rotatedAfterMs !== undefined,
    `a fresh handshake presents the new certificate within ${ROTATION_DEADLINE_MS} ms`,
  );
  t.same(failures.slice(0, 10), [], `no failed request or handshake (of ${requests}; ${failures.length} failed)`);
  t.ok(requests > 50, `the load was real: ${requests} reviews`);
  t.ok(handshakesAfterSwap > 5, `new TLS connections were made after the swap: ${handshakesAfterSwap}`);
  t.ok(readyzCodes.length > 30, `readiness was polled throughout (${readyzCodes.length} times)`);
  t.same([...new Set(readyzCodes)], [200], '/readyz stayed 200 throughout');

  const metrics = await request(http, { host: '127.0.0.1', port: server.healthPort, path: '/metrics', agent: false });
  const line = metrics.body.split('\n').find((l) => l.startsWith('pullguard_cert_expiry_timestamp_seconds'));
  const value = Number(line?.split(/\s+/)[1]);
  t.equal(
    value,
    Math.floor(fresh.cert.validToDate.getTime() / 1000),
    'pullguard_cert_expiry_timestamp_seconds is the new notAfter',
  );
  t.not(value, Math.floor(old.cert.validToDate.getTime() / 1000), 'and no longer the old one');
  t.ok(
    server.stdout.some((l) => l.includes('serving certificate reloaded')),
    'the reload was logged',
  );
});

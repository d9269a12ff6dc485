/**
 * docs/design.md §7.2 R1/R2/R4: misbehaving servers are each classified, with no crash, no unhandled rejection, no
 * leak.
 */
import t from 'tap';
import type { Resolution } from '../../src/resolution/resolution.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultServer, type FaultKind, type RegistryHandle } from '../harness/registry/index.js';
import { testPki } from '../harness/registry/test-pki.js';
import { resolverFor } from '../helpers/resolver-setup.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
t.teardown(() => {
  process.off('unhandledRejection', onUnhandled);
});

const PLANTED = 'planted-S3cret-pw-4242';
const planted = [{ username: 'mallory', password: PLANTED, source: 'secret team/planted' }];

const expectations: { kind: FaultKind; want: Partial<Record<string, unknown>>; image?: string; wantIndex?: boolean }[] =
  [
    { kind: 'reset', want: { outcome: 'unreachable', cause: 'reset' } },
    { kind: 'status-500', want: { outcome: 'unreachable', cause: 'server-error', status: 500 } },
    { kind: 'garbage-body', want: { outcome: 'unreachable', cause: 'protocol' } },
    { kind: 'huge-body', want: { outcome: 'unreachable', cause: 'too-large' }, wantIndex: true },
    { kind: 'huge-body', want: { outcome: 'not-found', missing: 'tag' }, image: 'team/missing:v1' },
    { kind: 'endless-headers', want: { outcome: 'unreachable', cause: 'protocol' } },
    { kind: 'redirect-loop', want: { outcome: 'unreachable', cause: 'redirects' } },
    { kind: 'blocked-realm', want: { outcome: 'blocked', host: '169.254.169.254', address: '169.254.169.254' } },
    {
      kind: 'rate-limited',
      want: { outcome: 'rate-limited', remaining: 0, windowSeconds: 21600, retryAfterSeconds: 60 },
    },
    { kind: 'tls-garbage', want: { outcome: 'unreachable', cause: 'tls' } },
  ];

for (const { kind, want, image = 'team/app:v1', wantIndex } of expectations) {
  t.test(`${kind} (${image}) is classified as ${String(want.outcome)}`, async (t) => {
    const fault = await startFaultServer(kind);
    t.teardown(() => fault.close());
    const { resolve } = resolverFor(t, { mode: kind === 'tls-garbage' ? 'basic' : 'plain' }, { hosts: [fault.host] });
    const result = await resolve(`${fault.host}/${image}`, planted, wantIndex ? { wantIndex } : {});
    t.match(result, want);
    t.notMatch(JSON.stringify(result), new RegExp(PLANTED), 'the planted password appears nowhere');
    if (result.outcome === 'unreachable') t.notMatch(result.detail, /<html|garbage|padding|aaaa/i, 'no response body');
  });
}

t.test('hang: answered as timeout within the deadline', async (t) => {
  const fault = await startFaultServer('hang');
  t.teardown(() => fault.close());
  const { resolve } = resolverFor(
    t,
    { mode: 'plain' },
    { hosts: [fault.host], raw: { network: { requestTimeout: '3s' } } },
  );
  const started = Date.now();
  const result = await resolve(`${fault.host}/team/app:v1`, planted, { signal: AbortSignal.timeout(500) });
  const elapsed = Date.now() - started;
  t.equal(result.outcome, 'timeout');
  t.ok(elapsed < 1_500, `answered after ${elapsed} ms (deadline 500 ms)`);
  t.ok(fault.hits() >= 1);
});

t.test('hang: a per-request timeout shorter than the deadline is a timeout too', async (t) => {
  const fault = await startFaultServer('hang');
  t.teardown(() => fault.close());
  const { resolve } = resolverFor(
    t,
    { mode: 'plain' },
    { hosts: [fault.host], raw: { network: { requestTimeout: '300ms' } } },
  );
  const result: Resolution = await resolve(`${fault.host}/team/app:v1`);
  t.equal(result.outcome, 'timeout');
});

t.test('a realm on an unlisted loopback port is blocked and never contacted', async (t) => {
  const realmServer = await startFaultServer('status-500');
  t.teardown(() => realmServer.close());
  const fault = await startFaultServer('blocked-realm', { realm: `http://${realmServer.host}/token` });
  t.teardown(() => fault.close());
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: [fault.host] });
  const result = await resolve(`${fault.host}/team/app:v1`, planted);
  t.same(result, { outcome: 'blocked', host: realmServer.host, address: '127.0.0.1' });
  t.equal(realmServer.hits(), 0);
});

t.test('an http realm for an https registry is refused before any credential is sent', async (t) => {
  const realmServer = await startFaultServer('status-500');
  t.teardown(() => realmServer.close());
  const pki = testPki();
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-realm-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const caFile = join(dir, 'ca.crt');
  await writeFile(caFile, pki.caPem);
  const registry = createHttpsServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (_req, res) => {
    res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${realmServer.host}/token",service="s"` }).end();
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        registry.closeAllConnections();
        registry.close(() => resolve());
      }),
  );
  const host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
  const { resolve } = resolverFor(t, { mode: 'basic', caFile } as RegistryHandle, { hosts: [host, realmServer.host] });
  const result = await resolve(`${host}/team/app:v1`, planted);
  t.match(result, { outcome: 'unreachable', cause: 'protocol', detail: /not HTTPS/ });
  t.equal(realmServer.hits(), 0);
});

t.test('no unhandled rejection fired during the fault tests', async (t) => {
  // Node reports an unhandled rejection once the microtasks of the turn that made it have run: one more turn of the
  // event loop is enough, no sleep needed.
  await new Promise((resolve) => setImmediate(resolve));
  t.same(unhandled, []);
});

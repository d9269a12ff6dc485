import t from 'tap';
import { createRegistryTransport } from '../../src/registry/transport/http-transport.js';
import { createSsrfGuard } from '../../src/registry/transport/ssrf-guard.js';
import { startLoopback, testConfig } from '../helpers/loopback.js';

t.test('by default, a burst of 50 requests to one registry is in flight at once, not queued', async (t) => {
  const burst = 50;
  let active = 0;
  let peak = 0;
  const server = await startLoopback((_req, res) => {
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.end('{}');
    }, 100);
  });
  t.teardown(() => server.close());
  // No `concurrency` on the entry and no `network.concurrencyPerRegistry`: the default applies.
  const config = testConfig({ registries: [{ host: '127.0.0.1:*', plainHttp: true }] });
  const guard = createSsrfGuard({ blockedCidrs: config.network.blockedCidrs, listedHosts: ['127.0.0.1:*'] });
  const transport = createRegistryTransport({ config, guard });
  t.teardown(() => transport.close());
  const responses = await Promise.all(
    Array.from({ length: burst }, (_, i) =>
      transport.request({
        url: new URL(`${server.url}/v2/x/manifests/${i}`),
        method: 'HEAD',
        signal: AbortSignal.timeout(5_000),
        registry: config.registries[0],
      }),
    ),
  );
  t.ok(responses.every((r) => r.status === 200));
  t.equal(peak, burst, 'every request reached the registry before the first answer');
});

t.test('GETs, whose bodies may be 4 MiB each, are at most 16 in flight per registry all the same', async (t) => {
  let active = 0;
  let peak = 0;
  const server = await startLoopback((_req, res) => {
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.end('{"schemaVersion":2}');
    }, 50);
  });
  t.teardown(() => server.close());
  const config = testConfig({ registries: [{ host: '127.0.0.1:*', plainHttp: true }] });
  const guard = createSsrfGuard({ blockedCidrs: config.network.blockedCidrs, listedHosts: ['127.0.0.1:*'] });
  const transport = createRegistryTransport({ config, guard });
  t.teardown(() => transport.close());
  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      transport.request({
        url: new URL(`${server.url}/v2/x/manifests/${i}`),
        method: 'GET',
        signal: AbortSignal.timeout(5_000),
        registry: config.registries[0],
        readBody: true,
      }),
    ),
  );
  t.ok(responses.every((r) => r.status === 200 && r.body?.toString() === '{"schemaVersion":2}'));
  t.equal(peak, 16);
});

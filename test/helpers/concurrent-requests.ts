/**
 * How many requests a registry sees at once: a loopback registry that holds each answer for `holdMs`, a transport
 * for `registry`, and `count` requests of `method` sent together. For the connection and body limits' tests.
 */
import type { Test } from 'tap';
import { createRegistryTransport, type TransportResponse } from '../../src/registry/transport/http-transport.js';
import { createSsrfGuard } from '../../src/registry/transport/ssrf-guard.js';
import { startLoopback, testConfig } from './loopback.js';

export interface ConcurrentRun {
  readonly responses: readonly TransportResponse[];
  /** The most requests the registry held at once. */
  readonly peak: number;
}

export async function sendConcurrently(
  t: Test,
  options: {
    readonly count: number;
    readonly method: 'GET' | 'HEAD';
    readonly holdMs: number;
    readonly body: string;
    /** More keys of the loopback registry's `registries:` entry, as in a config file (e.g. `concurrency`). */
    readonly registry?: Record<string, unknown>;
  },
): Promise<ConcurrentRun> {
  let active = 0;
  let peak = 0;
  const server = await startLoopback((_req, res) => {
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.end(options.body);
    }, options.holdMs);
  });
  t.teardown(() => server.close());
  const config = testConfig({ registries: [{ host: '127.0.0.1:*', plainHttp: true, ...options.registry }] });
  const guard = createSsrfGuard({ blockedCidrs: config.network.blockedCidrs, listedHosts: ['127.0.0.1:*'] });
  const transport = createRegistryTransport({ config, guard });
  t.teardown(() => transport.close());
  const responses = await Promise.all(
    Array.from({ length: options.count }, (_, i) =>
      transport.request({
        url: new URL(`${server.url}/v2/x/manifests/${i}`),
        method: options.method,
        signal: AbortSignal.timeout(5_000),
        registry: config.registries[0],
        ...(options.method === 'GET' ? { readBody: true } : {}),
      }),
    ),
  );
  return { responses, peak };
}

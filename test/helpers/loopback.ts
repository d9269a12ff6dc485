/** Small helpers for registry tests: configs and throw-away loopback HTTP servers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildConfig, type Config } from '../../src/config/load-config.js';

/** Builds a config or fails the test run loudly. */
export function testConfig(raw: Record<string, unknown>): Config {
  const result = buildConfig(raw);
  if (!result.ok) throw new Error(`bad test config: ${result.problems.join('; ')}`);
  return result.config;
}

export interface LoopbackServer {
  readonly host: string;
  readonly url: string;
  readonly requests: { method: string; url: string; authorization?: string }[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 with a random port; records every request. */
export async function startLoopback(
  handler: (req: IncomingMessage, res: ServerResponse, self: LoopbackServer) => void,
): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  let self!: LoopbackServer;
  const server: Server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    handler(req, res, self);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return self;
}

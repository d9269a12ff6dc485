/**
 * The plain-HTTP side on 8080: liveness, readiness and metrics (docs/design.md §5.2). Readiness reflects pullguard
 * itself (certificate loaded, listening, not shutting down) and never a registry, so a registry outage cannot take the
 * webhook out of its Service.
 *
 * A bare Node HTTP server rather than a second fastify instance: fastify's request path is shared by every instance
 * in the process, and each instance has its own request and reply classes, so the kubelet's probes on a second one
 * would make the webhook's warm path see two shapes where it could see one (docs/benchmarks.md, issue 16).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../observability/metrics.js';

export interface Readiness {
  /** Undefined when ready, else why not (static text). */
  notReadyReason(): string | undefined;
}

export interface HealthApp {
  readonly server: Server;
  listen(options: { readonly host: string; readonly port: number }): Promise<AddressInfo>;
  /** Stops accepting and closes idle keep-alive connections; resolves when every connection is gone. */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function buildHealthApp(options: { readonly metrics: Metrics; readonly readiness: Readiness }): HealthApp {
  let closing = false;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    const head = request.method === 'HEAD';
    if (closing) return send(response, 503, JSON_TYPE, { status: 'shutting down' }, head, true);
    if (request.method !== 'GET' && !head) return notFound(response, request.method ?? '', path, head);
    switch (path) {
      // Answering at all proves the event loop turns; that is what liveness means for a single-threaded server.
      case '/healthz':
        return send(response, 200, JSON_TYPE, { status: 'ok' }, head);
      case '/readyz': {
        const reason = options.readiness.notReadyReason();
        return reason
          ? send(response, 503, JSON_TYPE, { status: 'not ready', reason }, head)
          : send(response, 200, JSON_TYPE, { status: 'ready' }, head);
      }
      case '/metrics':
        return void options.metrics.registry.metrics().then(
          (body) => send(response, 200, options.metrics.registry.contentType, body, head),
          () => send(response, 500, JSON_TYPE, { error: 'metrics could not be collected' }, head),
        );
      default:
        return notFound(response, request.method ?? '', path, head);
    }
  });
  // Probes are small and quick: a stuck client must not hold a socket for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return {
    server,
    listen: ({ host, port }) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function notFound(response: ServerResponse, method: string, path: string, head: boolean): void {
  const message = `no route ${method.slice(0, 16)} ${path.slice(0, 256)}; GET /healthz, /readyz or /metrics`;
  send(response, 404, JSON_TYPE, { error: { code: 'NOT_FOUND', message } }, head);
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | object,
  head: boolean,
  close = false,
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(head ? undefined : text);
}

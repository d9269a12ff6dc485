/**
 * Tiny loopback HTTP servers for the reliability tests, standing in only for what a real registry will not do:
 * answer slowly, redirect to another host, or simply record who connected and which headers arrived.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface SeenHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

export interface LoopbackServer {
  /** `address:port`, as an image reference or URL host uses it. */
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Every request so far, with its headers. */
  requests(): SeenHttpRequest[];
  /** Bytes written to all sockets so far (an upper bound of what clients could have read). */
  bytesWritten(): number;
  close(): Promise<void>;
}

export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse, self: LoopbackServer) => void;

/** Starts an HTTP server on `address` (default 127.0.0.1, any 127/8 address works on Linux) and a random port. */
export async function startLoopbackServer(handler: LoopbackHandler, address = '127.0.0.1'): Promise<LoopbackServer> {
  let connections = 0;
  let closedBytes = 0;
  const seen: SeenHttpRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let self: LoopbackServer | undefined;
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    handler(req, res, self as LoopbackServer);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  const host = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  self = {
    host,
    port,
    url: `http://${host}`,
    connections: () => connections,
    requests: () => [...seen],
    bytesWritten: () => closedBytes + [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
  return self;
}

/** `/v2/` → 200; any manifest HEAD/GET → 200 with a digest and OCI manifest type after `delayMs`. */
export function slowRegistryHandler(delayMs: number): LoopbackHandler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!/^\/v2\/.+\/manifests\/[^/]+$/.test(path)) return void json(res, path === '/v2/' ? 200 : 404, {});
    const timer = setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': `sha256:${'a'.repeat(64)}`,
        'content-length': '2',
      });
      res.end(req.method === 'HEAD' ? undefined : '{}');
    }, delayMs);
    timer.unref();
  };
}

/** Answers JSON with a content length (no body for HEAD). */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

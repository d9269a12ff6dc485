import http from 'node:http';
import net from 'node:net';
import {
  BLOCKED_REALM,
  blockedRealm,
  garbageBody,
  hugeBody,
  rateLimited,
  redirectLoop,
  status500,
  type FaultHandler,
} from './fault-http.js';
import type { FaultKind, FaultServer, FaultServerOptions } from './types.js';

/** Upper bound of what `endless-headers` writes per connection (20 MiB), so a broken client cannot loop forever. */
export const ENDLESS_HEADERS_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * Starts a misbehaving server on 127.0.0.1 for negative tests. TCP-level kinds:
 * `hang` accepts and never answers; `reset` sends a TCP RST on the first bytes; `endless-headers` sends a status line
 * then header lines until 20 MiB or the client leaves; `tls-garbage` answers a TLS ClientHello with plain text.
 * HTTP-level kinds are described in fault-http.ts. `close()` destroys open sockets.
 */
export async function startFaultServer(kind: FaultKind, options: FaultServerOptions = {}): Promise<FaultServer> {
  let hits = 0;
  const sockets = new Set<net.Socket>();
  let self = '';
  const httpHandler = httpHandlerFor(kind, options);
  const server: net.Server =
    httpHandler === undefined
      ? net.createServer((socket) => {
          hits += 1;
          onRawConnection(kind, socket);
        })
      : http.createServer((req, res) => {
          hits += 1;
          req.resume(); // drain any request body so keep-alive connections stay usable
          httpHandler(req, res, self);
        });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // clients that go away mid-write are expected here
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault server: no TCP address');
  const host = `127.0.0.1:${address.port}`;
  self = `http://${host}`;
  let closing: Promise<void> | undefined;
  return {
    host,
    url: kind === 'tls-garbage' ? `https://${host}` : self,
    hits: () => hits,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function httpHandlerFor(kind: FaultKind, options: FaultServerOptions): FaultHandler | undefined {
  switch (kind) {
    case 'status-500':
      return status500;
    case 'garbage-body':
      return garbageBody;
    case 'huge-body':
      return hugeBody;
    case 'redirect-loop':
      return redirectLoop;
    case 'blocked-realm':
      return blockedRealm(options.realm ?? BLOCKED_REALM);
    case 'rate-limited':
      return rateLimited;
    case 'hang':
    case 'reset':
    case 'endless-headers':
    case 'tls-garbage':
      return undefined;
  }
}

function onRawConnection(kind: FaultKind, socket: net.Socket): void {
  switch (kind) {
    case 'hang':
      return; // accept, read nothing, answer nothing
    case 'reset':
      socket.once('data', () => socket.resetAndDestroy());
      return;
    case 'tls-garbage':
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 16\r\n\r\nthis is not TLS\n'));
      return;
    case 'endless-headers':
      socket.once('data', () => writeEndlessHeaders(socket));
      return;
    default:
      socket.destroy();
  }
}

function writeEndlessHeaders(socket: net.Socket): void {
  const line = `X-Pullguard-Filler: ${'h'.repeat(200)}\r\n`;
  const block = Buffer.from(line.repeat(Math.floor((64 * 1024) / line.length)));
  let written = 0;
  const pump = (): void => {
    if (written === 0) {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n');
      written = 1;
    }
    while (!socket.destroyed && written < ENDLESS_HEADERS_LIMIT_BYTES) {
      written += block.length;
      if (!socket.write(block)) return void socket.once('drain', pump);
    }
    socket.destroy();
  };
  pump();
}

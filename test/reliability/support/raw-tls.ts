/**
 * A TLS client that writes raw bytes and reads whatever comes back until the server closes, for the answers Node's
 * HTTP parser gives before any route runs (R9). No HTTP client library would send these requests.
 */
import * as tls from 'node:tls';

export interface RawAnswer {
  /** Status from the status line, 0 when nothing parseable arrived. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** True when the server closed the connection (within the wait). */
  readonly closed: boolean;
  readonly raw: string;
}

export interface RawTarget {
  readonly port: number;
  readonly ca: string | Buffer;
  readonly servername: string;
}

/** Connects, writes `parts` (pausing `gapMs` between them), and collects the answer for up to `waitMs`. */
export function rawExchange(
  target: RawTarget,
  parts: readonly (string | Buffer)[],
  options: { gapMs?: number; waitMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let closed = false;
    const writeParts = async (): Promise<void> => {
      for (const [i, part] of parts.entries()) {
        if (i > 0 && options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
        if (!socket.writable) break;
        socket.write(part);
      }
    };
    const socket = tls.connect(
      { host: '127.0.0.1', port: target.port, ca: target.ca, servername: target.servername },
      () => {
        writeParts().catch(reject);
      },
    );
    const timer = setTimeout(() => socket.destroy(), options.waitMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (chunks.length === 0 && error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('end', () => (closed = true));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks).toString('utf8'), closed));
    });
  });
}

function parseAnswer(raw: string, closed: boolean): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = split >= 0 ? raw.slice(split + 4) : '';
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body, closed, raw };
}

function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return out;
    const size = parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request handler of an HTTP-level fault server. */
export type FaultHandler = (req: IncomingMessage, res: ServerResponse, self: string) => void;

/** Size of the bodies `huge-body` sends (10 MiB): far above any sane manifest limit. */
export const HUGE_BODY_BYTES = 10 * 1024 * 1024;

/** Default realm of `blocked-realm`: the cloud metadata endpoint an SSRF guard must refuse. */
export const BLOCKED_REALM = 'http://169.254.169.254/latest/meta-data/token';

const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/[^/]+$/;
const TAGS_PATH = /^\/v2\/(.+)\/tags\/list$/;

/** Every request → 500 with a distribution-style JSON error. */
export const status500: FaultHandler = (_req, res) => {
  json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: 'pullguard fault server' }] });
};

/**
 * `/v2/` → 200 `{}` (so clients get past the ping); manifest HEAD → 200 text/html without digest headers;
 * manifest GET → 200 claiming an OCI index with a non-JSON body and a digest header that does not match;
 * tags/list → 200 truncated JSON; anything else → 404.
 */
export const garbageBody: FaultHandler = (req, res) => {
  const path = pathOf(req);
  if (path === '/v2/' || path === '/v2') return json(res, 200, {});
  if (MANIFEST_PATH.test(path)) {
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '23' });
      return void res.end();
    }
    const body = '<html>this is not json';
    res.writeHead(200, {
      'Content-Type': 'application/vnd.oci.image.index.v1+json',
      'Docker-Content-Digest': `sha256:${'0'.repeat(64)}`,
      'Content-Length': String(Buffer.byteLength(body)),
    });
    return void res.end(body);
  }
  if (TAGS_PATH.test(path)) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return void res.end('{"name":"x","tags":["v1",\u0000garbage');
  }
  json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not here' }] });
};

/**
 * GET → 10 MiB body: 404 with a JSON-looking error body when the path contains `/missing`, else 200 with an
 * OCI-index-typed body. HEAD → same status and headers, no body. Streams with backpressure and stops when the
 * client goes away.
 */
export const hugeBody: FaultHandler = (req, res) => {
  const missing = pathOf(req).includes('/missing');
  const status = missing ? 404 : 200;
  const prefix = missing ? '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"' : '{"schemaVersion":2,"padding":"';
  res.writeHead(status, {
    'Content-Type': missing ? 'application/json' : 'application/vnd.oci.image.index.v1+json',
    'Content-Length': String(HUGE_BODY_BYTES),
  });
  if (req.method === 'HEAD') return void res.end();
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const pump = (): void => {
    while (sent < HUGE_BODY_BYTES && !res.destroyed) {
      const first = sent === 0 ? Buffer.concat([Buffer.from(prefix), chunk]).subarray(0, chunk.length) : chunk;
      const piece = first.subarray(0, Math.min(first.length, HUGE_BODY_BYTES - sent));
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
};

/** Every request → 307 between /__loop/a and /__loop/b (anything else → /__loop/a), absolute Location. */
export const redirectLoop: FaultHandler = (req, res, self) => {
  const next = pathOf(req) === '/__loop/a' ? '/__loop/b' : '/__loop/a';
  res.writeHead(307, { Location: `${self}${next}`, 'Content-Length': '0' });
  res.end();
};

/** Every request → 401 with a Bearer challenge whose realm is `realm` (default: the metadata endpoint). */
export function blockedRealm(realm: string): FaultHandler {
  return (req, res) => {
    const repo = MANIFEST_PATH.exec(pathOf(req))?.[1];
    const scope = repo === undefined ? '' : `,scope="repository:${repo}:pull"`;
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}",service="x"${scope}`);
    json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] });
  };
}

/** Every request → 429 with Docker Hub-style RateLimit headers, Retry-After: 60 and a TOOMANYREQUESTS body. */
export const rateLimited: FaultHandler = (_req, res) => {
  res.setHeader('RateLimit-Limit', '100;w=21600');
  res.setHeader('RateLimit-Remaining', '0;w=21600');
  res.setHeader('Retry-After', '60');
  json(res, 429, {
    errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.', detail: null }],
  });
};

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://fault.invalid').pathname;
}

/**
 * A registry that is hostile in content only: everything it serves is well-formed HTTP and digest-correct (the
 * `Docker-Content-Digest` of every manifest is the sha256 of the bytes served), so a client cannot reject it
 * early on the protocol, only by bounding its own work. The real Distribution registry cannot serve what R9 and
 * P5H need (it refuses index entries whose manifests were never pushed and answers `tags/list` from its own
 * storage), so this loopback server stands in for it.
 *
 * Routes: `GET /v2/`; `HEAD`/`GET /v2/<name>/manifests/<tag or digest>` from each repository's `manifest(tag)`;
 * `GET /v2/<name>/tags/list` from its `tagPages`, paginated with `Link: <…?last=<page>>; rel="next"` like
 * Distribution. Anything else is a distribution-spec 404.
 */
import { createHash } from 'node:crypto';
import http, { type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ServedManifest {
  readonly body: Buffer;
  readonly mediaType: string;
  /** Answer HEAD without `Docker-Content-Digest`, so a client must GET the body (as containerd does) to learn it. */
  readonly headWithoutDigest?: boolean;
  /**
   * The digest to announce instead of the body's sha256: one of an algorithm a client cannot check (the
   * distribution-spec lets it take those as claimed), e.g. the longest the digest grammar allows.
   */
  readonly digest?: string;
}

export interface HostileRepository {
  /**
   * The manifest a tag names, or a digest the registry has not announced itself (undefined: 404 MANIFEST_UNKNOWN).
   * A GET by an announced digest calls it again with the tag or digest it was announced for: be deterministic.
   */
  readonly manifest?: (reference: string) => ServedManifest | undefined;
  /** Pre-rendered `tags/list` pages; the registry ignores `n`, as it may (distribution-spec "tags/list"). */
  readonly tagPages?: readonly Buffer[];
}

export interface HostileRegistry {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  /** Requests answered so far, by kind. */
  counts(): { manifests: number; tagPages: number; bytes: number };
  close(): Promise<void>;
}

const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const TAGS_PATH = /^\/v2\/(.+)\/tags\/list$/;

export async function startHostileRegistry(
  repositories: ReadonlyMap<string, HostileRepository>,
): Promise<HostileRegistry> {
  // A GET by digest must find what the digest was announced for (the client asks by digest after a HEAD by tag).
  const tagOfDigest = new Map<string, string>();
  const counts = { manifests: 0, tagPages: 0, bytes: 0 };
  const sockets = new Set<Socket>();

  const serveManifest = (res: ServerResponse, name: string, reference: string, head: boolean): void => {
    const announcedFor = reference.includes(':') ? tagOfDigest.get(`${name}@${reference}`) : undefined;
    const served = repositories.get(name)?.manifest?.(announcedFor ?? reference);
    if (served === undefined) return notFound(res, 'MANIFEST_UNKNOWN', 'manifest unknown');
    const digest = served.digest ?? `sha256:${createHash('sha256').update(served.body).digest('hex')}`;
    if (tagOfDigest.size < 1_000_000) tagOfDigest.set(`${name}@${digest}`, announcedFor ?? reference);
    counts.manifests += 1;
    const digestHeader: Record<string, string> =
      head && served.headWithoutDigest ? {} : { 'docker-content-digest': digest };
    send(res, 200, served.body, { 'content-type': served.mediaType, ...digestHeader }, head);
  };

  const serveTags = (res: ServerResponse, name: string, search: URLSearchParams): void => {
    const pages = repositories.get(name)?.tagPages;
    if (pages === undefined) return notFound(res, 'NAME_UNKNOWN', 'repository name not known to registry');
    const page = Number(search.get('last') ?? 0);
    const body = pages[page];
    if (body === undefined) return notFound(res, 'NAME_UNKNOWN', 'no such page');
    counts.tagPages += 1;
    const next: Record<string, string> =
      page + 1 < pages.length ? { link: `</v2/${name}/tags/list?n=1000&last=${page + 1}>; rel="next"` } : {};
    send(res, 200, body, { 'content-type': 'application/json', ...next }, false);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: Buffer,
    headers: Record<string, string>,
    head: boolean,
  ): void => {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    if (!head) counts.bytes += body.length;
    res.end(head ? undefined : body);
  };

  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://registry');
    const head = req.method === 'HEAD';
    if (url.pathname === '/v2/' || url.pathname === '/v2')
      return send(res, 200, Buffer.from('{}'), { 'content-type': 'application/json' }, head);
    const manifest = MANIFEST_PATH.exec(url.pathname);
    if (manifest && (head || req.method === 'GET'))
      return serveManifest(res, manifest[1] as string, decodeURIComponent(manifest[2] as string), head);
    const tags = TAGS_PATH.exec(url.pathname);
    if (tags && req.method === 'GET') return serveTags(res, tags[1] as string, url.searchParams);
    notFound(res, 'UNSUPPORTED', 'not served here');
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // a client that dies mid-body (the server under test crashing) is expected
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return {
    host: `127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function notFound(res: ServerResponse, code: string, message: string): void {
  const body = Buffer.from(JSON.stringify({ errors: [{ code, message }] }));
  res.writeHead(404, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

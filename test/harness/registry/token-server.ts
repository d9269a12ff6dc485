import crypto from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { signRegistryToken, type TokenAccess } from './registry-jwt.js';
import type { TokenAcl, TokenAction, TokenRequestRecord, TokenServerInfo } from './types.js';
import type { TestPki } from './test-pki.js';

/** `auth.token.service` / `aud` of token-mode registries. */
export const TOKEN_SERVICE = 'pullguard-test-registry';
/** `auth.token.issuer` / `iss` of token-mode registries. */
export const TOKEN_ISSUER = 'pullguard-test-issuer';

/** The default ACL: alice pull+push everywhere, bob pull on shared/*, anonymous pull on public/*. */
export const defaultTokenAcl: TokenAcl = (user, repository) => {
  if (user === 'alice') return ['pull', 'push'];
  if (user === 'bob') return repository.startsWith('shared/') ? ['pull'] : [];
  if (user === undefined) return repository.startsWith('public/') ? ['pull'] : [];
  return [];
};

/** Inputs of `startTokenServer`. */
export interface TokenServerOptions {
  readonly users: Readonly<Record<string, string>>;
  readonly acl: TokenAcl;
  readonly service: string;
  readonly issuer: string;
  /** TLS identity of the HTTPS listener. */
  readonly tlsCertPem: string;
  readonly tlsKeyPem: string;
  /** Key and certificate that sign the tokens (the registry's rootcertbundle). */
  readonly signingKeyPem: string;
  readonly signingCertPem: string;
}

/** Options for a token server with the harness identities: TLS and token signing from `pki`, our service and issuer. */
export function harnessTokenServerOptions(
  pki: TestPki,
  users: Readonly<Record<string, string>>,
  acl: TokenAcl,
): TokenServerOptions {
  return {
    users,
    acl,
    service: TOKEN_SERVICE,
    issuer: TOKEN_ISSUER,
    tlsCertPem: pki.serverCertPem,
    tlsKeyPem: pki.serverKeyPem,
    signingKeyPem: pki.tokenKeyPem,
    signingCertPem: pki.tokenCertPem,
  };
}

/** A running token server. */
export interface RunningTokenServer extends TokenServerInfo {
  close(): Promise<void>;
}

const TOKEN_TTL_SECONDS = 300;

/**
 * Starts an HTTPS token server on 127.0.0.1 implementing the Docker token protocol
 * (GET /token?service=…&scope=…, plus the OAuth2 password grant on POST /token).
 */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  let requestCount = 0;
  const log: TokenRequestRecord[] = [];
  const sockets = new Set<Socket>();
  const server = https.createServer({ cert: options.tlsCertPem, key: options.tlsKeyPem }, (req, res) => {
    requestCount += 1;
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
      return sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no such endpoint' }] });
    }
    let params = url.searchParams;
    let credentials = basicCredentials(req.headers.authorization);
    if (req.method === 'POST') {
      params = new URLSearchParams(await readBody(req));
      const username = params.get('username');
      if (params.get('grant_type') === 'password' && username !== null) {
        credentials = { user: username, password: params.get('password') ?? '' };
      }
    }
    const scopes = params
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter((s) => s !== '');
    if (credentials === 'malformed' || (credentials !== undefined && !passwordMatches(options.users, credentials))) {
      log.push({ user: credentials === 'malformed' ? undefined : credentials.user, scopes, status: 401 });
      res.setHeader('WWW-Authenticate', 'Basic realm="pullguard-test-token"');
      return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] });
    }
    const user = credentials?.user;
    log.push({ user, scopes, status: 200 });
    const access = scopes.map((scope) => grant(scope, user, options.acl)).filter((a) => a !== undefined);
    const now = Math.floor(Date.now() / 1000);
    const token = signRegistryToken({
      issuer: options.issuer,
      audience: params.get('service') ?? options.service,
      subject: user ?? '',
      access,
      nowSeconds: now,
      ttlSeconds: TOKEN_TTL_SECONDS,
      keyPem: options.signingKeyPem,
      certPem: options.signingCertPem,
    });
    sendJson(res, 200, {
      token,
      access_token: token,
      expires_in: TOKEN_TTL_SECONDS,
      issued_at: new Date(now * 1000).toISOString(),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('token server: no TCP address');
  const { port } = address;
  return {
    url: `https://127.0.0.1:${port}/token`,
    requests: () => requestCount,
    requestLog: () => [...log],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Parses `type:name:actions` (name may itself contain ':'); grants requested ∩ ACL for repositories. */
function grant(scope: string, user: string | undefined, acl: TokenAcl): TokenAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const requested = scope.slice(last + 1).split(',');
  if (type !== 'repository') return { type, name, actions: [] };
  const allowed: readonly TokenAction[] = acl(user, name);
  const actions = requested.includes('*') ? [...allowed] : allowed.filter((a) => requested.includes(a));
  return { type, name, actions };
}

function basicCredentials(header: string | undefined): { user: string; password: string } | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null || match[1] === undefined) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function passwordMatches(users: Readonly<Record<string, string>>, c: { user: string; password: string }): boolean {
  const expected = Object.hasOwn(users, c.user) ? users[c.user] : undefined;
  if (expected === undefined) return false;
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(c.password).digest();
  return crypto.timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) req.destroy(new Error('token request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

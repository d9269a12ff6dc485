/**
 * A registry that reflects the Authorization header of every request into everything it sends back: every header
 * (RateLimit-Remaining, Retry-After, Warning, …), every body (errors, token responses), tag names, digests, media
 * types, platforms, a Location and WWW-Authenticate parameters. What a real registry will not do, hence a fault
 * server. The scenario is the first segment of the repository (`missing/app`, `ratelimit/app`, …).
 *
 * `basic` mode challenges for Basic; `bearer` mode for a token from its own /token realm, which issues `token`
 * (or, for the `tokenecho` scenario, the credential part of the Basic header it received, so the registry then
 * reflects the base64 of user:password as a Bearer token). The `decoded` scenario goes one step further than
 * reflecting: it names its token realm after the password it decoded from the last Basic header it saw.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer, type LoopbackServer } from './loopback-servers.js';

export const REFLECT_SCENARIOS = [
  'missing',
  'ratelimit',
  'error',
  'digest',
  'mediatype',
  'platform',
  'challenge',
  'decoded',
  'redirect',
  'refused',
  'tokenecho',
] as const;
export type ReflectScenario = (typeof REFLECT_SCENARIOS)[number];

export interface ReflectingRegistryOptions {
  readonly mode: 'basic' | 'bearer';
  /** What the realm issues (bearer mode). */
  readonly token: string;
  /** Host name suffix for the realm and redirect hosts built from the reflected credential (the test's fake DNS). */
  readonly reflectedHostSuffix: string;
  /** Port those hosts are asked on (a sink that counts connections). */
  readonly sinkPort: number;
}

/** The credential part of an Authorization header, reduced to what a DNS label, digest and tag all accept. */
function alnum(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '');
}

export function startReflectingRegistry(options: ReflectingRegistryOptions): Promise<LoopbackServer> {
  const seen = { password: '' };
  return startLoopbackServer((req, res, self) => answer(req, res, self, options, seen));
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  self: LoopbackServer,
  options: ReflectingRegistryOptions,
  seen: { password: string },
): void {
  const header = req.headers.authorization ?? '';
  if (header.startsWith('Basic '))
    seen.password = Buffer.from(header.slice(6), 'base64')
      .toString('utf8')
      .replace(/^[^:]*:/, '');
  const credential = header.replace(/^\S+\s+/, '');
  const url = new URL(req.url ?? '/', self.url);
  const echo = { echo: header, detail: credential };
  const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      // Every answer carries the header back, in every shape a client might parse.
      ...(header !== '' ? reflectedHeaders(header, credential) : {}),
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  const realm = `${self.url}/token`;
  const challenge =
    options.mode === 'basic'
      ? `Basic realm="${header || 'reflect'}"`
      : `Bearer realm="${realm}",service="reflect",error="${alnum(header)}"`;

  if (url.pathname === '/token') {
    const scope = url.searchParams.get('scope') ?? '';
    if (scope.includes(':refused/')) {
      return send(
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: header, detail: credential }] },
        { 'www-authenticate': `Basic realm="${header}"` },
      );
    }
    const token = scope.includes(':tokenecho/') ? alnum(credential) : options.token;
    return send(200, { token, access_token: token, expires_in: 300, issued_at: header, ...echo });
  }
  if (header === '' || (options.mode === 'bearer' && !header.startsWith('Bearer '))) {
    return send(
      401,
      { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
      { 'www-authenticate': challenge },
    );
  }
  if (url.pathname === '/v2/') return send(200, echo);
  const [, scenario = '', rest = ''] = /^\/v2\/([^/]+)\/[^/]+\/(.*)$/.exec(url.pathname) ?? [];
  const reflectedHost = `${alnum(credential).toLowerCase().slice(0, 60)}.${options.reflectedHostSuffix}:${options.sinkPort}`;
  if (rest === 'tags/list') {
    const tags = ['1.0', alnum(credential), credential, header, `v-${alnum(credential)}`, `${alnum(credential)}-1.0`];
    return send(200, { name: header, tags });
  }
  switch (scenario as ReflectScenario) {
    case 'missing':
    case 'refused':
    case 'tokenecho':
      return send(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: header, detail: credential }] });
    case 'ratelimit':
      return send(429, { errors: [{ code: 'TOOMANYREQUESTS', message: header }] });
    case 'error':
      return send(500, { errors: [{ code: alnum(credential), message: header }] });
    case 'digest':
      return send(200, '{}', {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': `sha512:${alnum(credential).padEnd(40, 'A')}`,
      });
    case 'mediatype': {
      const body = '{}';
      return send(200, body, {
        'content-type': `application/${alnum(credential)}`,
        'docker-content-digest': sha256(body),
      });
    }
    case 'platform': {
      const child = sha256('child');
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: child,
            size: 2,
            platform: { os: alnum(credential), architecture: 'arm64' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: child,
            size: 2,
            platform: { os: 'linux', architecture: alnum(credential) },
          },
        ],
      });
      return send(200, body, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        'docker-content-digest': sha256(body),
      });
    }
    case 'challenge':
      return send(401, echo, {
        'www-authenticate': `Bearer realm="http://${reflectedHost}/token?echo=${alnum(credential)}",service="${header}",scope="${header}",error="${header}"`,
      });
    case 'decoded':
      return send(401, echo, {
        'www-authenticate': `Bearer realm="http://${alnum(seen.password).toLowerCase()}.${options.reflectedHostSuffix}:${options.sinkPort}/token",service="reflect"`,
      });
    case 'redirect':
      return send(307, echo, {
        location: `http://${reflectedHost}/v2/${alnum(credential)}?echo=${encodeURIComponent(header)}`,
      });
  }
  send(404, { errors: [{ code: 'NAME_UNKNOWN', message: header }] });
}

function reflectedHeaders(header: string, credential: string): Record<string, string> {
  return {
    'ratelimit-remaining': alnum(credential),
    'ratelimit-limit': `${alnum(credential)};w=21600`,
    'retry-after': credential,
    warning: `299 - "${header}"`,
    'x-echo': header,
    link: `</v2/_catalog?last=${alnum(credential)}>; rel="other"`,
  };
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

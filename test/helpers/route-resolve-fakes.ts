/** A recording fake ImageResolver and route requests, for the tests of src/review/route-resolve.ts. */
import type { RegistryCredential } from '../../src/credentials/credential.js';
import { canonicalReference, type ImageReference, parseImageReference } from '../../src/image/reference.js';
import type { ImageResolver, PeekOptions, ResolveOptions } from '../../src/resolution/image-resolver.js';
import type { Resolution } from '../../src/resolution/resolution.js';
import type { PlannedRoute, RouteTarget } from '../../src/review/node-plan.js';
import type { RouteRequest } from '../../src/review/route-resolve.js';

export const found: Resolution = { outcome: 'found', digest: `sha256:${'d'.repeat(64)}` };
export const missing: Resolution = { outcome: 'not-found', missing: 'tag' };
export const tls: Resolution = { outcome: 'unreachable', cause: 'tls', detail: 'TLS handshake failed' };
export const refusedConnection: Resolution = { outcome: 'unreachable', cause: 'refused', detail: 'connection refused' };

function ref(image: string): ImageReference {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.reference;
}

interface Call {
  readonly reference: string;
  readonly credentials: readonly RegistryCredential[];
  readonly access: ResolveOptions['access'];
  readonly wantIndex: boolean | undefined;
}

/**
 * Answers by canonical reference (and `http:` + reference for a plain-HTTP ask), recording each call; `cached`
 * is what `peek` knows. Unknown references are not found.
 */
export function fakeResolver(answers: Record<string, Resolution>, cached: Record<string, Resolution> = {}) {
  const calls: Call[] = [];
  const peeks: Call[] = [];
  const record = (options: PeekOptions): Call => ({
    reference: canonicalReference(options.reference),
    credentials: options.credentials,
    access: options.access,
    wantIndex: options.wantIndex,
  });
  const key = (options: PeekOptions) =>
    `${options.access?.plainHttp === true ? 'http:' : ''}${canonicalReference(options.reference)}`;
  const resolver: ImageResolver & { onResolve?: () => void } = {
    resolve(options) {
      calls.push(record(options));
      resolver.onResolve?.();
      return Promise.resolve(answers[key(options)] ?? missing);
    },
    peek(options) {
      peeks.push(record(options));
      return cached[key(options)];
    },
  };
  return { resolver, calls, peeks };
}

export const mirror = (host: string, extra: Partial<RouteTarget> = {}): RouteTarget => ({
  host,
  role: 'mirror',
  reference: ref(`${host}/library/nginx:1.27`),
  ...extra,
});
export const upstream: RouteTarget = { host: 'registry-1.docker.io', role: 'upstream', reference: ref('nginx:1.27') };

export const mirrorCred: RegistryCredential = { username: 'm', password: 'mirror-secret', source: 'secret ns/mirror' };
export const imageCred: RegistryCredential = { username: 'i', password: 'image-secret', source: 'secret ns/hub' };
export const sharedCred: RegistryCredential = { username: 's', password: 'shared-secret', source: 'docker config' };

export function request(targets: readonly RouteTarget[], overrides: Partial<RouteRequest> = {}): RouteRequest {
  const route: PlannedRoute = { upstream: 'docker.io', targets, skipped: [] };
  return { route, credentialsFor: () => [], imageCredentials: [], wantIndex: false, ...overrides };
}

export const signal = () => new AbortController().signal;
export const elapsed = () => 1500;

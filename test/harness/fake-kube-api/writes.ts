/**
 * The writes the fake API accepts, with the API server's semantics
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/): `POST` creates (`409 AlreadyExists` when the name is
 * taken), `PUT` replaces a Lease under optimistic concurrency (`metadata.resourceVersion` must be the stored one, else
 * `409 Conflict`; an empty one is an unconditional update), `PATCH` merges into a core/v1 Event (JSON merge patch and
 * strategic merge patch, the same for an Event's scalar fields) and applies a JSON patch (json-patch.ts) to a
 * cluster-scoped ValidatingWebhookConfiguration (`422 Invalid` when an operation, such as a `test`, fails). Secrets take
 * `POST` and `PUT` as Leases do (a PUT that changes a Secret's `type` is `422`: it is immutable). Every other write is a `405`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeStore, KubeObject } from './kube-store.js';
import { applyJsonPatch } from './json-patch.js';
import type { ResourcePath } from './resources.js';
import { conflictBody, statusBody } from './status.js';

/** Which store keys take which writes. */
const WRITABLE: Readonly<Record<string, readonly string[]>> = {
  'coordination.k8s.io/leases': ['POST', 'PUT'],
  events: ['POST', 'PATCH'],
  secrets: ['POST', 'PUT'],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': ['PATCH'],
};

/** Which store keys take which PATCH content types. */
const PATCH_TYPES: Readonly<Record<string, readonly string[]>> = {
  events: ['application/merge-patch+json', 'application/strategic-merge-patch+json'],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': ['application/json-patch+json'],
};

const MAX_BODY_BYTES = 1024 * 1024;

type Send = (res: ServerResponse, status: number, body: unknown) => void;

/** True when `method` on `resource` is a write this server accepts. */
export function acceptsWrite(method: string, resource: ResourcePath): boolean {
  const allowed = WRITABLE[resource.type.key] ?? [];
  // A namespaced resource is written in its namespace, a cluster-scoped one without one.
  if (!allowed.includes(method) || (resource.namespace !== undefined) !== resource.type.namespaced) return false;
  return method === 'POST' ? resource.name === undefined : resource.name !== undefined;
}

/** Answers one accepted write; `path` is for Status messages. */
export function handleWrite(
  req: IncomingMessage,
  res: ServerResponse,
  resource: ResourcePath,
  store: KubeStore,
  send: Send,
  path: string,
): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const key = resource.type.key;
  const jsonPatch = type === 'application/json-patch+json';
  if (req.method === 'PATCH' && !(PATCH_TYPES[key] ?? []).includes(type)) return send(res, 415, statusBody(415, path));
  readBody(req, (parsed) => {
    if (jsonPatch ? !Array.isArray(parsed) : !isObject(parsed)) return send(res, 400, statusBody(400, path));
    const body = parsed as Record<string, unknown>;
    const plural = `${key.split('/').at(-1) ?? key}${key.includes('/') ? `.${key.split('/')[0]}` : ''}`;
    const namespace = resource.namespace;
    const metadata = isObject(body['metadata']) ? body['metadata'] : {};
    if (req.method === 'POST') {
      const name = metadata['name'];
      if (typeof name !== 'string' || name === '') return send(res, 422, statusBody(422, path));
      if (store.get(key, namespace, name) !== undefined)
        return send(res, 409, conflictBody('AlreadyExists', plural, name));
      store.put(key, { ...body, metadata: { ...metadata, namespace } } as KubeObject);
      return send(res, 201, store.get(key, namespace, name));
    }
    const name = resource.name ?? '';
    const existing = store.get(key, namespace, name);
    const named = { plural, name };
    if (existing === undefined) return send(res, 404, statusBody(404, path, named));
    if (jsonPatch) {
      const patched = applyJsonPatch(existing, parsed);
      if (!patched.ok) return send(res, patched.status, statusBody(patched.status, path));
      const { uid, creationTimestamp, resourceVersion } = existing.metadata ?? {};
      const object = patched.value as KubeObject;
      // The server's metadata stays: a patch cannot rename the object or move its resourceVersion.
      const metadata = { ...(object.metadata ?? {}), name, uid, creationTimestamp, resourceVersion };
      store.put(key, { ...object, metadata } as KubeObject);
      return send(res, 200, store.get(key, namespace, name));
    }
    if (req.method === 'PATCH') {
      const merged = mergePatch(existing, body) as KubeObject;
      store.put(key, { ...merged, metadata: { ...(merged.metadata ?? {}), name, namespace } });
      return send(res, 200, store.get(key, namespace, name));
    }
    if (metadata['name'] !== undefined && metadata['name'] !== name) return send(res, 400, statusBody(400, path));
    const version = metadata['resourceVersion'];
    if (version !== undefined && version !== '' && version !== existing.metadata?.['resourceVersion'])
      return send(res, 409, conflictBody('Conflict', plural, name));
    // A Secret's type is immutable (https://kubernetes.io/docs/concepts/configuration/secret/#secret-types).
    if (key === 'secrets' && (body['type'] ?? 'Opaque') !== (existing['type'] ?? 'Opaque'))
      return send(res, 422, statusBody(422, path));
    // uid and creationTimestamp are the server's, whatever the body says.
    const { uid, creationTimestamp } = existing.metadata ?? {};
    store.put(key, { ...body, metadata: { ...metadata, name, namespace, uid, creationTimestamp } } as KubeObject);
    return send(res, 200, store.get(key, namespace, name));
  });
}

/** JSON merge patch (https://www.rfc-editor.org/rfc/rfc7386): objects merge, `null` deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The request body parsed as JSON (undefined when not JSON or past 1 MiB). */
export function readBody(req: IncomingMessage, then: (body: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return then(undefined);
    try {
      then(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      then(undefined);
    }
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A small Kubernetes API server on 127.0.0.1 (HTTPS, test CA, bearer token) with the real JSON shapes, so tests reach
 * it through @kubernetes/client-node and a kubeconfig: the real client path runs. See README.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testPki } from '../registry/test-pki.js';
import { accessReviewAnswer, forbiddenBody, isDenied, requestAttributes, type DenyRule } from './access-rules.js';
import { discoveryAnswer } from './discovery.js';
import { KubeStore, type KubeObject } from './kube-store.js';
import { readListQuery } from './list-query.js';
import { kubeconfigText } from './kubeconfig-text.js';
import {
  defineType,
  resourcePath,
  TYPES,
  type CustomResourceDefinition,
  type CustomResourceKey,
  type ResourceKey,
} from './resources.js';
import { statusBody } from './status.js';
import { acceptsWrite, handleWrite, readBody } from './writes.js';

export interface FakeKubeFault {
  /** Answer with this HTTP status and a matching v1 Status body instead of the real answer. */
  readonly status?: number;
  /** Answer with this raw body (status `status` or 200), e.g. garbage or a wrong shape. */
  readonly body?: string;
  /** Wait this long before answering (with the fault status, or the real answer). */
  readonly delayMs?: number;
  /** Never answer (until close). */
  readonly hang?: boolean;
  /** Apply to this many matching requests, then stop (default: all). */
  readonly times?: number;
}

export interface SeenRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** The query string without '?', e.g. `watch=true&resourceVersion=3`. */
  readonly query: string;
}

export interface FakeKubeApi {
  readonly url: string;
  /** A kubeconfig (CA data + bearer token) for this server, in a temp dir removed on close. */
  readonly kubeconfigPath: string;
  readonly caPem: string;
  readonly token: string;
  /** A full v1 Secret; `stringData` is folded into base64 `data` as the API server does. */
  addSecret(secret: object): void;
  addServiceAccount(serviceAccount: object): void;
  addNamespace(namespace: object): void;
  /** A v1 Pod (`status.containerStatuses` as the kubelet writes them). */
  addPod(pod: object): void;
  /** A core/v1 Event (`involvedObject`, `lastTimestamp`, `count`). */
  addEvent(event: object): void;
  /** Any served object by store key: `pods`, `events.k8s.io/events`, `apps/deployments`, `batch/jobs`, … */
  add(resource: ResourceKey | CustomResourceKey, object: object): void;
  /** Adds or replaces a Node; watchers get ADDED or MODIFIED. */
  addNode(node: object): void;
  /** Watchers get DELETED. */
  removeNode(name: string): void;
  /** Removes any served object by store key (`namespace` undefined for a cluster-scoped one); watchers get DELETED. */
  remove(resource: ResourceKey, namespace: string | undefined, name: string): void;
  /** Ends every open watch response, as an API server restart or a load balancer's idle timeout does. */
  dropWatches(): void;
  /** Injects latency or failures for requests whose `path?query` matches. Later faults are checked first. */
  fault(pathPattern: RegExp, fault: FakeKubeFault): void;
  clearFaults(): void;
  /** Every request seen, in order (for "no list/watch of secrets" asserts). */
  requests(): SeenRequest[];
  /** Watch responses still open. */
  openWatches(): number;
  /**
   * Serves a custom resource (as an installed CRD does): `add('group/plural', obj)`, get, lists, watch and discovery
   * then work for it as for the built-ins. `group` must hold a dot, as a CRD's must.
   */
  defineResource(definition: CustomResourceDefinition): void;
  /** Denies what `rule` matches (absent fields match anything): requests get a 403, access reviews `allowed: false`. */
  deny(rule: DenyRule): void;
  clearDenials(): void;
  close(): Promise<void>;
}

interface ActiveFault {
  readonly pattern: RegExp;
  readonly fault: FakeKubeFault;
  remaining: number;
}

/** Starts the server on a random loopback port. */
export async function startFakeKubeApi(options: { token?: string } = {}): Promise<FakeKubeApi> {
  const pki = testPki();
  const token = options.token ?? 'fake-kube-api-token';
  const types = [...TYPES];
  const store = new KubeStore((key) => types.find((type) => type.key === key));
  const denials: DenyRule[] = [];
  const seen: SeenRequest[] = [];
  const faults: ActiveFault[] = [];
  const hanging = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const server = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://fake');
    seen.push({ method: req.method ?? '', path: url.pathname, query: url.search.slice(1) });
    const fault = takeFault(faults, `${url.pathname}${url.search}`);
    if (fault?.hang === true) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const answer = () => {
      if (fault?.body !== undefined) return sendRaw(res, fault.status ?? 200, fault.body);
      if (fault?.status !== undefined) return sendJson(res, fault.status, statusBody(fault.status, url.pathname));
      return route(req, res, url);
    };
    if (fault?.delayMs === undefined) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) answer();
    }, fault.delayMs);
    timers.add(timer);
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.headers.authorization !== `Bearer ${token}`) return sendJson(res, 401, statusBody(401, url.pathname));
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    if (req.method === 'GET') {
      const discovery = discoveryAnswer(segments, types, url.host);
      if (discovery !== undefined)
        return sendJson(
          res,
          discovery.found ? 200 : 404,
          discovery.found ? discovery.body : statusBody(404, url.pathname),
        );
    }
    if (req.method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      return readBody(req, (body) => {
        const answer = accessReviewAnswer(denials, body);
        sendJson(res, answer.code, answer.body);
      });
    }
    const resource = resourcePath(segments, types);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    if (resource !== undefined) {
      const attributes = requestAttributes(req.method ?? '', resource, watch);
      if (isDenied(denials, attributes)) return sendJson(res, 403, forbiddenBody(attributes));
    }
    if (req.method !== 'GET') {
      if (resource === undefined || !acceptsWrite(req.method ?? '', resource))
        return sendJson(res, 405, statusBody(405, url.pathname));
      return handleWrite(req, res, resource, store, sendJson, url.pathname);
    }
    if (resource === undefined) return sendJson(res, 404, statusBody(404, url.pathname));
    const key = resource.type.key;
    if (resource.name !== undefined) {
      const object = store.get(key, resource.namespace, resource.name);
      const named = { plural: key.split('/').at(-1) ?? key, name: resource.name };
      if (object === undefined) return sendJson(res, 404, statusBody(404, url.pathname, named));
      return sendJson(res, 200, object);
    }
    const query = readListQuery(url.searchParams);
    if ('problem' in query) return sendJson(res, 400, statusBody(400, url.pathname));
    if (watch) return store.watch(key, resource.namespace, query, url.searchParams, res);
    return sendJson(res, 200, store.list(key, resource.namespace, query));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-kube-api-'));
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigText(url, pki.caPem, token), { mode: 0o600 });

  return {
    url,
    kubeconfigPath,
    caPem: pki.caPem,
    token,
    addSecret: (secret) => store.put('secrets', foldStringData(secret as KubeObject)),
    addServiceAccount: (sa) => store.put('serviceaccounts', sa as KubeObject),
    addNamespace: (ns) => store.put('namespaces', ns as KubeObject),
    addNode: (node) => store.put('nodes', node as KubeObject),
    addPod: (pod) => store.put('pods', pod as KubeObject),
    addEvent: (event) => store.put('events', event as KubeObject),
    add: (resource, object) => {
      if (!types.some((type) => type.key === resource)) throw new Error(`fake kube API: ${resource} is not served`);
      store.put(resource, resource === 'secrets' ? foldStringData(object as KubeObject) : (object as KubeObject));
    },
    removeNode: (name) => store.remove('nodes', undefined, name),
    remove: (resource, namespace, name) => store.remove(resource, namespace, name),
    dropWatches: () => store.closeWatches(),
    fault: (pattern, fault) => faults.unshift({ pattern, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY }),
    clearFaults: () => faults.splice(0),
    requests: () => [...seen],
    openWatches: () => store.openWatches(),
    defineResource: (definition) => types.push(defineType(definition, types)),
    deny: (rule) => denials.push(rule),
    clearDenials: () => denials.splice(0),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      store.closeWatches();
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function takeFault(faults: ActiveFault[], target: string): FakeKubeFault | undefined {
  const active = faults.find((f) => f.remaining > 0 && f.pattern.test(target));
  if (active === undefined) return undefined;
  active.remaining--;
  return active.fault;
}

function foldStringData(secret: KubeObject): KubeObject {
  const { stringData, ...rest } = secret as KubeObject & {
    stringData?: Record<string, string>;
    data?: Record<string, string>;
  };
  if (stringData === undefined) return rest;
  const data = { ...(rest.data ?? {}) } as Record<string, string>;
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value).toString('base64');
  return { ...rest, data };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

function sendRaw(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

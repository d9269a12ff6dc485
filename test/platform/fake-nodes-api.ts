/**
 * A minimal stand-in for the API server's Node endpoints (`GET /api/v1/nodes`, with and without `watch=true`),
 * on loopback, for the node watcher test. To be replaced by test/harness/fake-kube-api once it serves nodes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeNode {
  readonly name: string;
  readonly arch: string;
  readonly os?: string;
  readonly labels?: Record<string, string>;
  readonly taints?: { key: string; value?: string; effect: string }[];
}

export interface FakeNodesApi {
  readonly url: string;
  addNode(node: FakeNode): void;
  removeNode(name: string): void;
  /** The next `count` list requests answer `status`. */
  failLists(count: number, status: number): void;
  /** Ends every open watch stream (as an API server does after its timeout). */
  closeWatches(): void;
  /** Request lines seen, e.g. `GET /api/v1/nodes?watch=true&resourceVersion=3`. */
  requests(): string[];
  close(): Promise<void>;
}

export async function startFakeNodesApi(initial: readonly FakeNode[] = []): Promise<FakeNodesApi> {
  const nodes = new Map<string, object>();
  const watchers = new Set<ServerResponse>();
  const seen: string[] = [];
  let resourceVersion = 1;
  let failures: { count: number; status: number } = { count: 0, status: 500 };

  const toObject = (node: FakeNode): object => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      resourceVersion: String(++resourceVersion),
      labels: { 'kubernetes.io/arch': node.arch, 'kubernetes.io/os': node.os ?? 'linux', ...node.labels },
    },
    spec: node.taints ? { taints: node.taints } : {},
    status: { nodeInfo: { architecture: node.arch, operatingSystem: node.os ?? 'linux' } },
  });
  const broadcast = (type: string, object: object): void => {
    for (const res of watchers) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  for (const node of initial) nodes.set(node.name, toObject(node));

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/api/v1/nodes') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404}');
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      watchers.add(res);
      res.on('close', () => watchers.delete(res));
      return;
    }
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      res.writeHead(failures.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: failures.status }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'NodeList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(resourceVersion) },
        items: [...nodes.values()],
      }),
    );
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    addNode(node) {
      const object = toObject(node);
      const type = nodes.has(node.name) ? 'MODIFIED' : 'ADDED';
      nodes.set(node.name, object);
      broadcast(type, object);
    },
    removeNode(name) {
      const object = nodes.get(name);
      if (!object) return;
      nodes.delete(name);
      broadcast('DELETED', object);
    },
    failLists(count, status) {
      failures = { count, status };
    },
    closeWatches() {
      for (const res of watchers) res.end();
    },
    requests: () => [...seen],
    async close() {
      for (const res of watchers) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { request } from 'node:http';
import t, { type Test } from 'tap';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { buildHealthApp, type Readiness } from './health-app.js';

interface Answer {
  readonly status: number;
  readonly type: string | undefined;
  readonly body: string;
}

function call(port: number, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function started(t: Test, readiness: Readiness, metrics: Metrics = createMetrics()) {
  const app = buildHealthApp({ metrics, readiness });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return { app, port };
}

t.test('liveness, readiness with its reason, and metrics', async (t) => {
  let reason: string | undefined = 'not listening yet';
  const metrics = createMetrics();
  metrics.cacheRequests.inc({ result: 'hit' });
  const { port } = await started(t, { notReadyReason: () => reason }, metrics);
  t.same(JSON.parse((await call(port, '/healthz')).body), { status: 'ok' });
  const notReady = await call(port, '/readyz');
  t.equal(notReady.status, 503);
  t.same(JSON.parse(notReady.body), { status: 'not ready', reason: 'not listening yet' });
  reason = undefined;
  const ready = await call(port, '/readyz?verbose=1');
  t.equal(ready.status, 200, 'a query string does not change the route');
  t.same(JSON.parse(ready.body), { status: 'ready' });
  const scraped = await call(port, '/metrics');
  t.equal(scraped.status, 200);
  t.match(scraped.type, /^text\/plain/);
  t.match(scraped.body, /^pullguard_cache_requests_total\{result="hit"\} 1$/m, 'tallied counters are collected');
});

t.test('HEAD has no body; other methods and paths are a JSON 404', async (t) => {
  const { port } = await started(t, { notReadyReason: () => undefined });
  const head = await call(port, '/readyz', 'HEAD');
  t.equal(head.status, 200);
  t.equal(head.body, '');
  for (const [method, path] of [
    ['POST', '/readyz'],
    ['GET', '/nope'],
    ['GET', `/${'x'.repeat(5000)}`],
  ] as const) {
    const answer = await call(port, path, method);
    t.equal(answer.status, 404, `${method} ${path.slice(0, 10)}`);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    t.equal(error.code, 'NOT_FOUND');
    t.ok(error.message.length < 400, 'the message quotes a bounded part of the path');
  }
});

t.test('metrics that cannot be collected are a 500, and the server keeps answering', async (t) => {
  const metrics = createMetrics();
  metrics.registry.registerMetric({
    name: 'broken',
    get: () => Promise.reject(new Error('collector failed')),
    reset: () => {},
    type: 'gauge',
  } as unknown as Parameters<Metrics['registry']['registerMetric']>[0]);
  const { port } = await started(t, { notReadyReason: () => undefined }, metrics);
  const answer = await call(port, '/metrics');
  t.equal(answer.status, 500);
  t.notMatch(answer.body, /collector failed/, 'the error text is not echoed');
  t.equal((await call(port, '/healthz')).status, 200);
});

t.test('close stops accepting and ends idle connections', async (t) => {
  const app = buildHealthApp({ metrics: createMetrics(), readiness: { notReadyReason: () => undefined } });
  const { port } = await app.listen({ host: '127.0.0.1', port: 0 });
  t.equal((await call(port, '/healthz')).status, 200);
  await app.close();
  await t.rejects(call(port, '/healthz'), { code: 'ECONNREFUSED' });
  await app.close(); // idempotent
});

t.test('a busy port is an error from listen', async (t) => {
  const { port } = await started(t, { notReadyReason: () => undefined });
  const second = buildHealthApp({ metrics: createMetrics(), readiness: { notReadyReason: () => undefined } });
  await t.rejects(second.listen({ host: '127.0.0.1', port }), { code: 'EADDRINUSE' });
});

/**
 * Issue 13: every review a conformant API server can send is checked and answered with an AdmissionReview, the
 * largest included (an object heavy in `<`, `>`, `&` arrives six times its size, review-limits.ts), and memory
 * stays bounded: bodies in flight share a budget, and a request that finds no room waits, then gets 429 BUSY.
 */
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { declaredCost, MAX_REVIEW_BYTES, SMALL_REVIEW_BYTES } from '../../src/admission/review-limits.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { Reviewer, ReviewOutcome } from '../../src/review/review-object.js';
import { createMemoryBudget, type Lease, type MemoryBudget } from '../../src/server/memory-budget.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';
import { admissionReview, POD_KIND } from '../helpers/admission-review.js';
import { answerView, apiServerProblems } from '../helpers/api-server-checks.js';
import { goJson } from '../helpers/go-json.js';
import { webhookUnderTest } from '../helpers/webhook-under-test.js';

const MiB = 1024 * 1024;

/** A Pod of about `bytes` whose bulk is one container argument of `<>&`: it fits in etcd, its review does not in 7 MiB. */
function htmlHeavyPod(bytes: number, image: string): Record<string, unknown> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { containers: [{ name: 'app', image, args: [''] }] },
  };
  const overhead = JSON.stringify(pod).length;
  pod.spec.containers[0]!.args = ['<>&'.repeat(Math.floor((bytes - overhead) / 3))];
  return pod;
}

t.test('a 1.24 MiB Pod full of <>& arrives as 7.44 MiB and is checked and answered', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const object = htmlHeavyPod(1.24 * MiB, 'Shop/Web:1.0');
  t.ok(JSON.stringify(object).length <= 1.24 * MiB + 100, 'the object is 1.24 MiB as stored');
  const body = goJson(admissionReview({ kind: POD_KIND, uid: 'big-1', name: 'web', object }));
  t.ok(body.length > 7.4 * MiB, `the review is ${(body.length / MiB).toFixed(2)} MiB, past the old 7 MiB limit`);
  const res = await hook.app.inject({
    method: 'POST',
    url: '/validate?timeout=10s',
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
  t.same(
    apiServerProblems({ statusCode: res.statusCode, body: res.body }, 'big-1'),
    [],
    'an AdmissionReview the API server accepts',
  );
  const answer = answerView(res.body);
  t.equal(answer.allowed, false, 'checked: the invalid image is denied');
  t.match(answer.message, /InvalidImageName/);
});

t.test('an UPDATE with object (3 MiB) and oldObject (1.5 MiB) at the limit is checked and answered', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const object = htmlHeavyPod(3 * MiB, 'Shop/Web:2.0');
  const oldObject = htmlHeavyPod(1.5 * MiB, 'example.com/web:1.0');
  const body = goJson(
    admissionReview({ kind: POD_KIND, uid: 'big-2', name: 'web', operation: 'UPDATE', object, oldObject }),
  );
  t.ok(
    body.length > MAX_REVIEW_BYTES - 1.5 * MiB && body.length <= MAX_REVIEW_BYTES,
    `the review is ${(body.length / MiB).toFixed(2)} MiB`,
  );
  const res = await hook.app.inject({
    method: 'POST',
    url: '/validate?timeout=10s',
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
  t.same(
    apiServerProblems({ statusCode: res.statusCode, body: res.body }, 'big-2'),
    [],
    'an AdmissionReview the API server accepts',
  );
  t.equal(answerView(res.body).allowed, false, 'checked: the changed image is denied');
});

t.test('past the limit: the documented 400 JSON error', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const object = htmlHeavyPod(4 * MiB, 'Shop/Web:2.0');
  const body = goJson(
    admissionReview({ kind: POD_KIND, uid: 'big-3', object, oldObject: htmlHeavyPod(1.5 * MiB, 'a:1') }),
  );
  t.ok(body.length > MAX_REVIEW_BYTES);
  const res = await hook.app.inject({
    method: 'POST',
    url: '/validate',
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { error: { code: 'BODY_TOO_LARGE', message: `body exceeds ${MAX_REVIEW_BYTES} bytes` } });
});

/** A reviewer whose reviews finish only when the test says so, to hold their bodies in flight. */
/**
 * The real budget, reporting each step (a request starts waiting for room, its wait ends, a lease shrinks or is
 * released), so a test waits for the step it expects instead of sleeping and hoping it happened.
 */
function observedBudget(
  capacity: number,
): MemoryBudget & { waits: { granted?: boolean }[]; until(condition: () => boolean, what: string): Promise<void> } {
  const inner = createMemoryBudget(capacity);
  const waits: { granted?: boolean }[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  const observed = (lease: Lease): Lease => ({
    get weight() {
      return lease.weight;
    },
    shrink: (weight) => {
      lease.shrink(weight);
      changed();
    },
    release: () => {
      lease.release();
      changed();
    },
  });
  return {
    capacity: inner.capacity,
    inUse: () => inner.inUse(),
    tryAcquire: (weight) => {
      const lease = inner.tryAcquire(weight);
      if (lease) queueMicrotask(changed); // after the caller holds it, as after a wait
      return lease && observed(lease);
    },
    acquire: async (weight, signal) => {
      const wait: { granted?: boolean } = {};
      waits.push(wait);
      changed();
      const lease = await inner.acquire(weight, signal);
      wait.granted = lease !== undefined;
      changed();
      return lease && observed(lease);
    },
    waits,
    until: (condition, what) =>
      new Promise<void>((resolve, reject) => {
        if (condition()) return resolve();
        const timer = globalThis.setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`budget: ${what} did not happen within 10 s`));
        }, 10_000);
        const check = () => {
          if (!condition()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      }),
  };
}

function heldReviewer(): Reviewer & { finish(): void; started(): number } {
  let started = 0;
  const waiting: (() => void)[] = [];
  return {
    review: () => {
      started++;
      return new Promise<ReviewOutcome>((resolve) =>
        waiting.push(() => resolve({ status: 'skipped', reason: 'held' })),
      );
    },
    finish: () => waiting.splice(0).forEach((resolve) => resolve()),
    started: () => started,
  };
}

/** The webhook app with this reviewer and memory budget, closed at teardown. */
function webhookWith(t: Test, reviewer: Reviewer, budget: MemoryBudget) {
  const app = buildWebhookApp({
    config: DEFAULT_CONFIG,
    reviewer,
    metrics: createMetrics({ processMetrics: false }),
    logger: pino({ level: 'silent' }),
    memoryBudget: budget,
  });
  t.teardown(() => app.close());
  return app;
}

t.test('bodies share a memory budget: a large one waits for room, then gets it; the budget is returned', async (t) => {
  const reviewer = heldReviewer();
  const body = goJson(admissionReview({ kind: POD_KIND, uid: 'held', object: htmlHeavyPod(0.5 * MiB, 'a:1') }));
  const budget = observedBudget(declaredCost(Buffer.byteLength(body)) + 1024 * 1024);
  const app = webhookWith(t, reviewer, budget);
  const post = () =>
    app.inject({
      method: 'POST',
      url: '/validate?timeout=10s',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
  const first = post();
  while (reviewer.started() < 1) await setTimeout(5);
  const second = post();
  await budget.until(() => budget.waits.length === 1, 'the second request waiting for room');
  t.equal(budget.waits[0]?.granted, undefined, 'the second request is waiting for room');
  t.equal(reviewer.started(), 1, 'the second body is not read while the first review holds the room');
  const small = await app.inject({ method: 'POST', url: '/validate', payload: '[]' });
  t.equal(small.statusCode, 400, 'a small body still passes meanwhile');
  reviewer.finish();
  t.equal((await first).statusCode, 200);
  while (reviewer.started() < 2) await setTimeout(5);
  reviewer.finish();
  t.equal((await second).statusCode, 200, 'the second is answered once the first is done');
  t.equal(budget.inUse(), 0, 'every lease is given back');
});

t.test('no room within half the review budget: 429 BUSY with Retry-After, in the error shape', async (t) => {
  const reviewer = heldReviewer();
  const body = goJson(admissionReview({ kind: POD_KIND, uid: 'busy', object: htmlHeavyPod(0.5 * MiB, 'a:1') }));
  const budget = createMemoryBudget(declaredCost(Buffer.byteLength(body)) + 1024 * 1024);
  const app = webhookWith(t, reviewer, budget);
  const first = app.inject({ method: 'POST', url: '/validate?timeout=2s', payload: body });
  while (reviewer.started() < 1) await setTimeout(5);
  const started = performance.now();
  const second = await app.inject({ method: 'POST', url: '/validate?timeout=2s', payload: body });
  t.equal(second.statusCode, 429);
  t.equal(second.headers['retry-after'], '1');
  t.match(second.json(), { error: { code: 'BUSY', message: /retry/ } });
  t.ok(performance.now() - started >= 450, 'it waited half of the 1 s review budget first');
  reviewer.finish();
  t.equal((await first).statusCode, 200);
  t.equal(budget.inUse(), 0);
});

t.test(
  'an ordinary review (up to 64 KiB) takes no lease: it is answered at once even with no room in the budget',
  async (t) => {
    const reviewer = heldReviewer();
    const budget = createMemoryBudget(1); // room for no body that leases
    const app = buildWebhookApp({
      config: DEFAULT_CONFIG,
      reviewer,
      metrics: createMetrics({ processMetrics: false }),
      logger: pino({ level: 'silent' }),
      memoryBudget: budget,
    });
    t.teardown(() => app.close());
    const ordinary = goJson(
      admissionReview({ kind: POD_KIND, uid: 'ordinary', object: htmlHeavyPod(SMALL_REVIEW_BYTES / 8, 'b:1') }),
    );
    t.ok(Buffer.byteLength(ordinary) <= SMALL_REVIEW_BYTES, `${Buffer.byteLength(ordinary)} bytes`);
    const answer = app.inject({ method: 'POST', url: '/validate?timeout=2s', payload: ordinary });
    for (let waited = 0; reviewer.started() < 1 && waited < 500; waited += 5) await setTimeout(5);
    t.equal(reviewer.started(), 1, 'reviewed at once, without waiting for room');
    t.equal(budget.inUse(), 0, 'it leased nothing');
    reviewer.finish();
    t.equal((await answer).statusCode, 200);
    const larger = goJson(
      admissionReview({ kind: POD_KIND, uid: 'larger', object: htmlHeavyPod(SMALL_REVIEW_BYTES, 'b:1') }),
    );
    t.ok(Buffer.byteLength(larger) > SMALL_REVIEW_BYTES);
    t.equal(
      (await app.inject({ method: 'POST', url: '/validate?timeout=1s', payload: larger })).statusCode,
      429,
      'a larger one needs room',
    );
  },
);

t.test('a client that goes away, waiting for room or halfway through its body, leaves no memory leased', async (t) => {
  const reviewer = heldReviewer();
  const body = goJson(admissionReview({ kind: POD_KIND, uid: 'gone', object: htmlHeavyPod(0.5 * MiB, 'a:1') }));
  const budget = observedBudget(declaredCost(Buffer.byteLength(body)) + 1024 * 1024);
  const app = webhookWith(t, reviewer, budget);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const head = `POST /validate?timeout=10s HTTP/1.1\r\nHost: pullguard\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  const openWith = async (data: string): Promise<Socket> => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.write(data);
    return socket;
  };
  const first = app.inject({ method: 'POST', url: '/validate?timeout=10s', payload: body });
  while (reviewer.started() < 1) await setTimeout(5);
  const waiting = await openWith(head);
  await budget.until(() => budget.waits.length === 1, 'the second client waiting for room');
  t.ok(budget.inUse() < 2 * declaredCost(Buffer.byteLength(body)), 'the second client waits for room');
  waiting.destroy();
  await budget.until(() => budget.waits[0]?.granted !== undefined, 'the wait of the client that left ending');
  t.equal(budget.waits[0]?.granted, false, 'the client that left while waiting was never given room');
  reviewer.finish();
  t.equal((await first).statusCode, 200);
  await budget.until(() => budget.inUse() === 0, 'the first review giving its room back');
  t.equal(budget.inUse(), 0, 'nothing is held once the first review is answered');
  const halfway = await openWith(head + body.slice(0, body.length / 2));
  await budget.until(() => budget.inUse() > 0, 'the client sending its body getting room');
  t.ok(budget.inUse() > 0, 'a client sending its body holds room');
  halfway.destroy();
  await budget.until(() => budget.inUse() === 0, 'the client that left halfway giving its room back');
  t.equal(budget.inUse(), 0, 'and gives it back when it goes away');
});

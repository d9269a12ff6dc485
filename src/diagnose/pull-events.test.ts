import { readFileSync } from 'node:fs';
import t from 'tap';
import { MAX_TEXT_CHARS } from './failing-containers.js';
import { containerPullEvents, MAX_EVENTS, readPullEvents } from './pull-events.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/diagnose/${name}`, import.meta.url), 'utf8'));
const pod = { name: 'web-6f9c7d8b5-x2q7k', namespace: 'shop', uid: '4b1e6c2a-2d7f-4a43-9a61-1f0d0c0e7a11' };
const now = new Date('2026-12-03T09:15:00Z');

t.test('core/v1 events: the latest Failed to pull and Back-off per container, with count and age', async (t) => {
  const reading = readPullEvents(fixture('events-core-v1.json'), pod, now);
  t.same(reading.malformed, 0);
  t.equal(reading.truncated, false);
  t.same(
    reading.containers.map((c) => `${c.section}{${c.name}}`),
    ['initContainers{migrate}', 'containers{app}'],
  );
  const app = containerPullEvents(reading, 'containers', 'app');
  t.match(app?.failed, {
    reason: 'Failed',
    message: /^Failed to pull image "bitnami\/nginx:1.25.3": .*: not found$/,
    count: 7,
    lastSeen: '2026-12-03T09:12:40.000Z',
    ageSeconds: 140,
    reportedBy: 'kubelet',
    host: 'worker-2',
  });
  t.same(
    app?.backOff,
    {
      reason: 'BackOff',
      message: 'Back-off pulling image "bitnami/nginx:1.25.3"',
      count: 58,
      lastSeen: '2026-12-03T09:14:55.000Z',
      ageSeconds: 5,
      reportedBy: 'kubelet',
      host: 'worker-2',
    },
    'the BackOff of an earlier pod with the same name (another uid) is not this one',
  );
  const migrate = containerPullEvents(reading, 'initContainers', 'migrate');
  t.match(migrate, { failed: { count: 1, ageSeconds: 910, message: /401 Unauthorized$/ } });
  t.equal(migrate?.backOff, undefined);
  t.equal(containerPullEvents(reading, 'containers', 'sidecar'), undefined);
});

t.test('events.k8s.io/v1 events: regarding, note, series', async (t) => {
  const reading = readPullEvents(fixture('events-events-k8s-io-v1.json'), pod, now);
  const debug = containerPullEvents(reading, 'ephemeralContainers', 'debugger-7k2');
  t.match(debug?.backOff, {
    count: 12,
    lastSeen: '2026-12-03T09:13:30.250Z',
    ageSeconds: 89,
    reportedBy: 'kubelet',
    host: 'worker-2',
  });
  t.match(debug?.failed, { count: 1, lastSeen: '2026-12-03T09:00:58.000Z', message: /: not found$/, host: 'worker-2' });
});

const event = (over: Record<string, unknown>) => ({
  involvedObject: { kind: 'Pod', name: pod.name, namespace: 'shop', fieldPath: 'spec.containers{app}' },
  reason: 'BackOff',
  message: 'Back-off pulling image "a"',
  ...over,
});

t.test('the latest wins: by last occurrence, then by count; an event with no time loses', async (t) => {
  const reading = readPullEvents(
    {
      items: [
        event({ lastTimestamp: '2026-12-03T09:00:00Z', count: 3 }),
        event({ lastTimestamp: '2026-12-03T09:10:00Z', count: 2, message: 'Back-off pulling image "b"' }),
        event({ lastTimestamp: '2026-12-03T09:10:00Z', count: 1 }),
        event({ count: 100 }),
        event({ lastTimestamp: 'not a time', count: 50 }),
      ],
    },
    pod,
    now,
  );
  t.match(reading.containers[0]?.backOff, { message: 'Back-off pulling image "b"', count: 2, ageSeconds: 300 });
  const future = readPullEvents({ items: [event({ eventTime: '2026-12-03T09:20:00Z' })] }, pod, now);
  t.equal(future.containers[0]?.backOff?.ageSeconds, 0, 'a node clock ahead gives age 0, not a negative age');
  const timeless = readPullEvents({ items: [event({})] }, pod, now);
  t.same(timeless.containers[0]?.backOff, { reason: 'BackOff', message: 'Back-off pulling image "a"', count: 1 });
});

t.test('only pull events about this pod and one of its containers count', async (t) => {
  const ignored = [
    event({ reason: 'Failed', message: 'Error: ErrImagePull' }),
    event({ reason: 'BackOff', message: 'Back-off restarting failed container app in pod x' }),
    event({ reason: 'Pulling', message: 'Pulling image "a"' }),
    event({ involvedObject: { kind: 'Pod', name: 'other', fieldPath: 'spec.containers{app}' } }),
    event({ involvedObject: { kind: 'Pod', name: pod.name, namespace: 'other', fieldPath: 'spec.containers{app}' } }),
    event({ involvedObject: { kind: 'Deployment', name: pod.name, fieldPath: 'spec.containers{app}' } }),
    event({ involvedObject: { kind: 'Pod', name: pod.name } }),
    event({ involvedObject: { kind: 'Pod', name: pod.name, fieldPath: 'spec.volumes{app}' } }),
  ];
  t.same(readPullEvents({ items: ignored }, pod, now).containers, []);
});

t.test('bad input: a problem, skipped events counted, bounded work and text', async (t) => {
  t.same(readPullEvents(null, pod, now), {
    containers: [],
    malformed: 0,
    truncated: false,
    problem: 'not an EventList: no items array',
  });
  t.match(readPullEvents({ items: 'x' }, pod, now), { problem: /not an EventList/ });
  const reading = readPullEvents(
    { items: [null, 7, event({ count: -1 }), event({ count: 'many' }), event({})] },
    pod,
    now,
  );
  t.equal(reading.malformed, 4);
  t.equal(reading.containers.length, 1);
  const long = readPullEvents(
    { items: [event({ message: `Back-off pulling image ${'x'.repeat(MAX_TEXT_CHARS)}` })] },
    pod,
    now,
  );
  t.equal(long.containers[0]?.backOff?.message.length, MAX_TEXT_CHARS + 1);
  const many = Array.from({ length: MAX_EVENTS + 1 }, (_, i) =>
    i === MAX_EVENTS
      ? event({ involvedObject: { kind: 'Pod', name: pod.name, fieldPath: 'spec.containers{late}' } })
      : {},
  );
  const capped = readPullEvents({ items: many }, pod, now);
  t.equal(capped.truncated, true);
  t.equal(capped.malformed, 0, 'an object with no fields is a (useless) event, not malformed');
  t.same(capped.containers, [], 'the event past the cap is not read');
});

import t from 'tap';
import { BUILT_IN_WORKLOADS } from '../workload/workload-catalog.js';
import { AuditState, MAX_EVENT_MESSAGE, type CheckResult } from './audit-state.js';
import { buildInventory, type AuditCheck, type WorkloadObject } from './inventory.js';

const deployment = (name: string, image: string, containers = ['app']): WorkloadObject => ({
  group: 'apps',
  kind: 'Deployment',
  object: {
    metadata: { name, namespace: 'shop' },
    spec: { replicas: 0, template: { spec: { containers: containers.map((c) => ({ name: c, image })) } } },
  },
});

const cronJob = (image: string): WorkloadObject => ({
  group: 'batch',
  kind: 'CronJob',
  object: {
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'report', image }] } } } } },
  },
});

const checksOf = (...objects: WorkloadObject[]): readonly AuditCheck[] =>
  buildInventory(BUILT_IN_WORKLOADS, objects).checks;

const NOT_FOUND: CheckResult = {
  outcome: 'unavailable',
  class: 'notFound',
  message: 'manifest unknown: tag 1.4 of registry.example.com/shop/web does not exist',
};
const UNAUTHORIZED: CheckResult = {
  outcome: 'unavailable',
  class: 'unauthorized',
  message: 'the registry refused the credentials of pull secret shop/regcred',
};

t.test('a new failure: one Event per workload, a series per failing use; the same again: nothing', async (t) => {
  const [check] = checksOf(
    deployment('web', 'registry.example.com/shop/web:1.4'),
    deployment('api', 'registry.example.com/shop/web:1.4'),
  );
  const state = new AuditState();
  const first = state.record(check!, NOT_FOUND);
  t.same(
    first.events.map((event) => [event.type, event.reason, event.workload.name, event.message]),
    [
      ['Warning', 'ImageUnavailable', 'web', `container "app": ${NOT_FOUND.message}`],
      ['Warning', 'ImageUnavailable', 'api', `container "app": ${NOT_FOUND.message}`],
    ],
  );
  t.same(first.set, [
    { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app', class: 'notFound' },
    { namespace: 'shop', kind: 'Deployment', name: 'api', container: 'app', class: 'notFound' },
  ]);
  t.same(first.remove, []);
  const again = state.record(check!, NOT_FOUND);
  t.same(again, { events: [], set: [], remove: [], overflow: 0 }, 'not re-emitted each cycle');
  t.equal(state.failingUses, 2);
});

t.test(
  'a changed class replaces the series and emits again; a changed message alone emits, keeps the series',
  async (t) => {
    const [check] = checksOf(cronJob('registry.example.com/tools/report:2.1'));
    const state = new AuditState();
    state.record(check!, NOT_FOUND);
    const changed = state.record(check!, UNAUTHORIZED);
    t.equal(changed.events.length, 1);
    t.match(changed.events[0]?.message, /refused the credentials/);
    t.same(changed.set, [
      { namespace: 'shop', kind: 'CronJob', name: 'nightly', container: 'report', class: 'unauthorized' },
    ]);
    t.same(changed.remove, [
      { namespace: 'shop', kind: 'CronJob', name: 'nightly', container: 'report', class: 'notFound' },
    ]);
    const reworded = state.record(check!, { ...UNAUTHORIZED, message: 'the pull secret shop/regcred has expired' });
    t.equal(reworded.events.length, 1);
    t.same(reworded.set, []);
    t.same(reworded.remove, []);
  },
);

t.test('a fix removes the series; failing again later is a new Event', async (t) => {
  const [check] = checksOf(deployment('web', 'registry.example.com/shop/web:1.4'));
  const state = new AuditState();
  state.record(check!, NOT_FOUND);
  const fixed = state.record(check!, { outcome: 'available' });
  t.same(fixed.events, []);
  t.same(fixed.remove, [{ namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app', class: 'notFound' }]);
  t.equal(state.failingUses, 0);
  t.same(state.record(check!, { outcome: 'available' }).remove, [], 'nothing left to remove');
  t.equal(state.record(check!, NOT_FOUND).events.length, 1);
});

t.test('a skipped check drops its failures like an available one', async (t) => {
  const [check] = checksOf(deployment('web', 'registry.example.com/shop/web:1.4'));
  const state = new AuditState();
  state.record(check!, NOT_FOUND);
  const skipped = state.record(check!, { outcome: 'skipped', reason: 'image exempt' });
  t.same(skipped.events, []);
  t.same(skipped.remove, [{ namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app', class: 'notFound' }]);
  t.equal(state.failingUses, 0);
});

t.test('an error keeps what was known', async (t) => {
  const [check] = checksOf(deployment('web', 'registry.example.com/shop/web:1.4'));
  const state = new AuditState();
  state.record(check!, NOT_FOUND);
  t.same(state.record(check!, { outcome: 'error' }), { events: [], set: [], remove: [], overflow: 0 });
  t.equal(state.failingUses, 1);
  t.same(state.outcomes([check!]), { available: 0, unavailable: 0, error: 1, skipped: 0, pending: 0 });
  t.same(state.record(check!, NOT_FOUND).events, [], 'the failure was remembered through the error');
});

t.test('prune: a deleted workload or a changed image removes its series; others stay', async (t) => {
  const state = new AuditState();
  const [web, api] = checksOf(deployment('web', 'shop/web:1.4'), deployment('api', 'shop/api:2'));
  state.record(web!, NOT_FOUND);
  state.record(api!, NOT_FOUND);
  const gone = state.prune(checksOf(deployment('api', 'shop/api:2')));
  t.same(gone.remove, [{ namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app', class: 'notFound' }]);
  const updated = checksOf(deployment('api', 'shop/api:3'));
  const changed = state.prune(updated);
  t.same(
    changed.remove.map((labels) => labels.name),
    ['api'],
    'the use now belongs to another check',
  );
  t.equal(state.failingUses, 0);
  t.same(state.outcomes(updated), { available: 0, unavailable: 0, error: 0, skipped: 0, pending: 1 });
});

t.test('two uses with the same labels share a series until both are fixed', async (t) => {
  const state = new AuditState();
  const object: WorkloadObject = {
    group: 'apps',
    kind: 'Deployment',
    object: {
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'app', image: 'shop/init:1' }],
            containers: [{ name: 'app', image: 'shop/web:1.4' }],
          },
        },
      },
    },
  };
  const [init, main] = checksOf(object);
  t.equal(init?.uses[0]?.section, 'initContainers');
  t.same(state.record(init!, NOT_FOUND).set.length, 1);
  t.same(state.record(main!, NOT_FOUND).set, [], 'the series already exists');
  t.same(state.record(init!, { outcome: 'available' }).remove, [], 'still failing through the other use');
  t.same(state.record(main!, { outcome: 'available' }).remove.length, 1);
});

t.test('outcome counts over the current checks', async (t) => {
  const checks = checksOf(
    deployment('a', 'x/a:1'),
    deployment('b', 'x/b:1'),
    deployment('c', 'x/c:1'),
    deployment('d', 'x/d:1'),
    deployment('e', 'x/e:1'),
  );
  const state = new AuditState();
  state.record(checks[0]!, { outcome: 'available' });
  state.record(checks[1]!, NOT_FOUND);
  state.record(checks[2]!, { outcome: 'error' });
  state.record(checks[4]!, { outcome: 'skipped', reason: 'namespace shop has pullguard.io/mode=off' });
  t.same(state.outcomes(checks), { available: 1, unavailable: 1, error: 1, skipped: 1, pending: 1 });
});

t.test('bounded: past the cap on failing uses, no Event and no series, counted', async (t) => {
  const checks = checksOf(deployment('a', 'x/a:1'), deployment('b', 'x/b:1', ['one', 'two']));
  const state = new AuditState(2);
  t.equal(state.record(checks[0]!, NOT_FOUND).overflow, 0);
  const past = state.record(checks[1]!, NOT_FOUND);
  t.equal(past.overflow, 1);
  t.equal(past.events.length, 1);
  t.equal(past.set.length, 1);
  t.equal(state.failingUses, 2);
  state.record(checks[0]!, { outcome: 'available' });
  t.equal(state.record(checks[1]!, NOT_FOUND).set.length, 1, 'room again after a fix');
});

t.test('a long message is cut to fit an Event', async (t) => {
  const [check] = checksOf(deployment('web', 'shop/web:1'));
  const state = new AuditState();
  const actions = state.record(check!, { outcome: 'unavailable', class: 'notFound', message: 'x'.repeat(5000) });
  t.equal(actions.events[0]?.message.length, MAX_EVENT_MESSAGE);
  t.match(actions.events[0]?.message, /…$/);
});

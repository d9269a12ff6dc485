import t from 'tap';
import type { ReadResult } from './cluster-port.js';
import { controllerOf, ownerOf } from './owner-chain.js';

const pod = (refs: unknown, labels: Record<string, string> = {}) => ({ metadata: { ownerReferences: refs, labels } });
const rsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6f9c7d8b5', uid: 'u', controller: true };
const found = (value: unknown): ReadResult<unknown> => ({ status: 'found', value });

t.test('controllerOf: the controller reference only, complete ones only', async (t) => {
  t.same(controllerOf(pod([{ kind: 'Node', name: 'n1' }, rsRef])), { kind: 'ReplicaSet', name: 'web-6f9c7d8b5' });
  t.equal(controllerOf(pod([{ kind: 'ReplicaSet', name: 'x' }])), undefined, 'not controller: true');
  t.equal(controllerOf(pod([{ kind: 'ReplicaSet', controller: true }])), undefined, 'no name');
  for (const hostile of [null, 'x', 42, [], { metadata: [] }, pod('refs'), pod([null, 7])])
    t.equal(controllerOf(hostile), undefined);
  t.same(controllerOf({ metadata: Object.create({ ownerReferences: [rsRef] }) }), undefined, 'own fields only');
});

t.test('ownerOf: one step up to the Deployment or the CronJob', async (t) => {
  const asked: string[] = [];
  const deployment = await ownerOf(pod([rsRef]), 'shop', (kind, name) => {
    asked.push(`${kind}/${name}`);
    return Promise.resolve(found(pod([{ kind: 'Deployment', name: 'web', controller: true }])));
  });
  t.same(deployment, { owner: { kind: 'Deployment', name: 'web' } });
  t.same(asked, ['replicaset/web-6f9c7d8b5']);

  const jobRef = { kind: 'Job', name: 'nightly-29412360', controller: true };
  const cron = await ownerOf(pod([jobRef]), 'shop', () =>
    Promise.resolve(found(pod([{ kind: 'CronJob', name: 'nightly', controller: true }]))),
  );
  t.same(cron, { owner: { kind: 'CronJob', name: 'nightly' } });

  const bareJob = await ownerOf(pod([jobRef]), 'shop', () => Promise.resolve(found(pod([]))));
  t.same(bareJob, { owner: { kind: 'Job', name: 'nightly-29412360' } }, 'a Job nobody owns is the owner');

  const sts = { kind: 'StatefulSet', name: 'db', controller: true };
  t.same(await ownerOf(pod([sts]), 'shop', () => Promise.reject(new Error('must not read'))), {
    owner: { kind: 'StatefulSet', name: 'db' },
  });
  t.same(await ownerOf(pod([]), 'shop', () => Promise.reject(new Error('must not read'))), {}, 'a bare Pod');
});

t.test('ownerOf: a ReplicaSet that cannot be read is named by its pod-template-hash, and said', async (t) => {
  const forbidden = (): Promise<ReadResult<unknown>> =>
    Promise.resolve({ status: 'error', kind: 'forbidden', detail: 'HTTP 403' });
  const guessed = await ownerOf(pod([rsRef], { 'pod-template-hash': '6f9c7d8b5' }), 'shop', forbidden);
  t.same(guessed.owner, { kind: 'Deployment', name: 'web' });
  t.match(
    guessed.unread,
    /cannot read ReplicaSet shop\/web-6f9c7d8b5 \(forbidden: HTTP 403\); its name says Deployment web/,
  );

  const otherHash = await ownerOf(pod([rsRef], { 'pod-template-hash': 'zzz' }), 'shop', forbidden);
  t.same(otherHash.owner, { kind: 'ReplicaSet', name: 'web-6f9c7d8b5' }, 'no guess when the name does not end in it');
  t.match(otherHash.unread, /so the fix names the ReplicaSet/);

  const gone = await ownerOf(pod([rsRef]), 'shop', () => Promise.resolve({ status: 'not-found' }));
  t.same(gone, { owner: { kind: 'ReplicaSet', name: 'web-6f9c7d8b5' } });
});

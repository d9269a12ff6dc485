import t from 'tap';
import type { ClusterReader } from '../credentials/cluster-port.js';
import type { Finding } from '../policy/finding.js';
import type { ReviewInput, ReviewOutcome, Reviewer } from '../review/review-object.js';
import type { ImageUse } from '../workload/image-use.js';
import { createDiagnosePodCheck, createNodeBook } from './diagnose-pod-check.js';

const pod = {
  metadata: {
    name: 'web-1',
    namespace: 'shop',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6f', uid: 'u', controller: true }],
    annotations: { 'kubernetes.io/config.mirror': 'x', keep: 'me' },
  },
  spec: {
    serviceAccountName: 'builder',
    imagePullSecrets: [{ name: 'locked' }, { name: 'gone' }, {}],
    containers: [{ name: 'app', image: 'reg.example:5000/team/app:1.2' }],
  },
};
const node = {
  metadata: { name: 'n1', labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' } },
  status: { nodeInfo: { operatingSystem: 'linux', architecture: 'arm64', containerRuntimeVersion: 'cri-o://1.34.1' } },
};
const app: ImageUse = {
  image: 'reg.example:5000/team/app:1.2',
  name: 'app',
  section: 'containers',
  path: 'spec.containers[0].image',
};
const sidecar: ImageUse = { image: 'busybox', name: 'side', section: 'containers', path: 'spec.containers[1].image' };
const refused: Finding = { class: 'invalidPullSecret', cause: 'refused', short: 'refused', use: app };

function reviewer(outcome: ReviewOutcome, inputs: ReviewInput[] = []): Reviewer {
  return {
    review: (input) => {
      inputs.push(input);
      return Promise.resolve(outcome);
    },
  };
}

const reviewed: ReviewOutcome = {
  status: 'reviewed',
  objectLabel: 'Pod shop/web-1',
  checkedUses: 2,
  uses: [
    {
      use: app,
      canonical: 'reg.example:5000/team/app:1.2',
      resolution: { outcome: 'unauthorized', reason: 'credentials-rejected', credentialSource: 'secret shop/regcred' },
    },
    {
      use: sidecar,
      canonical: 'docker.io/library/busybox:latest',
      resolution: {
        outcome: 'found',
        index: { platforms: 'linux/amd64 linux/arm64/v8', unplatformed: false, incomplete: false },
      },
    },
  ],
  decision: { verdict: 'deny', findings: [{ ...refused, verdict: 'deny' }] },
};

const sa: ClusterReader = {
  getSecret: (_namespace, name) =>
    Promise.resolve(
      name === 'locked' ? { status: 'error', kind: 'forbidden', detail: 'HTTP 403' } : { status: 'not-found' },
    ),
  getNamespaceLabels: () => Promise.reject(new Error('not used')),
  getServiceAccount: (namespace, name) =>
    Promise.resolve(
      namespace === 'shop' && name === 'builder'
        ? { status: 'found', value: { imagePullSecrets: ['regcred', ''], annotationKeys: [] } }
        : { status: 'not-found' },
    ),
};

t.test('the pod is reviewed as a new Pod on its node, and each use becomes an image check', async (t) => {
  const inputs: ReviewInput[] = [];
  const book = createNodeBook();
  const check = createDiagnosePodCheck(
    { reviewer: reviewer(reviewed, inputs), clusterReader: sa, budgetMs: 1000 },
    book,
  );
  const result = await check(pod, node, new AbortController().signal);
  const [input] = inputs;
  t.equal(input?.operation, 'CREATE');
  t.same(input?.kind, { group: '', version: 'v1', kind: 'Pod' });
  t.equal(input?.namespace, 'shop');
  const metadata = (input?.object as typeof pod).metadata;
  t.notOk('ownerReferences' in metadata, 'no controller: the webhook would skip a controller-made pod');
  t.same(metadata.annotations, { keep: 'me' }, 'no mirror annotation either');
  t.same(
    book.nodes().map((n) => n.name),
    ['n1'],
  );
  const before = book.nodes();
  book.add(node);
  t.equal(book.nodes(), before, 'the same node twice keeps the snapshot');
  if (result.status !== 'checked') throw new Error('not checked');
  t.same(result.serviceAccountPullSecrets, ['regcred']);
  t.same(result.unread, ['cannot read pull secret shop/locked (forbidden: HTTP 403)'], 'a missing secret is a finding');
  t.same(result.images[0], {
    section: 'containers',
    name: 'app',
    canonical: 'reg.example:5000/team/app:1.2',
    registryHost: 'reg.example:5000',
    findings: [{ ...refused, verdict: 'deny' }],
    rejectedSecret: 'regcred',
  });
  t.same(result.images[1]?.imagePlatforms, [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
  ]);
  t.same(result.images[1]?.findings, []);
});

t.test('a skipped or unreadable pod is not checked, with the reason', async (t) => {
  const book = createNodeBook();
  const skipped = createDiagnosePodCheck(
    { reviewer: reviewer({ status: 'skipped', reason: 'operation X is not checked' }), budgetMs: 1000 },
    book,
  );
  t.same(await skipped(pod, undefined, new AbortController().signal), {
    status: 'not-checked',
    reason: 'pullguard skips it: operation X is not checked',
  });
  const invalid = createDiagnosePodCheck(
    { reviewer: reviewer({ status: 'invalid', problem: 'spec.containers must be an array' }), budgetMs: 1000 },
    book,
  );
  t.same(await invalid({ metadata: 'x' }, 'not a node', new AbortController().signal), {
    status: 'not-checked',
    reason: 'pullguard cannot read it: spec.containers must be an array',
  });
  t.same(book.nodes(), [], 'something that is not a Node is not added');
});

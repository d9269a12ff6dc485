/**
 * The admission path end to end inside one process: AdmissionReview in through `inject()`, extraction for every
 * kind and container list (docs/design.md §1.1), the skips of §1.8, and an answer the API server accepts (§5.1).
 */
import t, { type Test } from 'tap';
import { WORKLOAD_KINDS, type WorkloadKind } from '../../src/workload/pod-spec-paths.js';
import { admissionReview, POD_KIND, workloadReview, workloadWith } from '../helpers/admission-review.js';
import { answerView, apiServerProblems, type AdmissionAnswerView } from '../helpers/api-server-checks.js';
import { webhookUnderTest, type WebhookUnderTest } from '../helpers/webhook-under-test.js';

const SECTIONS = ['initContainers', 'containers', 'ephemeralContainers', 'volumes'] as const;
const INVALID = 'Shop/Web:1.0'; // uppercase repository: InvalidImageName

/** POSTs a review like the API server does and checks the answer the way it would. */
async function admit(
  t: Test,
  hook: WebhookUnderTest,
  review: ReturnType<typeof admissionReview>,
): Promise<AdmissionAnswerView> {
  const res = await hook.app.inject({
    method: 'POST',
    url: '/validate?timeout=10s',
    headers: { 'content-type': 'application/json' },
    payload: review,
  });
  t.same(
    apiServerProblems({ statusCode: res.statusCode, body: res.body }, String(review.request['uid'])),
    [],
    'the API server accepts the answer',
  );
  return answerView(res.body);
}

function podSpecWith(section: (typeof SECTIONS)[number], images: readonly string[]): Record<string, unknown> {
  if (section === 'volumes')
    return {
      containers: [{ name: 'app', image: 'example.com/app:1.0' }],
      volumes: images.map((image, i) => ({ name: `v${i}`, image: { reference: image } })),
    };
  const list = images.map((image, i) => ({ name: `c${i}`, image }));
  return section === 'containers'
    ? { containers: list }
    : { containers: [{ name: 'app', image: 'example.com/app:1.0' }], [section]: list };
}

const fieldOf = (section: (typeof SECTIONS)[number]) => (section === 'volumes' ? 'image.reference' : 'image');

t.test('every kind and every image list: an invalid reference is denied with its field path', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const kind of WORKLOAD_KINDS) {
    for (const section of SECTIONS) {
      const path = `${kind.podSpecPath.join('.')}.${section}[1].${fieldOf(section)}`;
      const answer = await admit(
        t,
        hook,
        workloadReview(kind, workloadWith(kind, podSpecWith(section, ['example.com/ok:1.0', INVALID]))),
      );
      t.equal(answer.allowed, false, `${kind.kind} ${section}: denied`);
      t.match(answer.message, `(${path}): "${INVALID}"`, `${kind.kind} ${section}: names ${path}`);
      t.match(
        answer.message,
        /^1 of \d+ images? in .* would fail to pull \(InvalidImageName\):\n/,
        'summary line first',
      );
      t.same(
        answer.findings.map((f) => [f.path, f.class, f.action]),
        [[path, 'invalidReference', 'deny']],
      );
    }
  }
});

t.test('CronJob init containers keep their full path', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const cronJob = WORKLOAD_KINDS.find((k) => k.kind === 'CronJob') as WorkloadKind;
  const answer = await admit(
    t,
    hook,
    workloadReview(
      cronJob,
      workloadWith(cronJob, {
        initContainers: [{ name: 'migrate', image: 'UPPER' }],
        containers: [{ name: 'app', image: 'example.com/a:1' }],
      }),
    ),
  );
  t.match(
    answer.message,
    'init container "migrate" (spec.jobTemplate.spec.template.spec.initContainers[0].image): "UPPER"',
  );
});

t.test(':latest, no tag and imagePullPolicy Never warn, and the object is admitted', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const kind of WORKLOAD_KINDS) {
    const spec = {
      containers: [
        { name: 'untagged', image: 'nginx' },
        { name: 'latest', image: 'ghcr.io/acme/api:latest' },
        { name: 'cached', image: 'example.com/tools/cached:1.0', imagePullPolicy: 'Never' },
        { name: 'pinned', image: 'example.com/app@sha256:' + 'a'.repeat(64) },
      ],
    };
    const answer = await admit(t, hook, workloadReview(kind, workloadWith(kind, spec)));
    t.equal(answer.allowed, true, `${kind.kind}: admitted`);
    t.same(answer.warnings, [
      'container "untagged": "nginx" has no tag and pulls :latest; pin a version tag or a digest',
      'container "latest": "ghcr.io/acme/api:latest" uses :latest; pin a version tag or a digest',
      'container "cached": imagePullPolicy Never: runs only if the image is already on the node; registry not checked',
    ]);
    t.same(
      answer.findings.map((f) => f.reference),
      ['docker.io/library/nginx:latest', 'ghcr.io/acme/api:latest', 'example.com/tools/cached:1.0'],
    );
  }
});

t.test('warnings are capped at 10 plus one summary line, each legal', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const containers = Array.from({ length: 15 }, (_, i) => ({
    name: `c${i}`,
    image: `example.com/team/image-${i}:latest`,
  }));
  const answer = await admit(
    t,
    hook,
    workloadReview(WORKLOAD_KINDS[1] as WorkloadKind, workloadWith(WORKLOAD_KINDS[1] as WorkloadKind, { containers })),
  );
  t.equal(answer.warnings.length, 11);
  t.match(answer.warnings[10], /^… and 5 more warnings/);
  t.equal(answer.findings.length, 15, 'the audit annotation keeps every finding');
});

t.test('more than 10 failing images: the message stays under 4 KiB and ends with "… and N more"', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const containers = Array.from({ length: 14 }, (_, i) => ({
    name: `c${i}`,
    image: `Example/Bad-${i}:${'x'.repeat(100)}`,
  }));
  const answer = await admit(
    t,
    hook,
    workloadReview(WORKLOAD_KINDS[1] as WorkloadKind, workloadWith(WORKLOAD_KINDS[1] as WorkloadKind, { containers })),
  );
  t.equal(answer.allowed, false);
  const lines = answer.message.split('\n');
  t.match(lines[0], /^14 of 14 images in Deployment shop\/web would fail to pull/);
  t.ok(lines.length <= 12, 'summary, at most 10 image lines and the rest line');
  t.match(lines.at(-1), /^… and \d+ more/);
});

const deployment = WORKLOAD_KINDS.find((k) => k.kind === 'Deployment') as WorkloadKind;
const found = () => ({ outcome: 'found' as const });

t.test('UPDATE with unchanged images is allowed without any registry check', async (t) => {
  const hook = webhookUnderTest({ resolve: found });
  t.teardown(() => hook.app.close());
  const spec = {
    containers: [
      { name: 'app', image: 'nginx' },
      { name: 'bad', image: INVALID },
    ],
  };
  const before = workloadWith(deployment, spec, { labels: { a: '1' } });
  const after = {
    ...workloadWith(deployment, { ...spec, imagePullSecrets: [{ name: 'new-secret' }] }, { labels: { a: '2' } }),
    replicas: 5,
  };
  const answer = await admit(t, hook, workloadReview(deployment, after, { operation: 'UPDATE', oldObject: before }));
  t.equal(answer.allowed, true);
  t.same(answer.warnings, []);
  t.same(answer.findings, []);
  t.same(hook.resolved, [], 'no registry was asked');
});

t.test('UPDATE that changes one image checks only that one', async (t) => {
  const hook = webhookUnderTest({ resolve: found });
  t.teardown(() => hook.app.close());
  const before = workloadWith(deployment, {
    containers: [
      { name: 'app', image: 'example.com/app:1.0' },
      { name: 'side', image: 'example.com/side:1.0' },
    ],
  });
  const after = workloadWith(deployment, {
    containers: [
      { name: 'app', image: 'example.com/app:1.1' },
      { name: 'side', image: 'example.com/side:1.0' },
    ],
  });
  const answer = await admit(t, hook, workloadReview(deployment, after, { operation: 'UPDATE', oldObject: before }));
  t.equal(answer.allowed, true);
  t.same(hook.resolved, ['example.com/app:1.1']);
});

t.test('CREATE asks the registry once per distinct reference', async (t) => {
  const hook = webhookUnderTest({ resolve: found });
  t.teardown(() => hook.app.close());
  const spec = {
    initContainers: [{ name: 'i', image: 'example.com/app:1.0' }],
    containers: [
      { name: 'a', image: 'example.com/app:1.0' },
      { name: 'b', image: 'example.com/b:2' },
    ],
  };
  await admit(t, hook, workloadReview(deployment, workloadWith(deployment, spec)));
  t.same([...hook.resolved].sort(), ['example.com/app:1.0', 'example.com/b:2']);
});

const pod = WORKLOAD_KINDS.find((k) => k.kind === 'Pod') as WorkloadKind;
const badPod = (metadata: Record<string, unknown>) =>
  workloadWith(pod, { containers: [{ name: 'app', image: INVALID }] }, metadata);
const owner = (apiVersion: string, kind: string, controller: boolean) => ({
  ownerReferences: [{ apiVersion, kind, name: 'web-7d9c', uid: 'o-1', controller }],
});

t.test('pods: which are skipped and which are checked', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['owned by a ReplicaSet controller: skipped', owner('apps/v1', 'ReplicaSet', true), true],
    ['owned by a Job controller: skipped', owner('batch/v1', 'Job', true), true],
    ['owned by a StatefulSet controller: skipped', owner('apps/v1', 'StatefulSet', true), true],
    ['owned by a CRD controller: checked', owner('example.com/v1', 'Rollout', true), false],
    ['ReplicaSet owner that is not the controller: checked', owner('apps/v1', 'ReplicaSet', false), false],
    ['mirror pod: skipped', { annotations: { 'kubernetes.io/config.mirror': 'abc123' } }, true],
    ['plain pod: checked', {}, false],
  ];
  for (const [name, metadata, allowed] of cases) {
    const answer = await admit(t, hook, workloadReview(pod, badPod(metadata), { name: '' }));
    t.equal(answer.allowed, allowed, name);
    if (allowed) t.same(answer.findings, [], `${name}: no findings`);
  }
});

t.test('ephemeral containers arrive through the ephemeralcontainers subresource and are checked', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  for (const metadata of [{}, owner('apps/v1', 'ReplicaSet', true)]) {
    const before = workloadWith(pod, { containers: [{ name: 'app', image: 'nginx' }] }, metadata);
    const after = workloadWith(
      pod,
      { containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers: [{ name: 'debugger', image: 'Busybox' }] },
      metadata,
    );
    const answer = await admit(
      t,
      hook,
      admissionReview({
        kind: POD_KIND,
        operation: 'UPDATE',
        subResource: 'ephemeralcontainers',
        object: after,
        oldObject: before,
        name: 'web',
      }),
    );
    t.equal(answer.allowed, false, 'kubectl debug with a bad image is denied, even on a controller-owned pod');
    t.match(answer.message, 'ephemeral container "debugger" (spec.ephemeralContainers[0].image): "Busybox"');
    t.same(
      answer.findings.map((f) => f.path),
      ['spec.ephemeralContainers[0].image'],
      'the unchanged container is not reported',
    );
  }
});

t.test('operations and subresources that cannot cause a failed pull are allowed without checks', async (t) => {
  const hook = webhookUnderTest({ resolve: found });
  t.teardown(() => hook.app.close());
  const object = badPod({});
  const cases = [
    admissionReview({ kind: POD_KIND, operation: 'DELETE', object: null, oldObject: object }),
    admissionReview({ kind: POD_KIND, operation: 'CONNECT', object: null }),
    admissionReview({
      kind: POD_KIND,
      operation: 'UPDATE',
      subResource: 'status',
      object,
      oldObject: workloadWith(pod, {}),
    }),
    workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'a', image: INVALID }] }), {
      operation: 'UPDATE',
      subResource: 'scale',
    }),
    admissionReview({ kind: { group: '', version: 'v1', kind: 'ConfigMap' }, object: { data: { image: INVALID } } }),
    admissionReview({
      kind: { group: 'example.com', version: 'v1', kind: 'Deployment' },
      object: workloadWith(deployment, { containers: [{ name: 'a', image: INVALID }] }),
    }),
  ];
  for (const review of cases) {
    const answer = await admit(t, hook, review);
    t.equal(
      answer.allowed,
      true,
      `${String(review.request['operation'])} ${JSON.stringify(review.request['kind'])} ${String(review.request['subResource'] ?? '')}`,
    );
    t.same(answer.findings, []);
  }
  t.same(hook.resolved, []);
});

t.test('dryRun gets the same checks', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const object = workloadWith(deployment, {
    containers: [
      { name: 'a', image: INVALID },
      { name: 'b', image: 'nginx' },
    ],
  });
  const wet = await admit(t, hook, workloadReview(deployment, object));
  const dry = await admit(t, hook, workloadReview(deployment, object, { dryRun: true }));
  t.same(dry, wet);
  t.equal(dry.allowed, false);
});

t.test('mode: warn and exempt images change the verdict, not the extraction', async (t) => {
  const object = workloadWith(deployment, {
    containers: [
      { name: 'a', image: INVALID },
      { name: 'b', image: 'registry.k8s.io/pause:latest' },
    ],
  });
  const softened = webhookUnderTest({ config: { mode: 'warn', exempt: { images: ['registry.k8s.io/pause:*'] } } });
  t.teardown(() => softened.app.close());
  const answer = await admit(t, softened, workloadReview(deployment, object));
  t.equal(answer.allowed, true);
  t.same(answer.warnings.length, 1);
  t.match(answer.warnings[0], /^would deny: container "a": "Shop\/Web:1.0" is not a valid image reference/);
  t.same(
    answer.findings.map((f) => [f.class, f.action]),
    [['invalidReference', 'warn']],
    'the exempt pause image is not checked at all',
  );

  const labelled = webhookUnderTest({ namespaceMode: async (ns) => (ns === 'shop' ? 'warn' : undefined) });
  t.teardown(() => labelled.app.close());
  t.equal(
    (await admit(t, labelled, workloadReview(deployment, object))).allowed,
    true,
    'namespace label pullguard.io/mode=warn',
  );
  t.equal(
    (await admit(t, labelled, workloadReview(deployment, object, { namespace: 'other' }))).allowed,
    false,
    'other namespaces enforce',
  );
});

t.test('an object the API server could not have sent is a 400, not a 500', async (t) => {
  const hook = webhookUnderTest();
  t.teardown(() => hook.app.close());
  const review = workloadReview(deployment, workloadWith(deployment, { containers: [{ name: 'a', image: 42 }] }));
  const res = await hook.app.inject({ method: 'POST', url: '/validate', payload: review });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { error: { code: 'INVALID_OBJECT', message: /spec\.template\.spec\.containers\[0\]\.image/ } });
});

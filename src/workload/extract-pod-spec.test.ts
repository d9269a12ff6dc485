import t from 'tap';
import { extractPodSpec } from './extract-pod-spec.js';
import { findWorkloadKind, WORKLOAD_KINDS, type WorkloadKind } from './pod-spec-paths.js';

const kind = (group: string, name: string): WorkloadKind => {
  const found = findWorkloadKind(group, name);
  if (found === undefined) throw new Error(`no kind ${group}/${name}`);
  return found;
};
const POD = kind('', 'Pod');
const DEPLOYMENT = kind('apps', 'Deployment');

// Where each kind keeps its pod spec (docs/design.md §1.1), spelled out here so the test does not reuse the table under
// test.
const SPEC_PATH_BY_KIND: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
  PodTemplate: 'template.spec',
};

/** Nests `podSpec` at the dotted `path` of an otherwise realistic object. */
function objectWith(path: string, podSpec: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n', namespace: 'ns' } };
  let node = root;
  const segments = path.split('.');
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = podSpec;
    } else {
      const child: Record<string, unknown> = { replicas: 1 };
      node[segment] = child;
      node = child;
    }
  });
  return root;
}

const ALL_LISTS_SPEC = {
  initContainers: [
    { name: 'init', image: 'busybox:1.36' },
    { name: 'sidecar', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always', imagePullPolicy: 'Always' },
  ],
  containers: [
    { name: 'app', image: 'ghcr.io/acme/app:1', imagePullPolicy: 'IfNotPresent' },
    { name: 'helper', image: 'localhost:5000/helper' },
  ],
  ephemeralContainers: [{ name: 'debugger', image: 'nicolaka/netshoot', imagePullPolicy: 'Never' }],
  volumes: [
    { name: 'data', emptyDir: {} },
    { name: 'models', image: { reference: 'quay.io/acme/models:v5', pullPolicy: 'IfNotPresent' } },
  ],
};

t.test('every kind × every image list, with kubectl paths', async (t) => {
  t.equal(WORKLOAD_KINDS.length, Object.keys(SPEC_PATH_BY_KIND).length, 'each kind has an expected path here');
  for (const workload of WORKLOAD_KINDS) {
    const base = SPEC_PATH_BY_KIND[workload.kind] ?? 'missing';
    const result = extractPodSpec(workload, objectWith(base, ALL_LISTS_SPEC));
    if (!result.ok) {
      t.fail(`${workload.kind}: ${result.problem}`);
      continue;
    }
    t.equal(result.view.podSpecPath, base, `${workload.kind} pod spec path`);
    t.equal(result.view.isTemplate, workload.kind !== 'Pod', `${workload.kind} isTemplate`);
    t.same(result.view.uses, [
      { image: 'busybox:1.36', name: 'init', section: 'initContainers', path: `${base}.initContainers[0].image` },
      {
        image: 'fluent/fluent-bit:3.0',
        name: 'sidecar',
        section: 'initContainers',
        path: `${base}.initContainers[1].image`,
        pullPolicy: 'Always',
      },
      {
        image: 'ghcr.io/acme/app:1',
        name: 'app',
        section: 'containers',
        path: `${base}.containers[0].image`,
        pullPolicy: 'IfNotPresent',
      },
      { image: 'localhost:5000/helper', name: 'helper', section: 'containers', path: `${base}.containers[1].image` },
      {
        image: 'nicolaka/netshoot',
        name: 'debugger',
        section: 'ephemeralContainers',
        path: `${base}.ephemeralContainers[0].image`,
        pullPolicy: 'Never',
      },
      {
        image: 'quay.io/acme/models:v5',
        name: 'models',
        section: 'volumes',
        path: `${base}.volumes[1].image.reference`,
        pullPolicy: 'IfNotPresent',
      },
    ]);
    t.notOk('pullPolicy' in (result.view.uses[0] ?? {}), 'an unwritten pull policy stays absent');
  }
});

t.test('containers without an image are skipped, odd images are kept as written', async (t) => {
  const result = extractPodSpec(POD, {
    spec: {
      containers: [
        { name: 'no-image' },
        { name: 'empty', image: '' },
        { name: 'null', image: null },
        { name: 'spaces', image: ' nginx ' },
        { image: 'Nginx' },
      ],
      volumes: [
        { name: 'no-ref', image: {} },
        { name: 'null-ref', image: { reference: null } },
        { name: 'img', image: null },
      ],
    },
  });
  t.ok(result.ok);
  t.same(result.ok && result.view.uses.map((u) => [u.image, u.name, u.path]), [
    [' nginx ', 'spaces', 'spec.containers[3].image'],
    ['Nginx', '', 'spec.containers[4].image'],
  ]);
});

t.test('pull secrets and service account defaults', async (t) => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string, readonly string[]]> = [
    ['nothing set', {}, 'default', []],
    ['serviceAccountName', { serviceAccountName: 'builder' }, 'builder', []],
    ['deprecated serviceAccount', { serviceAccount: 'legacy' }, 'legacy', []],
    ['serviceAccountName wins', { serviceAccountName: 'new', serviceAccount: 'old' }, 'new', []],
    ['empty name falls through', { serviceAccountName: '', serviceAccount: 'old' }, 'old', []],
    ['nulls', { serviceAccountName: null, serviceAccount: null, imagePullSecrets: null }, 'default', []],
    [
      'secrets in order, unnamed entries kept as empty names (their index is their field path)',
      { imagePullSecrets: [{ name: 'b' }, { name: '' }, {}, { name: null }, { name: 'a' }] },
      'default',
      ['b', '', '', '', 'a'],
    ],
    ['only an unnamed entry', { imagePullSecrets: [{}] }, 'default', ['']],
    ['an empty list', { imagePullSecrets: [] }, 'default', []],
  ];
  for (const [label, spec, serviceAccount, secrets] of cases) {
    const result = extractPodSpec(DEPLOYMENT, objectWith('spec.template.spec', spec));
    t.same(
      result.ok && [result.view.serviceAccountName, result.view.imagePullSecrets],
      [serviceAccount, secrets],
      label,
    );
  }
});

t.test('node selector, required node affinity and tolerations', async (t) => {
  const spec = {
    nodeSelector: { 'kubernetes.io/arch': 'arm64' },
    affinity: {
      podAffinity: { junk: true },
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }], matchFields: null },
            { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
            { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
          ],
        },
      },
    },
    tolerations: [
      { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 5 },
      { operator: 'Exists' },
    ],
  };
  const result = extractPodSpec(POD, { spec });
  if (!result.ok) return t.fail(result.problem);
  t.same(Object.entries(result.view.nodeSelector), [['kubernetes.io/arch', 'arm64']]);
  t.same(result.view.requiredNodeAffinity, [
    { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] },
    { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
    { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
  ]);
  t.same(result.view.tolerations, [
    { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
    { operator: 'Exists' },
  ]);

  const parsed = extractPodSpec(POD, JSON.parse('{"spec":{"nodeSelector":{"__proto__":"x","a":"b"}}}'));
  if (!parsed.ok) return t.fail(parsed.problem);
  t.same(Object.keys(parsed.view.nodeSelector), ['__proto__', 'a'], 'a JSON __proto__ label stays a plain key');
  t.equal(Object.getPrototypeOf(parsed.view.nodeSelector), Object.prototype);

  const empty = extractPodSpec(POD, {
    spec: { affinity: { nodeAffinity: null }, nodeSelector: null, tolerations: null },
  });
  t.same(empty.ok && [empty.view.nodeSelector, empty.view.requiredNodeAffinity, empty.view.tolerations], [{}, [], []]);
});

t.test('nodeName and os.name reach the view on every kind; unset or empty stays absent', async (t) => {
  for (const workload of WORKLOAD_KINDS) {
    const base = SPEC_PATH_BY_KIND[workload.kind] ?? 'missing';
    const result = extractPodSpec(
      workload,
      objectWith(base, { ...ALL_LISTS_SPEC, nodeName: 'arm-1', os: { name: 'windows' } }),
    );
    t.same(result.ok && [result.view.nodeName, result.view.osName], ['arm-1', 'windows'], workload.kind);
  }
  const cases: ReadonlyArray<readonly [string, unknown]> = [
    ['absent', {}],
    ['null', { nodeName: null, os: null }],
    ['empty', { nodeName: '', os: { name: '' } }],
    ['os without a name', { os: {} }],
    ['os.name null', { os: { name: null } }],
  ];
  for (const [label, spec] of cases) {
    const result = extractPodSpec(POD, { spec });
    if (!result.ok) {
      t.fail(`${label}: ${result.problem}`);
      continue;
    }
    t.notOk('nodeName' in result.view || 'osName' in result.view, label);
  }
  // The API server accepts only linux and windows; another value is kept as written and the platform check ignores
  // it with a note (platform/candidate-platforms.ts), as it does with other values the API server would reject.
  const odd = extractPodSpec(POD, { spec: { os: { name: 'plan9' } } });
  t.same(odd.ok && odd.view.osName, 'plan9', 'an unsupported os.name is kept as written');
});

t.test('a missing pod spec is ok with zero uses', async (t) => {
  const cases: ReadonlyArray<readonly [string, WorkloadKind, unknown]> = [
    ['Deployment without spec', DEPLOYMENT, { kind: 'Deployment' }],
    ['Deployment with spec null', DEPLOYMENT, { spec: null }],
    ['Deployment without template', DEPLOYMENT, { spec: { replicas: 1 } }],
    ['Deployment with template.spec null', DEPLOYMENT, { spec: { template: { spec: null } } }],
    ['Pod without spec', POD, {}],
    ['CronJob without jobTemplate', kind('batch', 'CronJob'), { spec: { schedule: '* * * * *' } }],
  ];
  for (const [label, workload, object] of cases) {
    const result = extractPodSpec(workload, object);
    t.same(
      result.ok && [result.view.uses, result.view.serviceAccountName, result.view.imagePullSecrets],
      [[], 'default', []],
      label,
    );
  }
});

t.test('bad shapes are problems with a path, never throws', async (t) => {
  const base = 'spec.template.spec';
  const objectCases: ReadonlyArray<readonly [string, unknown, string]> = [
    ['object not an object', 'nope', 'Deployment must be an object'],
    ['object an array', [], 'Deployment must be an object'],
    ['spec a string', { spec: 'x' }, 'spec must be an object'],
    ['template an array', { spec: { template: [] } }, 'spec.template must be an object'],
    ['pod spec a number', { spec: { template: { spec: 5 } } }, `${base} must be an object`],
  ];
  for (const [label, object, problem] of objectCases) {
    t.same(extractPodSpec(DEPLOYMENT, object), { ok: false, problem }, label);
  }
  const required = (terms: unknown) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
  });
  // [label, pod spec, problem after `${base}.`]
  const specCases: ReadonlyArray<readonly [string, unknown, string]> = [
    ['containers not an array', { containers: { name: 'a' } }, 'containers must be an array'],
    ['image a number', { containers: [{ name: 'a', image: 5 }] }, 'containers[0].image must be a string'],
    ['null container', { initContainers: [{ image: 'a' }, null] }, 'initContainers[1] must be an object'],
    ['ephemeral list a string', { ephemeralContainers: 'debug' }, 'ephemeralContainers must be an array'],
    [
      'pull policy a boolean',
      { containers: [{ image: 'a', imagePullPolicy: true }] },
      'containers[0].imagePullPolicy must be a string',
    ],
    ['volume image a string', { volumes: [{ name: 'v', image: 'nginx' }] }, 'volumes[0].image must be an object'],
    [
      'volume reference a list',
      { volumes: [{ image: { reference: ['x'] } }] },
      'volumes[0].image.reference must be a string',
    ],
    ['pull secret a string', { imagePullSecrets: ['regcred'] }, 'imagePullSecrets[0] must be an object'],
    ['service account a number', { serviceAccountName: 7 }, 'serviceAccountName must be a string'],
    [
      'selector value a number',
      { nodeSelector: { 'kubernetes.io/arch': 1 } },
      'nodeSelector["kubernetes.io/arch"] must be a string',
    ],
    [
      'requirement without operator',
      required([{ matchExpressions: [{ key: 'k' }] }]),
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator is required',
    ],
    [
      'requirement values not strings',
      required([{}, { matchFields: [{ key: 'k', operator: 'In', values: [1] }] }]),
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].values[0] must be a string',
    ],
    ['toleration a number', { tolerations: [{}, 5] }, 'tolerations[1] must be an object'],
    ['nodeName a number', { nodeName: 1 }, 'nodeName must be a string'],
    ['os a string', { os: 'windows' }, 'os must be an object'],
    ['os.name a list', { os: { name: ['windows'] } }, 'os.name must be a string'],
  ];
  for (const [label, spec, problem] of specCases) {
    t.same(extractPodSpec(DEPLOYMENT, objectWith(base, spec)), { ok: false, problem: `${base}.${problem}` }, label);
  }
});

t.test('deep junk in fields pullguard does not read is ignored', async (t) => {
  let junk: unknown = 'leaf';
  for (let i = 0; i < 5000; i++) junk = { nested: [junk] };
  const result = extractPodSpec(POD, {
    spec: { containers: [{ image: 'nginx', env: junk }], overhead: junk },
    status: junk,
  });
  t.same(result.ok && result.view.uses.map((u) => u.image), ['nginx']);
});

t.test('random junk never throws', async (t) => {
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const leaves = [null, 0, 1.5, '', 'x', true, [], {}];
  const keys = ['spec', 'template', 'containers', 'image', 'volumes', 'reference', 'nodeSelector', 'affinity', 'name'];
  const junk = (depth: number): unknown => {
    if (depth === 0 || random() < 0.3) return leaves[Math.floor(random() * leaves.length)];
    if (random() < 0.4) return Array.from({ length: Math.floor(random() * 3) }, () => junk(depth - 1));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 4); i > 0; i--)
      object[keys[Math.floor(random() * keys.length)] ?? 'k'] = junk(depth - 1);
    return object;
  };
  let failures = 0;
  for (let i = 0; i < 2000; i++) {
    const workload = WORKLOAD_KINDS[i % WORKLOAD_KINDS.length] ?? POD;
    try {
      const result = extractPodSpec(workload, junk(7));
      if (!result.ok && result.problem === '') failures++;
    } catch {
      failures++;
    }
  }
  t.equal(failures, 0);
});

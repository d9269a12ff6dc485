/**
 * charts/pullguard with its options set: every rendered object passes the Kubernetes schema of its kind with no
 * unknown field, the Deployment stays non-root with a read-only root filesystem, the webhook never reviews its own
 * namespace, and each option lands where docs/design.md §8 places it. Runs the real helm.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { at, single, type K8sObject } from '../manifests/render-manifests.js';
import { validateAgainstSchema } from '../manifests/schema-validate.js';
import { MODEL_OF_KIND, unknownFields } from '../manifests/strict-fields.js';
import { CHART, render } from './render-chart.js';

const OPTIONS = [
  'replicaCount=3',
  'priorityClassName=system-cluster-critical',
  'webhook.failurePolicy=Fail',
  'webhook.timeoutSeconds=5',
  'webhook.caBundle=Q0E=',
  'certificates.mode=existingSecret',
  'certificates.existingSecret=my-tls',
  'image.tag=0.2.0',
  'imagePullSecrets[0]=regcred',
  'nodeSelector.kubernetes\\.io/os=linux',
  'podDisruptionBudget.minAvailable=2',
];
const JSON_OPTIONS = Object.entries({
  'webhook.objectSelector': { matchLabels: { 'pullguard.io/review': 'yes' } },
  'webhook.matchConditions': [
    { name: 'not-node-users', expression: "!request.userInfo.username.startsWith('system:node:')" },
  ],
  'webhook.excludedNamespaces': ['kube-system', 'kube-public'],
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'pullguard' } },
    },
  ],
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
  podAnnotations: { 'sidecar.istio.io/inject': 'false' },
  podLabels: { team: 'shop' },
}).map(([key, value]) => `${key}=${JSON.stringify(value)}`);

const defaults = await render('pullguard', 'pullguard');
const configured = await render('guard', 'admission', OPTIONS, JSON_OPTIONS);

function checkSchemas(t: Test, objects: readonly K8sObject[]): void {
  for (const o of objects) {
    t.doesNotThrow(() => validateAgainstSchema(o), `${o.kind}/${o.metadata.name} validates`);
    t.same(unknownFields(o, MODEL_OF_KIND[o.kind] ?? ''), [], `${o.kind}/${o.metadata.name}: no unknown field`);
  }
}

t.test('every object, with defaults and with the options, passes its Kubernetes schema', async (t) => {
  checkSchemas(t, defaults);
  checkSchemas(t, configured);
});

t.test('the Deployment runs non-root with a read-only root filesystem', async (t) => {
  for (const objects of [defaults, configured]) {
    const pod = at(single(objects, 'Deployment'), ['spec', 'template', 'spec']);
    t.match(at(pod, ['securityContext']), { runAsNonRoot: true, runAsUser: 65532 });
    t.match(at(pod, ['containers', 0, 'securityContext']), {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  }
});

t.test('the webhook never reviews its own namespace', async (t) => {
  for (const [objects, namespace] of [
    [defaults, 'pullguard'],
    [configured, 'admission'],
  ] as const) {
    const expressions = at(single(objects, 'ValidatingWebhookConfiguration'), [
      'webhooks',
      0,
      'namespaceSelector',
      'matchExpressions',
    ]) as Array<{ key: string; operator: string; values: string[] }>;
    const byName = expressions.find((e) => e.key === 'kubernetes.io/metadata.name');
    t.equal(byName?.operator, 'NotIn');
    t.ok(byName?.values.includes(namespace), `${namespace} excluded`);
    t.ok(byName?.values.includes('kube-system'), 'kube-system excluded');
  }
});

t.test('each option lands in its object', async (t) => {
  const webhook = at(single(configured, 'ValidatingWebhookConfiguration'), ['webhooks', 0]);
  t.match(webhook, {
    failurePolicy: 'Fail',
    timeoutSeconds: 5,
    clientConfig: { caBundle: 'Q0E=', service: { name: 'guard-pullguard', namespace: 'admission' } },
    objectSelector: { matchLabels: { 'pullguard.io/review': 'yes' } },
    matchConditions: [{ name: 'not-node-users' }],
  });
  t.same(at(webhook, ['namespaceSelector', 'matchExpressions', 0, 'values']), [
    'kube-system',
    'kube-public',
    'admission',
  ]);
  const deployment = single(configured, 'Deployment');
  const pod = at(deployment, ['spec', 'template', 'spec']);
  t.equal(at(deployment, ['spec', 'replicas']), 3);
  t.match(pod, {
    priorityClassName: 'system-cluster-critical',
    imagePullSecrets: [{ name: 'regcred' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated' }],
    topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone' }],
    containers: [{ image: 'ghcr.io/pullguard/pullguard:0.2.0' }],
  });
  t.match(at(pod, ['volumes']), [{ name: 'config' }, { name: 'tls', secret: { secretName: 'my-tls' } }]);
  t.equal(at(single(configured, 'PodDisruptionBudget'), ['spec', 'minAvailable']), 2);
  const podMetadata = at(deployment, ['spec', 'template', 'metadata']);
  t.match(podMetadata, {
    annotations: { 'sidecar.istio.io/inject': 'false' },
    labels: { team: 'shop', 'app.kubernetes.io/component': 'webhook' },
  });
  t.same(
    at(deployment, ['spec', 'selector']),
    at(single(defaults, 'Deployment'), ['spec', 'selector']),
    'the selector is not changed by podLabels',
  );
  t.equal(at(single(defaults, 'Deployment'), ['spec', 'template', 'metadata', 'annotations']), undefined);
  const defaultPod = at(single(defaults, 'Deployment'), ['spec', 'template', 'spec']) as Record<string, unknown>;
  for (const key of ['priorityClassName', 'imagePullSecrets', 'nodeSelector', 'tolerations']) {
    t.equal(defaultPod[key], undefined, `no ${key} by default`);
  }
});

t.test('switches leave their objects out', async (t) => {
  const objects = await render('pullguard', 'pullguard', [
    'certificates.mode=existingSecret',
    'networkPolicy.enabled=false',
    'podDisruptionBudget.enabled=false',
    'audit.rbac.create=false',
  ]);
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  t.same(kinds, [
    'ClusterRole/pullguard',
    'ClusterRoleBinding/pullguard',
    `ConfigMap/${single(objects, 'ConfigMap').metadata.name}`,
    'Deployment/pullguard',
    'Service/pullguard',
    'ServiceAccount/pullguard',
    'ValidatingWebhookConfiguration/pullguard',
  ]);
  t.ok(defaults.length > kinds.length, 'the defaults render them');
});

/** Every object level of a JSON Schema that lists its properties, with its path. */
function objectLevels(schema: Record<string, unknown>, path: string): Array<[string, Record<string, unknown>]> {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties === undefined) return [];
  return [
    [path, schema],
    ...Object.entries(properties).flatMap(([key, child]) => objectLevels(child, `${path}.${key}`)),
  ];
}

t.test('values.schema.json closes every object level it defines', async (t) => {
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as Record<string, unknown>;
  const levels = objectLevels(schema, '$');
  t.ok(levels.length >= 10, `${levels.length} levels`);
  for (const [path, level] of levels) t.equal(level.additionalProperties, false, path);
  const open = structuredClone(schema);
  delete (open.properties as Record<string, Record<string, unknown>>).webhook?.additionalProperties;
  t.ok(
    objectLevels(open, '$').some(([, level]) => level.additionalProperties !== false),
    'an open level is found',
  );
});

t.test('values.yaml comments every key the schema defines', async (t) => {
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as Record<string, unknown>;
  const defined = new Set(
    objectLevels(schema, '$').flatMap(([path, level]) =>
      Object.keys(level.properties as object).map((key) => `${path}.${key}`),
    ),
  );
  const lines = readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n');
  const stack: string[] = [];
  const uncommented: string[] = [];
  let seen = 0;
  for (const [i, line] of lines.entries()) {
    const match = /^( *)([\w.-]+):/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 2;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = `$.${stack.join('.')}`;
    // Below `config` is pullguard's config file, whose keys docs/design.md §3.1 documents.
    if (!defined.has(path) || (path.startsWith('$.config.') && depth > 1)) continue;
    seen += 1;
    if (!(lines[i - 1] ?? '').trim().startsWith('#')) uncommented.push(path);
  }
  t.ok(seen >= 30, `${seen} defined keys found in values.yaml`);
  t.same(uncommented, [], 'each has a comment line above it');
});

/**
 * The ValidatingWebhookConfiguration: settings of docs/design.md §8, rules covering every extracted kind, the
 * selectors.
 */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { WORKLOAD_KINDS } from '../../src/workload/pod-spec-paths.js';
import { at, kustomize, single } from './render-manifests.js';

const objects = await kustomize(fileURLToPath(new URL('../../manifests/', import.meta.url)));
const configuration = single(objects, 'ValidatingWebhookConfiguration', 'pullguard');
const webhooks = at(configuration, ['webhooks']) as Array<Record<string, unknown>>;
const webhook = webhooks[0] ?? {};

interface Rule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: string[];
  scope?: string;
}
const rules = webhook.rules as Rule[];

/** Does some rule send (group, version, resource) for `operation`? Wildcards are not used, so none are honoured. */
function covered(group: string, version: string, resource: string, operation: string): boolean {
  return rules.some(
    (r) =>
      r.apiGroups.includes(group) &&
      r.apiVersions.includes(version) &&
      r.resources.includes(resource) &&
      r.operations.includes(operation),
  );
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}
/** LabelSelector semantics for matchExpressions (k8s.io/apimachinery labels.Selector). */
function selects(expressions: Requirement[], labels: Record<string, string>): boolean {
  return expressions.every(({ key, operator, values = [] }) => {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'In':
        return has && values.includes(value ?? '');
      case 'NotIn':
        return !has || !values.includes(value ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`unknown operator ${operator}`);
    }
  });
}

t.test('one webhook, images.pullguard.io, with the settings of docs/design.md §8', async (t) => {
  t.equal(webhooks.length, 1);
  t.match(webhook, {
    name: 'images.pullguard.io',
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: 'Ignore',
    timeoutSeconds: 10,
    matchPolicy: 'Equivalent',
    clientConfig: { service: { name: 'pullguard', namespace: 'pullguard', path: '/validate', port: 443 } },
  });
  t.equal(at(webhook, ['clientConfig', 'url']), undefined, 'service, not url');
  t.notOk(webhook.objectSelector, 'no objectSelector: users cannot opt out by labelling their objects');
});

t.test('the Service it calls exists, with port 443', async (t) => {
  const service = single(objects, 'Service', 'pullguard');
  t.equal(service.metadata.namespace, 'pullguard');
  t.ok((at(service, ['spec', 'ports']) as Array<{ port: number }>).some((p) => p.port === 443));
});

t.test('rules cover every kind the extractor supports, and pods/ephemeralcontainers', async (t) => {
  t.ok(WORKLOAD_KINDS.length >= 9, 'the extractor table is loaded');
  for (const kind of WORKLOAD_KINDS) {
    for (const operation of ['CREATE', 'UPDATE']) {
      t.ok(
        covered(kind.group, kind.version, kind.resource, operation),
        `${kind.group || 'core'}/${kind.version} ${kind.resource} ${operation}`,
      );
    }
  }
  t.ok(covered('', 'v1', 'pods/ephemeralcontainers', 'UPDATE'), 'kubectl debug');
  t.notOk(covered('', 'v1', 'pods', 'DELETE'), 'the check proves coverage, not just any answer');
});

t.test('rules register CREATE and UPDATE only, no wildcards, no other resources', async (t) => {
  const operations = new Set(rules.flatMap((r) => r.operations));
  t.same([...operations].sort(), ['CREATE', 'UPDATE']);
  const registered = rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
  const expected = [...WORKLOAD_KINDS.map((k) => `${k.group}/${k.resource}`), '/pods/ephemeralcontainers'];
  t.same(registered.sort(), expected.sort(), 'exactly the extractor kinds: no status, scale or other subresources');
  t.notOk(JSON.stringify(rules).includes('*'), 'no wildcards');
});

t.test('the namespaceSelector skips kube-system, pullguard and mode=off namespaces', async (t) => {
  const expressions = at(webhook, ['namespaceSelector', 'matchExpressions']) as Requirement[];
  t.notOk(at(webhook, ['namespaceSelector', 'matchLabels']), 'matchExpressions only');
  const ns = (name: string, labels: Record<string, string> = {}) => ({
    'kubernetes.io/metadata.name': name,
    ...labels,
  });
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['default', ns('default'), true],
    ['team namespace', ns('shop', { team: 'a' }), true],
    ['mode=warn', ns('shop', { 'pullguard.io/mode': 'warn' }), true],
    ['mode=enforce', ns('shop', { 'pullguard.io/mode': 'enforce' }), true],
    ['mode=off', ns('shop', { 'pullguard.io/mode': 'off' }), false],
    ['kube-system', ns('kube-system'), false],
    ['pullguard itself', ns('pullguard'), false],
    ['kube-public', ns('kube-public'), true],
  ];
  for (const [name, labels, expected] of cases) t.equal(selects(expressions, labels), expected, name);
});

/**
 * `manifests/` renders with kubectl kustomize, every object passes the Kubernetes schema of its kind, carries no
 * unknown field, and the shipped config.yaml is a valid pullguard config.
 */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseConfigText } from '../../src/config/load-config.js';
import { at, kustomize, single } from './render-manifests.js';
import { validateAgainstSchema } from './schema-validate.js';
import { MODEL_OF_KIND, unknownFields } from './strict-fields.js';

const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));
const objects = await kustomize(MANIFESTS);

t.test('the base holds exactly the objects of docs/design.md §8', async (t) => {
  t.same(
    objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
    [
      'ClusterRole/pullguard',
      'ClusterRoleBinding/pullguard',
      'ClusterRole/pullguard-audit',
      'ClusterRoleBinding/pullguard-audit',
      'Role/pullguard-audit-lease',
      'RoleBinding/pullguard-audit-lease',
      `ConfigMap/${single(objects, 'ConfigMap').metadata.name}`,
      'Deployment/pullguard',
      'Namespace/pullguard',
      'NetworkPolicy/pullguard',
      'PodDisruptionBudget/pullguard',
      'Service/pullguard',
      'ServiceAccount/pullguard',
      'ValidatingWebhookConfiguration/pullguard',
    ].sort(),
  );
  t.notOk(
    objects.some((o) => o.kind === 'Secret'),
    'no Secret (and so no key) in the base',
  );
  for (const o of objects) {
    if (['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration'].includes(o.kind)) {
      t.equal(o.metadata.namespace, undefined, `${o.kind} is cluster-scoped`);
    } else {
      t.equal(o.metadata.namespace, 'pullguard', `${o.kind} lives in pullguard`);
    }
  }
});

t.test('every object validates against its Kubernetes schema', async (t) => {
  for (const o of objects) {
    t.doesNotThrow(() => validateAgainstSchema(o), `${o.kind}/${o.metadata.name}`);
  }
});

t.test('no object has a field Kubernetes does not know', async (t) => {
  for (const o of objects) {
    const model = MODEL_OF_KIND[o.kind];
    t.ok(model, `model for ${o.kind}`);
    t.same(unknownFields(o, model ?? ''), [], `${o.kind}/${o.metadata.name}`);
  }
});

t.test('the checks above can fail', async (t) => {
  const deployment = structuredClone(single(objects, 'Deployment'));
  (
    at(deployment, ['spec', 'template', 'spec', 'containers', 0, 'securityContext']) as Record<string, unknown>
  ).readOnlyRootFileSystem = true;
  t.same(unknownFields(deployment, 'V1Deployment'), [
    'spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem',
  ]);
  (deployment.spec as Record<string, unknown>).replicas = 'two';
  t.throws(() => validateAgainstSchema(deployment));
});

t.test('the ConfigMap holds a valid config.yaml that the Deployment reads', async (t) => {
  const configMap = single(objects, 'ConfigMap');
  t.match(configMap.metadata.name, /^pullguard-config(-[a-z0-9]+)?$/);
  const text = at(configMap, ['data', 'config.yaml']);
  t.type(text, 'string');
  const result = parseConfigText(String(text), 'manifests/base/config.yaml');
  t.same(result.ok ? [] : result.problems, [], 'config.yaml is valid');
  if (!result.ok) return;
  t.equal(result.config.mode, 'warn', 'first rollout in warn mode (docs/install.md)');
  t.same(result.config.tls, { certFile: '/etc/pullguard/tls/tls.crt', keyFile: '/etc/pullguard/tls/tls.key' });
  t.same(result.config.listen, { host: '0.0.0.0', port: 8443, healthPort: 8080 });
  t.ok(result.config.network.budgetMs < 10_000, 'budget below the webhook timeout');
  const pod = at(single(objects, 'Deployment'), ['spec', 'template', 'spec']);
  t.match(
    at(pod, ['volumes']),
    [{ name: 'config', configMap: { name: configMap.metadata.name } }],
    'the rendered name',
  );
});

t.test("config.yaml's commented audit block, uncommented, is valid and gives the defaults", async (t) => {
  const text = String(at(single(objects, 'ConfigMap'), ['data', 'config.yaml']));
  const lines = text.split('\n');
  const start = lines.indexOf('# audit:');
  t.ok(start > 0, 'the block is there');
  const block = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('#')) break;
    block.push(line.slice(2));
  }
  const uncommented = parseConfigText(block.join('\n'), 'audit block');
  const defaults = parseConfigText('{}', 'defaults');
  t.ok(uncommented.ok && defaults.ok);
  if (!uncommented.ok || !defaults.ok) return;
  t.same(uncommented.config.audit, defaults.config.audit, 'every value shown is the default');
  t.ok(block.length >= 5, 'enabled, interval, pace and concurrency are shown');
});

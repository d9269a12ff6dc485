import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { extractPodSpec } from './extract-pod-spec.js';
import { findWorkloadKind } from './pod-spec-paths.js';

/** Reads a realistic object from test/fixtures/objects (YAML or JSON) and looks up its kind from apiVersion/kind. */
function load(file: string) {
  const text = readFileSync(new URL(`../../test/fixtures/objects/${file}`, import.meta.url), 'utf8');
  const object: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  const apiVersion = typeof object === 'object' && object !== null ? Reflect.get(object, 'apiVersion') : undefined;
  const kind = typeof object === 'object' && object !== null ? Reflect.get(object, 'kind') : undefined;
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
  const workload = typeof kind === 'string' ? findWorkloadKind(group, kind) : undefined;
  if (workload === undefined) throw new Error(`${file}: not a checked kind`);
  const result = extractPodSpec(workload, object);
  if (!result.ok) throw new Error(`${file}: ${result.problem}`);
  return result.view;
}

const DIGEST = 'sha256:0d27d8025031c96ad9a7bcb4d0fc26a6cca6cb6ead2baefaa33ef197c4213735';

t.test('a Deployment with init, sidecar, app containers and an image volume', async (t) => {
  const view = load('deployment.yaml');
  t.equal(view.workload.kind, 'Deployment');
  t.equal(view.isTemplate, true);
  t.same(view.uses, [
    {
      image: 'ghcr.io/acme/shop-migrate:2.3.1',
      name: 'migrate',
      section: 'initContainers',
      path: 'spec.template.spec.initContainers[0].image',
    },
    {
      image: 'fluent/fluent-bit:3.0',
      name: 'log-shipper',
      section: 'initContainers',
      path: 'spec.template.spec.initContainers[1].image',
      pullPolicy: 'IfNotPresent',
    },
    {
      image: 'ghcr.io/acme/shop:2.3.1',
      name: 'web',
      section: 'containers',
      path: 'spec.template.spec.containers[0].image',
      pullPolicy: 'Always',
    },
    {
      image: `redis:7.2@${DIGEST}`,
      name: 'cache',
      section: 'containers',
      path: 'spec.template.spec.containers[1].image',
    },
    {
      image: 'quay.io/acme/models:v5',
      name: 'models',
      section: 'volumes',
      path: 'spec.template.spec.volumes[1].image.reference',
      pullPolicy: 'IfNotPresent',
    },
  ]);
  t.same(
    view.imagePullSecrets,
    ['regcred', '', 'ghcr-pull'],
    'the unnamed entry keeps its place: ghcr-pull is imagePullSecrets[2]',
  );
  t.equal(view.serviceAccountName, 'shop-legacy', 'the deprecated field is honoured');
  t.same(view.nodeSelector, { 'kubernetes.io/os': 'linux' });
  t.same(view.requiredNodeAffinity, [
    { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] },
  ]);
  t.same(view.tolerations, [
    { key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' },
    { operator: 'Exists' },
  ]);
});

t.test('a CronJob four levels down', async (t) => {
  const view = load('cronjob.yaml');
  t.equal(view.podSpecPath, 'spec.jobTemplate.spec.template.spec');
  t.same(view.uses, [
    {
      image: 'registry.example.com:5000/reports/nightly:1.4',
      name: 'report',
      section: 'containers',
      path: 'spec.jobTemplate.spec.template.spec.containers[0].image',
    },
  ]);
  t.equal(view.serviceAccountName, 'reporter');
  t.same(view.imagePullSecrets, ['registry-reports']);
});

t.test('a Pod with an ephemeral debug container', async (t) => {
  const view = load('pod-ephemeral.json');
  t.equal(view.isTemplate, false);
  t.same(
    view.uses.map((u) => [u.section, u.name, u.image, u.path, u.pullPolicy]),
    [
      ['containers', 'web', 'ghcr.io/acme/shop:2.3.1', 'spec.containers[0].image', 'IfNotPresent'],
      ['ephemeralContainers', 'debugger-x2v7q', 'busybox:1.36', 'spec.ephemeralContainers[0].image', 'IfNotPresent'],
    ],
  );
  t.same(view.nodeSelector, { 'kubernetes.io/arch': 'arm64' });
  t.same(view.tolerations, [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
  t.ok(Object.isFrozen(view) && Object.isFrozen(view.uses) && Object.isFrozen(view.uses[0]), 'the view is frozen');
});

/**
 * The custom-resource fixtures of JobSet, LeaderWorkerSet, Ray, Kubeflow and OpenKruise (docs/design.md §1.1): each
 * holds exactly the image uses listed here, by kubectl field path. Both the fixtures and this list are written from
 * the CRDs' published schemas (URLs in each fixture), so the kind → path table can be tested against them.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse } from 'yaml';

const DIR = new URL('../fixtures/objects/crd/', import.meta.url);

const kubeflow = (field: string, roles: readonly string[]) =>
  roles.map((role) => `spec.${field}.${role}.template.spec.containers[0].image`);

/** fixture → its group/kind and every image field path, in document order. */
const EXPECTED: Readonly<Record<string, { apiVersion: string; kind: string; paths: readonly string[] }>> = {
  'jobset-jobset.yaml': {
    apiVersion: 'jobset.x-k8s.io/v1alpha2',
    kind: 'JobSet',
    paths: [
      'spec.replicatedJobs[0].template.spec.template.spec.containers[0].image',
      'spec.replicatedJobs[1].template.spec.template.spec.initContainers[0].image',
      'spec.replicatedJobs[1].template.spec.template.spec.containers[0].image',
    ],
  },
  'lws-leaderworkerset.yaml': {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    paths: [
      'spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].image',
      'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].image',
    ],
  },
  'ray-raycluster.yaml': {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    paths: [
      'spec.headGroupSpec.template.spec.containers[0].image',
      'spec.workerGroupSpecs[0].template.spec.containers[0].image',
      'spec.workerGroupSpecs[1].template.spec.initContainers[0].image',
      'spec.workerGroupSpecs[1].template.spec.containers[0].image',
    ],
  },
  'ray-rayjob.yaml': {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    paths: [
      'spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].image',
      'spec.rayClusterSpec.workerGroupSpecs[0].template.spec.containers[0].image',
      'spec.submitterPodTemplate.spec.containers[0].image',
    ],
  },
  'ray-rayservice.yaml': {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    paths: [
      'spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].image',
      'spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0].image',
    ],
  },
  'kubeflow-pytorchjob.yaml': {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    paths: [
      'spec.pytorchReplicaSpecs.Master.template.spec.containers[0].image',
      'spec.pytorchReplicaSpecs.Worker.template.spec.initContainers[0].image',
      'spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].image',
    ],
  },
  'kubeflow-tfjob.yaml': {
    apiVersion: 'kubeflow.org/v1',
    kind: 'TFJob',
    paths: kubeflow('tfReplicaSpecs', ['Chief', 'PS', 'Worker']),
  },
  'kubeflow-mpijob.yaml': {
    apiVersion: 'kubeflow.org/v2beta1',
    kind: 'MPIJob',
    paths: kubeflow('mpiReplicaSpecs', ['Launcher', 'Worker']),
  },
  'kubeflow-xgboostjob.yaml': {
    apiVersion: 'kubeflow.org/v1',
    kind: 'XGBoostJob',
    paths: kubeflow('xgbReplicaSpecs', ['Master', 'Worker']),
  },
  'kubeflow-paddlejob.yaml': {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PaddleJob',
    paths: kubeflow('paddleReplicaSpecs', ['Worker']),
  },
  'kubeflow-jaxjob.yaml': {
    apiVersion: 'kubeflow.org/v1',
    kind: 'JAXJob',
    paths: kubeflow('jaxReplicaSpecs', ['Worker']),
  },
  'kruise-cloneset.yaml': {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'CloneSet',
    paths: ['spec.template.spec.initContainers[0].image', 'spec.template.spec.containers[0].image'],
  },
  'kruise-advanced-statefulset.yaml': {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'StatefulSet',
    paths: ['spec.template.spec.initContainers[0].image', 'spec.template.spec.containers[0].image'],
  },
  'kruise-advanced-daemonset.yaml': {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'DaemonSet',
    paths: ['spec.template.spec.initContainers[0].image', 'spec.template.spec.containers[0].image'],
  },
};

/** Every string-valued `image` field under `value`, with its kubectl field path, in document order. */
function imageFields(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => imageFields(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    return key === 'image' && typeof child === 'string' ? [childPath] : imageFields(child, childPath);
  });
}

t.test('each fixture holds exactly its listed image uses', async (t) => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    const object = parse(await readFile(new URL(file, DIR), 'utf8')) as Record<string, unknown>;
    t.equal(object.apiVersion, expected.apiVersion, `${file} apiVersion`);
    t.equal(object.kind, expected.kind, `${file} kind`);
    t.same(imageFields(object), expected.paths, `${file} image fields`);
  }
});

t.test('the walker finds image fields in lists and maps, and only string-valued ones', async (t) => {
  t.same(imageFields({ a: [{ image: 'x' }, { b: { image: 'y' } }], image: 3, c: { image: null } }), [
    'a[0].image',
    'a[1].b.image',
  ]);
});

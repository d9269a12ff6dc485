/**
 * The JobSet, LeaderWorkerSet, Ray and Kubeflow fixtures of test/fixtures/objects/crd, read through
 * BUILT_IN_WORKLOADS: every pod spec view, and every image field of each fixture seen exactly once.
 */
import { testCrdFixtures } from '../../test/helpers/crd-fixtures.js';

const C = 'containers';
const I = 'initContainers';
const REG = 'registry.example';

/** A view with no pull secrets and the default service account. */
const plain = (at: string, uses: unknown[][]) => ({ at, secrets: [], sa: 'default', uses });

/** One Kubeflow replica's view: its pod spec holds one container. */
const replica = (field: string, role: string, image: string, name: string) => {
  const at = `spec.${field}.${role}.template.spec`;
  return plain(at, [[`${at}.containers[0].image`, `${REG}/kubeflow/${image}`, name, C, null]]);
};

// Written out by hand from the fixtures: every image field, with its kubectl-style path.
const EXPECTED: Record<string, unknown> = {
  'jobset-jobset.yaml': [
    {
      at: 'spec.replicatedJobs[0].template.spec.template.spec',
      secrets: ['jobset-pull'],
      sa: 'default',
      uses: [
        [
          'spec.replicatedJobs[0].template.spec.template.spec.containers[0].image',
          `${REG}/jobset/driver:1.0`,
          'driver',
          C,
          'Always',
        ],
      ],
    },
    plain('spec.replicatedJobs[1].template.spec.template.spec', [
      [
        'spec.replicatedJobs[1].template.spec.template.spec.initContainers[0].image',
        `${REG}/jobset/fetch:1.0`,
        'fetch',
        I,
        null,
      ],
      [
        'spec.replicatedJobs[1].template.spec.template.spec.containers[0].image',
        `${REG}/jobset/worker:1.0`,
        'worker',
        C,
        null,
      ],
    ]),
  ],
  'lws-leaderworkerset.yaml': [
    plain('spec.leaderWorkerTemplate.leaderTemplate.spec', [
      ['spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].image', `${REG}/lws/leader:0.6`, 'leader', C, null],
    ]),
    {
      at: 'spec.leaderWorkerTemplate.workerTemplate.spec',
      secrets: [],
      sa: 'lws-worker',
      uses: [
        [
          'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].image',
          `${REG}/lws/worker:0.6`,
          'worker',
          C,
          null,
        ],
      ],
    },
  ],
  'ray-raycluster.yaml': [
    {
      at: 'spec.headGroupSpec.template.spec',
      secrets: ['ray-pull'],
      sa: 'ray-head',
      uses: [['spec.headGroupSpec.template.spec.containers[0].image', `${REG}/ray/ray:2.41.0`, 'ray-head', C, null]],
    },
    plain('spec.workerGroupSpecs[0].template.spec', [
      ['spec.workerGroupSpecs[0].template.spec.containers[0].image', `${REG}/ray/ray:2.41.0`, 'ray-worker', C, null],
    ]),
    plain('spec.workerGroupSpecs[1].template.spec', [
      ['spec.workerGroupSpecs[1].template.spec.initContainers[0].image', `${REG}/ray/busybox:1.36`, 'wait', I, null],
      [
        'spec.workerGroupSpecs[1].template.spec.containers[0].image',
        `${REG}/ray/ray:2.41.0-gpu`,
        'ray-worker',
        C,
        null,
      ],
    ]),
  ],
  'ray-rayjob.yaml': [
    plain('spec.rayClusterSpec.headGroupSpec.template.spec', [
      [
        'spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].image',
        `${REG}/rayjob/ray:2.41.0`,
        'ray-head',
        C,
        null,
      ],
    ]),
    plain('spec.rayClusterSpec.workerGroupSpecs[0].template.spec', [
      [
        'spec.rayClusterSpec.workerGroupSpecs[0].template.spec.containers[0].image',
        `${REG}/rayjob/ray-worker:2.41.0`,
        'ray-worker',
        C,
        null,
      ],
    ]),
    plain('spec.submitterPodTemplate.spec', [
      ['spec.submitterPodTemplate.spec.containers[0].image', `${REG}/rayjob/submitter:2.41.0`, 'submitter', C, null],
    ]),
  ],
  'ray-rayservice.yaml': [
    plain('spec.rayClusterConfig.headGroupSpec.template.spec', [
      [
        'spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].image',
        `${REG}/rayservice/ray:2.41.0`,
        'ray-head',
        C,
        null,
      ],
    ]),
    plain('spec.rayClusterConfig.workerGroupSpecs[0].template.spec', [
      [
        'spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0].image',
        `${REG}/rayservice/ray-worker:2.41.0`,
        'ray-worker',
        C,
        null,
      ],
    ]),
  ],
  'kubeflow-pytorchjob.yaml': [
    replica('pytorchReplicaSpecs', 'Master', 'pytorch-mnist:1.0', 'pytorch'),
    plain('spec.pytorchReplicaSpecs.Worker.template.spec', [
      [
        'spec.pytorchReplicaSpecs.Worker.template.spec.initContainers[0].image',
        `${REG}/kubeflow/wait-master:1.0`,
        'init',
        I,
        null,
      ],
      [
        'spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].image',
        `${REG}/kubeflow/pytorch-mnist:1.0`,
        'pytorch',
        C,
        null,
      ],
    ]),
  ],
  'kubeflow-tfjob.yaml': [
    replica('tfReplicaSpecs', 'Chief', 'tf-chief:2.15', 'tensorflow'),
    replica('tfReplicaSpecs', 'PS', 'tf-ps:2.15', 'tensorflow'),
    replica('tfReplicaSpecs', 'Worker', 'tf-worker:2.15', 'tensorflow'),
  ],
  'kubeflow-mpijob.yaml': [
    replica('mpiReplicaSpecs', 'Launcher', 'mpi-pi:openmpi', 'launcher'),
    replica('mpiReplicaSpecs', 'Worker', 'mpi-pi-worker:openmpi', 'worker'),
  ],
  'kubeflow-xgboostjob.yaml': [
    replica('xgbReplicaSpecs', 'Master', 'xgboost-dist-iris:1.1', 'xgboost'),
    replica('xgbReplicaSpecs', 'Worker', 'xgboost-dist-iris:1.1', 'xgboost'),
  ],
  'kubeflow-paddlejob.yaml': [replica('paddleReplicaSpecs', 'Worker', 'paddle:2.4.0-cpu', 'paddle')],
  'kubeflow-jaxjob.yaml': [replica('jaxReplicaSpecs', 'Worker', 'jaxjob-simple:1.0', 'jax')],
  'kubeflow-trainingruntime.yaml': [
    plain('spec.template.spec.replicatedJobs[0].template.spec.template.spec', [
      [
        'spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].image',
        `${REG}/kubeflow/dataset-initializer:2.0`,
        'dataset-initializer',
        C,
        null,
      ],
    ]),
    {
      at: 'spec.template.spec.replicatedJobs[1].template.spec.template.spec',
      secrets: ['trainer-pull'],
      sa: 'default',
      uses: [
        [
          'spec.template.spec.replicatedJobs[1].template.spec.template.spec.containers[0].image',
          `${REG}/kubeflow/torch:2.5.0`,
          'node',
          C,
          'IfNotPresent',
        ],
      ],
    },
  ],
  'kubeflow-clustertrainingruntime.yaml': [
    plain('spec.template.spec.replicatedJobs[0].template.spec.template.spec', [
      [
        'spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].image',
        `${REG}/kubeflow/mpi-launcher:2.0`,
        'node',
        C,
        null,
      ],
    ]),
    {
      at: 'spec.template.spec.replicatedJobs[1].template.spec.template.spec',
      secrets: [],
      sa: 'mpi-node',
      uses: [
        [
          'spec.template.spec.replicatedJobs[1].template.spec.template.spec.containers[0].image',
          `${REG}/kubeflow/mpi-node:2.0`,
          'node',
          C,
          null,
        ],
      ],
    },
  ],
  'kubeflow-notebook.yaml': [
    {
      at: 'spec.template.spec',
      secrets: [],
      sa: 'default-editor',
      uses: [
        [
          'spec.template.spec.containers[0].image',
          'kubeflownotebookswg/jupyter-scipy:v1.9.2',
          'jupyter',
          C,
          'IfNotPresent',
        ],
      ],
    },
  ],
};

testCrdFixtures('ml', EXPECTED);

/**
 * The OpenKruise fixtures of test/fixtures/objects/crd, read through BUILT_IN_WORKLOADS: every pod spec view, and
 * every image field of each fixture seen exactly once.
 */
import { testCrdFixtures } from '../../test/helpers/crd-fixtures.js';

const C = 'containers';
const I = 'initContainers';
const REG = 'registry.example/kruise';

/** A view with no pull secrets and the default service account. */
const plain = (at: string, uses: unknown[][]) => ({ at, secrets: [], sa: 'default', uses });

/** spec.template.spec with an init container `init` and a container `main`. */
const initAndMain = (initImage: string, mainImage: string) => [
  plain('spec.template.spec', [
    ['spec.template.spec.initContainers[0].image', `${REG}/${initImage}`, 'init', I, null],
    ['spec.template.spec.containers[0].image', `${REG}/${mainImage}`, 'main', C, null],
  ]),
];

// Written out by hand from the fixtures: every image field, with its kubectl-style path.
const EXPECTED: Record<string, unknown> = {
  'kruise-cloneset.yaml': initAndMain('cloneset-init:1.0', 'cloneset:1.0'),
  'kruise-advanced-statefulset.yaml': initAndMain('advanced-statefulset-init:1.0', 'advanced-statefulset:1.0'),
  'kruise-advanced-statefulset-v1alpha1.yaml': [
    plain('spec.template.spec', [['spec.template.spec.containers[0].image', `${REG}/web:1.0`, 'main', C, null]]),
  ],
  'kruise-advanced-daemonset.yaml': initAndMain('advanced-daemonset-init:1.0', 'advanced-daemonset:1.0'),
  'kruise-broadcastjob.yaml': [
    plain('spec.template.spec', [['spec.template.spec.containers[0].image', `${REG}/perl:5.34`, 'pi', C, null]]),
  ],
  'kruise-advancedcronjob.yaml': [
    plain('spec.template.jobTemplate.spec.template.spec', [
      ['spec.template.jobTemplate.spec.template.spec.containers[0].image', `${REG}/busybox:1.36`, 'hello', C, null],
    ]),
    {
      at: 'spec.template.broadcastJobTemplate.spec.template.spec',
      secrets: ['acj-pull'],
      sa: 'default',
      uses: [
        [
          'spec.template.broadcastJobTemplate.spec.template.spec.containers[0].image',
          `${REG}/cleaner:1.0`,
          'clean',
          C,
          null,
        ],
      ],
    },
  ],
  'kruise-uniteddeployment.yaml': [
    plain('spec.template.cloneSetTemplate.spec.template.spec', [
      ['spec.template.cloneSetTemplate.spec.template.spec.containers[0].image', `${REG}/nginx:1.27`, 'nginx', C, null],
    ]),
  ],
  'kruise-sidecarset.yaml': [
    {
      at: 'spec',
      secrets: ['sidecar-pull'],
      sa: 'default',
      uses: [
        ['spec.initContainers[0].image', `${REG}/log-setup:1.0`, 'setup', I, null],
        ['spec.containers[0].image', `${REG}/log-agent:1.0`, 'log-agent', C, 'IfNotPresent'],
      ],
    },
  ],
};

testCrdFixtures('kruise', EXPECTED);

/**
 * The Argo fixtures of test/fixtures/objects/crd, read through BUILT_IN_WORKLOADS (the one entry point for kinds):
 * every pod spec view, and every image field of each fixture seen exactly once. The other projects' fixtures:
 * workload-catalog.{pipelines-serving,ml,kruise}-fixtures.test.ts, grouped in test/helpers/crd-fixtures.ts.
 */
import t from 'tap';
import { crdFixtureFiles, FIXTURE_GROUPS, imageFieldPaths, testCrdFixtures } from '../../test/helpers/crd-fixtures.js';

const C = 'containers';
const I = 'initContainers';

// Written out by hand from the fixtures: every image field, with its kubectl-style path.
testCrdFixtures('argo', {
  'argo-rollout.yaml': [
    {
      at: 'spec.template.spec',
      secrets: ['regcred'],
      sa: 'default',
      uses: [
        ['spec.template.spec.initContainers[0].image', 'busybox:1.36', 'wait-for-db', I, null],
        ['spec.template.spec.containers[0].image', 'argoproj/rollouts-demo:blue', 'rollouts-demo', C, 'Always'],
      ],
    },
  ],
  'argo-workflow.yaml': [
    {
      at: 'spec',
      secrets: ['docker-registry-secret'],
      sa: 'workflow-runner',
      uses: [
        ['spec.templates[1].initContainers[0].image', 'alpine:latest', 'hello', I, null],
        ['spec.templates[1].container.image', 'docker/whalesay', '', C, 'IfNotPresent'],
        ['spec.templates[3].container.image', 'appropriate/curl', '', C, null],
        ['spec.templates[2].script.image', 'python:alpine3.6', '', C, null],
        ['spec.templates[3].sidecars[0].image', 'nginx:1.13', 'nginx', C, null],
        ['spec.templates[4].containerSet.containers[0].image', 'argoproj/argosay:v2', 'a', C, null],
        ['spec.templates[4].containerSet.containers[1].image', 'argoproj/argosay:v2', 'b', C, null],
      ],
    },
  ],
  'argo-workflowtemplate.yaml': [
    { at: 'spec', secrets: [], sa: 'default', uses: [['spec.templates[0].container.image', 'busybox', '', C, null]] },
  ],
  'argo-clusterworkflowtemplate.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [['spec.templates[0].container.image', 'docker/whalesay:latest', '', C, null]],
    },
  ],
  'argo-cronworkflow.yaml': [
    {
      at: 'spec.workflowSpec',
      secrets: ['cron-pull'],
      sa: 'default',
      uses: [['spec.workflowSpec.templates[0].container.image', 'docker/whalesay:latest', '', C, null]],
    },
  ],
  'argo-workflow-inline.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.templates[1].steps[1][0].inline.initContainers[0].image', 'busybox:1.36', 'init', I, null],
        ['spec.templates[2].container.image', 'alpine:3.20', '', C, null],
        ['spec.templates[0].dag.tasks[0].inline.container.image', 'argoproj/argosay:v2', '', C, null],
        ['spec.templates[1].steps[1][0].inline.container.image', 'alpine:3.20', '', C, null],
        ['spec.templates[1].steps[0][0].inline.script.image', 'python:3.12-alpine', '', C, null],
      ],
    },
  ],
  'argo-experiment.yaml': [
    {
      at: 'spec.templates[0].template.spec',
      secrets: [],
      sa: 'default',
      uses: [
        [
          'spec.templates[0].template.spec.containers[0].image',
          'argoproj/rollouts-demo:purple',
          'rollouts-demo',
          C,
          'Always',
        ],
      ],
    },
    {
      at: 'spec.templates[1].template.spec',
      secrets: ['demo-pull'],
      sa: 'default',
      uses: [
        [
          'spec.templates[1].template.spec.containers[0].image',
          'argoproj/rollouts-demo:orange',
          'rollouts-demo',
          C,
          null,
        ],
      ],
    },
  ],
  'argo-analysistemplate.yaml': [
    {
      at: 'spec.metrics[1].provider.job.spec.template.spec',
      secrets: [],
      sa: 'load-tester',
      uses: [
        [
          'spec.metrics[1].provider.job.spec.template.spec.containers[0].image',
          'argoproj/load-tester:latest',
          'load-tester',
          C,
          null,
        ],
      ],
    },
  ],
  'argo-clusteranalysistemplate.yaml': [
    {
      at: 'spec.metrics[0].provider.job.spec.template.spec',
      secrets: [],
      sa: 'default',
      uses: [
        [
          'spec.metrics[0].provider.job.spec.template.spec.containers[0].image',
          'curlimages/curl:8.7.1',
          'smoke',
          C,
          null,
        ],
      ],
    },
  ],
  'argo-analysisrun.yaml': [
    {
      at: 'spec.metrics[0].provider.job.spec.template.spec',
      secrets: [],
      sa: 'default',
      uses: [
        ['spec.metrics[0].provider.job.spec.template.spec.initContainers[0].image', 'busybox:1.36', 'wait', I, null],
        [
          'spec.metrics[0].provider.job.spec.template.spec.containers[0].image',
          'ghcr.io/example/integration-tests:2.3.0',
          'test',
          C,
          null,
        ],
      ],
    },
  ],
});

t.test('every fixture under test/fixtures/objects/crd belongs to one group of fixture tests', async (t) => {
  const prefixes: readonly string[] = Object.values(FIXTURE_GROUPS).flat();
  for (const file of crdFixtureFiles())
    t.ok(
      prefixes.some((prefix) => file.startsWith(prefix)),
      file,
    );
});

t.test('the image-field walker finds fields in lists and maps, and only string-valued ones', async (t) => {
  t.same(imageFieldPaths({ a: [{ image: 'x' }, { b: { image: 'y' } }], image: 3, c: { image: null } }), [
    'a[0].image',
    'a[1].b.image',
  ]);
});

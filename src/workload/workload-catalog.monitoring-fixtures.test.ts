/**
 * The Prometheus Operator fixtures of test/fixtures/objects/crd, read through BUILT_IN_WORKLOADS: every pod spec view,
 * and every image field of each fixture seen exactly once.
 */
import { testCrdFixtures } from '../../test/helpers/crd-fixtures.js';

const C = 'containers';
const I = 'initContainers';

// Written out by hand from the fixtures: every image field, with its kubectl-style path.
testCrdFixtures('monitoring', {
  'prometheus-operator-prometheus.yaml': [
    {
      at: 'spec',
      secrets: ['quay-pull'],
      sa: 'prometheus-k8s',
      uses: [
        ['spec.image', 'quay.io/prometheus/prometheus:v2.54.1', '', C, 'IfNotPresent'],
        ['spec.containers[1].image', 'quay.io/oauth2-proxy/oauth2-proxy:v7.6.0', 'oauth-proxy', C, null],
        ['spec.thanos.image', 'quay.io/thanos/thanos:v0.36.1', '', C, null],
      ],
    },
  ],
  'prometheus-operator-alertmanager.yaml': [
    {
      at: 'spec',
      secrets: [],
      sa: 'alertmanager-main',
      uses: [
        ['spec.initContainers[0].image', 'registry.example/monitoring/fetch-secrets:1.0', 'fetch-secrets', I, null],
        ['spec.image', 'quay.io/prometheus/alertmanager:v0.27.0', '', C, null],
      ],
    },
  ],
  'prometheus-operator-thanosruler.yaml': [
    { at: 'spec', secrets: [], sa: 'default', uses: [['spec.image', 'quay.io/thanos/thanos:v0.36.1', '', C, null]] },
  ],
  'prometheus-operator-prometheusagent.yaml': [
    {
      at: 'spec',
      secrets: ['agent-pull'],
      sa: 'prometheus-agent',
      uses: [['spec.image', 'quay.io/prometheus/prometheus:v2.54.1', '', C, null]],
    },
  ],
});

import { readFile } from 'node:fs/promises';
import t from 'tap';
import { Check as generatedCheck } from './pod-spec-check.generated.js';
import { podSpecCheckCode } from './pod-spec-check-code.js';
import { podSpecValidator } from './pod-spec-schema.js';

t.test('pod-spec-check.generated.ts is what TypeBox generates from PodSpecSchema today', async (t) => {
  const committed = await readFile(new URL('./pod-spec-check.generated.ts', import.meta.url), 'utf8');
  t.equal(committed, podSpecCheckCode(), 'stale: run `npm run build && node scripts/generate-pod-spec-check.mjs`');
  t.notMatch(committed, /^import /m, 'the generated module imports nothing (no TypeBox at start-up)');
});

/** Specs the schema accepts and rejects, one field at a time, each judged by both validators. */
const container = { name: 'app', image: 'nginx:1.27', imagePullPolicy: 'Always' };
const term = { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] };
const SPECS: ReadonlyArray<readonly [string, unknown, boolean]> = [
  ['empty', {}, true],
  ['full', fullSpec(), true],
  ['unknown fields', { containers: [{ ...container, ports: [{ containerPort: 80 }] }], hostNetwork: true }, true],
  ['null lists and fields', { containers: null, volumes: null, nodeName: null, os: null }, true],
  ['a container that is not an object', { containers: ['nginx'] }, false],
  ['a numeric image', { containers: [{ image: 5 }] }, false],
  ['an init container with a list as name', { initContainers: [{ name: ['a'] }] }, false],
  ['an ephemeral container with a boolean pull policy', { ephemeralContainers: [{ imagePullPolicy: true }] }, false],
  ['containers as a map', { containers: { app: container } }, false],
  ['an image volume with a numeric reference', { volumes: [{ name: 'v', image: { reference: 1 } }] }, false],
  ['a node selector with a numeric value', { nodeSelector: { disk: 1 } }, false],
  ['a node selector with a string value', { nodeSelector: { disk: 'ssd' } }, true],
  ['a requirement without an operator', { affinity: nodeAffinity([{ matchFields: [{ key: 'k' }] }]) }, false],
  ['a requirement with a numeric value', { affinity: nodeAffinity([{ matchExpressions: [op('In', [1])] }]) }, false],
  ['a toleration with a numeric effect', { tolerations: [{ key: 'k', effect: 3 }] }, false],
  ['pull secrets as strings', { imagePullSecrets: ['regcred'] }, false],
  ['a numeric service account', { serviceAccountName: 7 }, false],
  ['os as a string', { os: 'linux' }, false],
  ['a list as the spec', [], false],
  ['a string as the spec', 'spec', false],
];

t.test('the generated check accepts and rejects what the compiled schema does', async (t) => {
  for (const [name, spec, valid] of SPECS) {
    t.equal(podSpecValidator.Check(spec), valid, `${name}: the schema says ${valid ? 'valid' : 'invalid'}`);
    t.equal(generatedCheck(spec), valid, `${name}: so does the generated check`);
  }
});

function fullSpec(): unknown {
  return {
    initContainers: [container],
    containers: [container, { name: 'sidecar', image: null }],
    ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    volumes: [{ name: 'v', image: { reference: 'quay.io/x/data:1', pullPolicy: 'IfNotPresent' } }, { name: 'e' }],
    imagePullSecrets: [{ name: 'regcred' }],
    serviceAccountName: 'builder',
    serviceAccount: 'builder',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    affinity: nodeAffinity([term, { matchFields: [op('In', ['node-1'])] }]),
    tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    nodeName: 'node-1',
    os: { name: 'linux' },
  };
}

function nodeAffinity(nodeSelectorTerms: unknown[]): unknown {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } };
}

function op(operator: string, values: unknown[]): unknown {
  return { key: 'k', operator, values };
}

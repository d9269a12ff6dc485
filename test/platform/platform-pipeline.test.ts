/**
 * The platform check end to end on real manifests: pod spec extraction → candidate platforms → index matching →
 * message text. The cases of the issue (an arm64 cluster and amd64-only images).
 */
import t from 'tap';
import type { NodeInfo } from '../../src/platform/candidate-platforms.js';
import { candidatePlatforms } from '../../src/platform/candidate-platforms.js';
import { describePlatformProblem } from '../../src/platform/describe-platform-problem.js';
import { checkIndexPlatforms } from '../../src/platform/match-platform.js';
import { parsePlatform, type Platform } from '../../src/platform/platform.js';
import { compactIndexPlatforms, type IndexPlatforms } from '../../src/platform/index-platforms.js';
import { extractPodSpec } from '../../src/workload/extract-pod-spec.js';
import { WORKLOAD_KINDS } from '../../src/workload/pod-spec-paths.js';

function p(text: string): Platform {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(`bad platform in test: ${text}`);
  return parsed;
}
const index = (...platforms: string[]): IndexPlatforms => compactIndexPlatforms(platforms.map(p));
const node = (name: string, arch: string, taints: NodeInfo['taints'] = []): NodeInfo => ({
  name,
  labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name },
  taints,
  platform: p(`linux/${arch}`),
});
const deployment = (podSpec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'example.com/app:1' }], ...podSpec } } },
});

const DEPLOYMENT = WORKLOAD_KINDS.find((k) => k.kind === 'Deployment');
const armCluster = [node('arm-1', 'arm64'), node('arm-2', 'arm64')];
const armTaint = { key: 'arch', value: 'arm64', effect: 'NoSchedule' };
const mixedCluster = [node('amd-1', 'amd64'), node('arm-1', 'arm64', [armTaint]), node('arm-2', 'arm64')];
const amd64Only = index('linux/amd64', 'unknown/unknown');
const multiArch = index('linux/amd64', 'linux/arm64/v8', 'unknown/unknown', 'unknown/unknown');

t.test('the cases of the issue', async (t) => {
  if (!DEPLOYMENT) throw new Error('Deployment kind missing');
  const table: [
    name: string,
    nodes: NodeInfo[],
    podSpec: Record<string, unknown>,
    image: IndexPlatforms,
    status: string,
  ][] = [
    ['arm64-only cluster, amd64-only image', armCluster, {}, amd64Only, 'mismatch'],
    ['arm64 entry without variant on arm64 nodes', armCluster, {}, index('linux/arm64'), 'ok'],
    ['mixed cluster, amd64-only image', mixedCluster, {}, amd64Only, 'partial'],
    ['nodeSelector pins amd64', mixedCluster, { nodeSelector: { 'kubernetes.io/arch': 'amd64' } }, amd64Only, 'ok'],
    [
      'required affinity to arm64',
      mixedCluster,
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
              ],
            },
          },
        },
      },
      amd64Only,
      'mismatch',
    ],
    [
      'taints exclude the arm nodes',
      [node('amd-1', 'amd64'), node('arm-1', 'arm64', [armTaint]), node('arm-2', 'arm64', [armTaint])],
      {},
      amd64Only,
      'ok',
    ],
    [
      'tolerating the arm taint brings them back',
      [node('amd-1', 'amd64'), node('arm-1', 'arm64', [armTaint])],
      { tolerations: [{ key: 'arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }] },
      amd64Only,
      'partial',
    ],
    ['multi-arch image', mixedCluster, {}, multiArch, 'ok'],
  ];
  for (const [name, nodes, podSpec, image, status] of table) {
    const extracted = extractPodSpec(DEPLOYMENT, deployment(podSpec));
    if (!extracted.ok) throw new Error(`${name}: ${extracted.problem}`);
    const candidates = candidatePlatforms({ nodes, placement: extracted.view, configuredPlatforms: [] });
    const result = checkIndexPlatforms({ index: image, candidates: candidates.platforms });
    t.equal(result.status, status, name);
    const text = describePlatformProblem(result, 'example.com/app:1');
    t.equal(text === undefined, status === 'ok', `${name}: text only for a problem`);
  }
});

t.test('outside a cluster the configured platforms stand in for nodes', async (t) => {
  if (!DEPLOYMENT) throw new Error('Deployment kind missing');
  const extracted = extractPodSpec(DEPLOYMENT, deployment({ nodeSelector: { 'kubernetes.io/arch': 'arm64' } }));
  if (!extracted.ok) throw new Error(extracted.problem);
  const candidates = candidatePlatforms({
    nodes: [],
    placement: extracted.view,
    configuredPlatforms: [p('linux/amd64'), p('linux/arm64')],
  });
  const result = checkIndexPlatforms({ index: amd64Only, candidates: candidates.platforms });
  t.equal(result.status, 'mismatch');
  t.equal(
    describePlatformProblem(result, 'example.com/app:1')?.cause,
    'image example.com/app:1 has linux/amd64 only; the pod can only run on linux/arm64 nodes',
  );
});

import t from 'tap';
import { buildInventory, type AuditCheck, type WorkloadObject } from '../audit/inventory.js';
import { DEFAULT_CONFIG, type Config } from '../config/load-config.js';
import type { Resolution } from '../resolution/resolution.js';
import type { PullCredentialsPort } from '../review/ports.js';
import { createReviewer } from '../review/review-object.js';
import { BUILT_IN_WORKLOADS } from '../workload/workload-catalog.js';
import { auditPod, createAuditCheck } from './audit-check.js';

const podSpec = {
  serviceAccountName: 'builder',
  imagePullSecrets: [{ name: 'regcred' }, {}, { name: 'other' }],
  nodeSelector: { 'kubernetes.io/arch': 'arm64' },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
      },
    },
  },
  tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
  os: { name: 'linux' },
  initContainers: [{ name: 'migrate', image: 'registry.example.com/shop/migrate:2' }],
  containers: [{ name: 'app', image: 'registry.example.com/shop/web:1.4', imagePullPolicy: 'Always' }],
};

const cronJob = (image: string, spec: object = {}): WorkloadObject => ({
  group: 'batch',
  kind: 'CronJob',
  object: {
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { jobTemplate: { spec: { template: { spec: { ...spec, containers: [{ name: 'report', image }] } } } } },
  },
});

const checksOf = (...objects: WorkloadObject[]): readonly AuditCheck[] =>
  buildInventory(BUILT_IN_WORKLOADS, objects).checks;

function harness(answer: (signal: AbortSignal) => Promise<Resolution>, config: Config = DEFAULT_CONFIG) {
  const asked: string[] = [];
  const credentialRequests: Parameters<PullCredentialsPort>[0][] = [];
  const reviewer = createReviewer({
    config,
    pullCredentials: async (request) => {
      credentialRequests.push(request);
      return { credentialsFor: () => [], problems: [], uncertain: false };
    },
    resolver: {
      resolve: async ({ reference, signal }) => {
        asked.push(`${reference.domain}/${reference.path}:${reference.tag ?? ''}`);
        return answer(signal);
      },
    },
  });
  return { asked, credentialRequests, reviewer };
}

const NOT_FOUND: Resolution = { outcome: 'not-found', missing: 'tag', suggestions: ['1.3'] };
const FOUND: Resolution = { outcome: 'found', digest: 'sha256:0123' };

t.test('the audit Pod: exactly the use, with the workload credentials and placement', async (t) => {
  const checks = checksOf({
    group: 'apps',
    kind: 'Deployment',
    object: { metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 0, template: { spec: podSpec } } },
  });
  const app = checks.find((check) => check.use.name === 'app');
  t.same(auditPod(app!), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pullguard-audit', namespace: 'shop' },
    spec: {
      containers: [{ name: 'app', image: 'registry.example.com/shop/web:1.4', imagePullPolicy: 'Always' }],
      serviceAccountName: 'builder',
      imagePullSecrets: [{ name: 'regcred' }, {}, { name: 'other' }],
      nodeSelector: { 'kubernetes.io/arch': 'arm64' },
      affinity: podSpec.affinity,
      tolerations: podSpec.tolerations,
      os: { name: 'linux' },
    },
  });
  const bound = checksOf(cronJob('x/y:1', { nodeName: 'node-1' }))[0]!;
  t.match(auditPod(bound), { spec: { nodeName: 'node-1', serviceAccountName: 'default' } });
  t.notMatch(auditPod(bound), { spec: { imagePullSecrets: Array } });
});

t.test('a missing tag: unavailable with the closest tag, through the workload own credentials', async (t) => {
  const { asked, credentialRequests, reviewer } = harness(async () => NOT_FOUND);
  const check = createAuditCheck({ reviewer, budgetMs: 5000 });
  const [target] = checksOf(cronJob('registry.example.com/shop/report:1.4', { imagePullSecrets: [{ name: 'rc' }] }));
  const result = await check(target!, new AbortController().signal);
  t.match(result, { outcome: 'unavailable', class: 'notFound', message: /tag "1.4" does not exist.*1\.3/s });
  t.same(asked, ['registry.example.com/shop/report:1.4']);
  t.match(credentialRequests, [{ namespace: 'shop', imagePullSecrets: ['rc'], serviceAccountName: 'default' }]);
});

t.test('a relaxed policy does not make a missing tag pullable', async (t) => {
  const config: Config = { ...DEFAULT_CONFIG, policy: { ...DEFAULT_CONFIG.policy, notFound: 'allow' } };
  const { reviewer } = harness(async () => NOT_FOUND, config);
  const [target] = checksOf(cronJob('registry.example.com/shop/report:1.4'));
  const result = await createAuditCheck({ reviewer, budgetMs: 5000 })(target!, new AbortController().signal);
  t.match(result, { outcome: 'unavailable', class: 'notFound' });
});

t.test('found: available; exempt: skipped; an invalid reference: unavailable without a registry request', async (t) => {
  const config: Config = { ...DEFAULT_CONFIG, exemptImages: ['registry.example.com/infra/*'] };
  const { asked, reviewer } = harness(async () => FOUND, config);
  const check = createAuditCheck({ reviewer, budgetMs: 5000 });
  const signal = new AbortController().signal;
  t.same(await check(checksOf(cronJob('registry.example.com/shop/report:1.4'))[0]!, signal), {
    outcome: 'available',
  });
  t.match(await check(checksOf(cronJob('registry.example.com/infra/agent:1'))[0]!, signal), {
    outcome: 'skipped',
    reason: /exempt/,
  });
  t.match(await check(checksOf(cronJob('Registry.example.com/UPPER:1'))[0]!, signal), {
    outcome: 'unavailable',
    class: 'invalidReference',
  });
  t.same(asked, ['registry.example.com/shop/report:1.4'], 'only the valid, checked image was asked for');
});

t.test('out of budget, or stopped: error, saying which', async (t) => {
  const hang = (signal: AbortSignal) =>
    new Promise<Resolution>((resolve) =>
      signal.addEventListener('abort', () => resolve({ outcome: 'timeout', afterMs: 50 }), { once: true }),
    );
  const { reviewer } = harness(hang);
  const [target] = checksOf(cronJob('registry.example.com/shop/report:1.4'));
  // The budget's timer does not hold the process open (a CLI's network I/O does); this test's timer does.
  const alive = setTimeout(() => undefined, 10_000);
  t.teardown(() => clearTimeout(alive));
  const slow = await createAuditCheck({ reviewer, budgetMs: 50 })(target!, new AbortController().signal);
  t.match(slow, { outcome: 'error', message: /did not answer within/ });
  const stop = new AbortController();
  const pending = createAuditCheck({ reviewer, budgetMs: 60_000 })(target!, stop.signal);
  stop.abort();
  t.match(await pending, { outcome: 'error', message: 'the scan was stopped before the check finished' });
});

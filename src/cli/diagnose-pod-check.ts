/**
 * The {@link PodCheckPort} of `pullguard diagnose` over the webhook's reviewer: the pod is reviewed as if it were
 * created now, with its own pull secrets and service account (the engine reads them through the cluster reader,
 * in kubelet order) and on its own node (the Node object joins the nodes the engine places pods on). What the
 * reviewer returns per image use becomes an {@link ImageCheck}.
 */
import type { ClusterReader } from '../credentials/cluster-port.js';
import type { ImageCheck, PodCheck, PodCheckPort } from '../diagnose/pod-check-port.js';
import { parseImageReference } from '../image/reference.js';
import type { NodeInfo } from '../platform/candidate-platforms.js';
import { indexPlatformList } from '../platform/index-platforms.js';
import { nodeInfoFromObject } from '../platform/node-info.js';
import type { Reviewer, UseReport } from '../review/review-object.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';

export interface DiagnosePodCheckOptions {
  readonly reviewer: Reviewer;
  /** Reads the pod's service account for the fix (its `imagePullSecrets`); absent: not read. */
  readonly clusterReader?: ClusterReader;
  /** Per pod: a CLI user waits longer than an API server lets a webhook take. */
  readonly budgetMs: number;
}

/** The nodes the engine knows, fed by the checks: a new array on each change, so its memo starts over. */
export interface NodeBook {
  readonly nodes: () => readonly NodeInfo[];
  add(node: unknown): void;
}

export function createNodeBook(): NodeBook {
  const byName = new Map<string, NodeInfo>();
  let snapshot: readonly NodeInfo[] = [];
  return {
    nodes: () => snapshot,
    add(node) {
      const info = nodeInfoFromObject(node);
      if (info === undefined || byName.has(info.name)) return;
      byName.set(info.name, info);
      snapshot = [...byName.values()];
    },
  };
}

export function createDiagnosePodCheck(options: DiagnosePodCheckOptions, nodeBook: NodeBook): PodCheckPort {
  return async (pod, node, signal) => {
    if (node !== undefined) nodeBook.add(node);
    const namespace = stringAt(pod, 'metadata', 'namespace');
    const deadline = linkedDeadline(signal, options.budgetMs, 'diagnose check budget exhausted');
    try {
      const [outcome, credentials] = await Promise.all([
        options.reviewer.review({
          kind: { group: '', version: 'v1', kind: 'Pod' },
          operation: 'CREATE',
          ...(namespace ? { namespace } : {}),
          ...(stringAt(pod, 'metadata', 'name') ? { name: stringAt(pod, 'metadata', 'name') } : {}),
          object: asNewPod(pod),
          signal: deadline.signal,
        }),
        readCredentials(options.clusterReader, namespace, pod, deadline.signal),
      ]);
      if (outcome.status === 'skipped') return notChecked(`pullguard skips it: ${outcome.reason}`);
      if (outcome.status === 'invalid') return notChecked(`pullguard cannot read it: ${outcome.problem}`);
      if (outcome.status !== 'reviewed') return notChecked('pullguard found no image to check');
      const findings = outcome.decision.findings;
      const images = outcome.uses.map((report): ImageCheck =>
        imageCheck(
          report,
          findings.filter((f) => f.use?.path === report.use.path),
        ),
      );
      return { status: 'checked', images, ...credentials };
    } finally {
      deadline.release();
    }
  };
}

function notChecked(reason: string): PodCheck {
  return { status: 'not-checked', reason };
}

/**
 * The pod as a new one: a pod made by a checked controller is skipped on CREATE (the webhook checked its template),
 * and a node's static pod too; diagnose wants its images checked whatever made it.
 */
function asNewPod(pod: unknown): unknown {
  if (!isRecord(pod) || !isRecord(pod['metadata'])) return pod;
  const { ownerReferences: _owners, annotations, ...metadata } = pod['metadata'];
  const kept = isRecord(annotations)
    ? Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== 'kubernetes.io/config.mirror'))
    : undefined;
  return { ...pod, metadata: { ...metadata, ...(kept ? { annotations: kept } : {}) } };
}

function imageCheck(report: UseReport, findings: ImageCheck['findings']): ImageCheck {
  const parsed = parseImageReference(report.use.image);
  const resolution = report.resolution;
  const platforms = resolution?.outcome === 'found' && resolution.index ? indexPlatformList(resolution.index) : [];
  const rejected = resolution?.outcome === 'unauthorized' ? secretName(resolution.credentialSource) : undefined;
  return {
    section: report.use.section,
    name: report.use.name,
    ...(report.canonical ? { canonical: report.canonical } : {}),
    ...(parsed.ok ? { registryHost: parsed.reference.domain } : {}),
    findings,
    ...(platforms.length > 0 ? { imagePlatforms: platforms } : {}),
    ...(rejected ? { rejectedSecret: rejected } : {}),
  };
}

/** `secret shop/regcred` or `secret regcred` → `regcred`; other sources (a docker config, a provider) → none. */
function secretName(source: string | undefined): string | undefined {
  if (!source?.startsWith('secret ')) return undefined;
  const name = source.slice('secret '.length);
  return name.slice(name.lastIndexOf('/') + 1) || undefined;
}

interface CredentialReads {
  readonly serviceAccountPullSecrets?: readonly string[];
  readonly unread: readonly string[];
}

/**
 * The pod's service account (its `imagePullSecrets` go into the fix) and whether each pull secret could be read, so
 * the report can say what it could not see. The reads are the cached ones the review made; a secret's data is
 * never looked at here.
 */
async function readCredentials(
  reader: ClusterReader | undefined,
  namespace: string | undefined,
  pod: unknown,
  signal: AbortSignal,
): Promise<CredentialReads> {
  if (reader === undefined || namespace === undefined) return { unread: [] };
  const account = stringAt(pod, 'spec', 'serviceAccountName') ?? 'default';
  const [serviceAccount, ...secrets] = await Promise.all([
    reader.getServiceAccount(namespace, account, signal),
    ...podSecretNames(pod).map((name) => reader.getSecret(namespace, name, signal).then((read) => ({ name, read }))),
  ]);
  const unread: string[] = [];
  if (serviceAccount?.status === 'error')
    unread.push(
      `cannot read service account ${namespace}/${account} (${serviceAccount.kind}: ${serviceAccount.detail})`,
    );
  for (const { name, read } of secrets as { name: string; read: Awaited<ReturnType<ClusterReader['getSecret']>> }[])
    if (read.status === 'error')
      unread.push(`cannot read pull secret ${namespace}/${name} (${read.kind}: ${read.detail})`);
  const names =
    serviceAccount?.status === 'found' ? serviceAccount.value.imagePullSecrets.filter((n) => n !== '') : undefined;
  return { ...(names ? { serviceAccountPullSecrets: names } : {}), unread };
}

/** The names under `spec.imagePullSecrets`, at most 64 (the review reads no more either). */
function podSecretNames(pod: unknown): string[] {
  const spec = isRecord(pod) ? pod['spec'] : undefined;
  const refs = isRecord(spec) ? spec['imagePullSecrets'] : undefined;
  if (!Array.isArray(refs)) return [];
  return refs
    .slice(0, 64)
    .map((ref) => (isRecord(ref) && typeof ref['name'] === 'string' ? ref['name'] : ''))
    .filter((name) => name !== '');
}

function stringAt(value: unknown, first: string, second: string): string | undefined {
  const outer = isRecord(value) ? value[first] : undefined;
  const inner = isRecord(outer) ? outer[second] : undefined;
  return typeof inner === 'string' && inner !== '' ? inner : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The two views of one failing container reconciled: what the node's runtime reported (classified by
 * `classifyRuntimeMessage`) and what pullguard's engine finds for the same image now. Pure and bounded: the message
 * classification caps its input, and the findings are looked at once each.
 */
import type { Finding } from '../policy/finding.js';
import type { FindingClass } from '../policy/finding-class.js';
import {
  classifyRuntimeMessage,
  findingClassOfRuntimeError,
  type RuntimeFailureKind,
  type RuntimeMessageClass,
} from '../policy/runtime-message.js';
import type { ReconcileInput } from './container-facts.js';

export const RECONCILE_VERDICTS = ['still-broken', 'fixed-since', 'node-side', 'disagree', 'not-checked'] as const;
export type ReconcileVerdict = (typeof RECONCILE_VERDICTS)[number];

export interface Reconciliation {
  readonly verdict: ReconcileVerdict;
  /** The verdict in plain words: why it is still broken, what changed, what only the node can tell, or both views. */
  readonly reason: string;
  /** The node's message, classified. */
  readonly node: RuntimeMessageClass;
  /** The finding that explains the failure now (absent when the image resolves with no problem). */
  readonly finding?: Finding;
}

/** Findings that stop or may stop a pull; the others (a `latest` tag, a partial platform list) are advice. */
const PULL_FAILURES: ReadonlySet<FindingClass> = new Set<FindingClass>([
  'notFound',
  'unauthorized',
  'invalidReference',
  'platformMismatch',
  'unreachable',
  'timeout',
  'rateLimited',
  'missingPullSecret',
  'invalidPullSecret',
  'pullPolicyNever',
  'nodeCredentials',
  'blockedRegistry',
  'ambiguousShortName',
  'missingServiceAccountAnnotation',
]);

/**
 * The finding classes that say the same as each kind of runtime error (docs/design.md §2.1): first the one
 * `findingClassOfRuntimeError` names, then the narrower ones the engine reports for the same failure (a refused
 * pull is often a missing or a wrong pull secret; a timeout may surface as an unreachable registry).
 */
const ALSO_SAME_CAUSE: Partial<Record<RuntimeFailureKind, readonly FindingClass[]>> = {
  unauthorized: ['missingPullSecret', 'invalidPullSecret', 'nodeCredentials', 'missingServiceAccountAnnotation'],
  ioTimeout: ['unreachable'],
};

function sameCause(kind: RuntimeFailureKind): readonly FindingClass[] {
  const first = findingClassOfRuntimeError(kind);
  return [...(first === undefined ? [] : [first]), ...(ALSO_SAME_CAUSE[kind] ?? [])];
}

/** What changed, when pullguard finds the image now although the node could not pull it. */
const CHANGED: Partial<Record<RuntimeFailureKind, string>> = {
  notFound: 'the image exists now',
  unauthorized: "the registry accepts the pod's credentials now",
  platformMismatch: "the image has a variant for the node's platform now",
  rateLimited: 'the registry no longer rate-limits the pull',
  connectionRefused: 'the registry answers now',
  ioTimeout: 'the registry answers in time now',
};

/** Reconciles the node's view with pullguard's; never throws, whatever the input. */
export function reconcile(input: ReconcileInput): Reconciliation {
  const node = classifyRuntimeMessage(input.nodeMessage);
  const failures = input.findings.filter((f) => PULL_FAILURES.has(f.class));
  const same = failures.find((f) => sameCause(node.kind).includes(f.class));
  const finding = same ?? failures[0];
  const withFinding = finding ? { finding } : {};
  const { pod, namespace } = input.container;

  if (node.kind === 'diskFull')
    return { verdict: 'node-side', node, ...withFinding, reason: nodeSideReason('diskFull', finding) };
  if (input.notChecked !== undefined) {
    const reason = `pullguard could not check the image now (${input.notChecked}); the node says ${nodeWords(node.kind)}.`;
    return { verdict: 'not-checked', node, reason };
  }
  if (node.kind === 'dnsFailure' && !sameNetworkCause(same, 'dnsFailure'))
    return { verdict: 'node-side', node, ...withFinding, reason: nodeSideReason('dnsFailure', finding) };
  if (node.kind === 'unauthorized' && nodeCredentialsRefused(input, node, finding))
    return { verdict: 'node-side', node, ...withFinding, reason: nodeSideReason('nodeCredentials', finding) };
  if (finding?.class === 'nodeCredentials')
    return { verdict: 'node-side', node, finding, reason: nodeSideReason('nodeCredentials', undefined) };
  if (node.kind === 'unknownAuthority' && (finding === undefined || !sameNetworkCause(same, 'unknownAuthority')))
    return { verdict: 'node-side', node, ...withFinding, reason: nodeSideReason('unknownAuthority', finding) };

  if (same) return { verdict: 'still-broken', node, finding: same, reason: `still broken: ${same.cause}` };
  if (finding && node.kind === 'unknown')
    return { verdict: 'still-broken', node, finding, reason: `still broken: ${finding.cause}` };
  const changed = CHANGED[node.kind];
  if (finding === undefined && changed !== undefined) {
    return {
      verdict: 'fixed-since',
      node,
      reason: `fixed since: ${changed}. The node waits out its back-off before it tries again; delete pod ${pod} in namespace ${namespace} to retry at once.`,
    };
  }
  return {
    verdict: 'disagree',
    node,
    ...withFinding,
    reason: `pullguard does not reproduce the node's failure. The node: ${nodeWords(node.kind)}. pullguard now: ${finding ? finding.cause : 'the image resolves with no problem.'}`,
  };
}

/** True when pullguard's finding names the same network cause, i.e. the host fails from pullguard too. */
function sameNetworkCause(finding: Finding | undefined, kind: 'dnsFailure' | 'unknownAuthority'): boolean {
  return finding?.runtimeFailure?.kind === kind;
}

/**
 * The registry refused credentials although the pod lists no pull secret and pullguard, with the pod's own secrets,
 * finds the image: the refused ones were the node's (a kubelet credential provider or the runtime's config).
 */
function nodeCredentialsRefused(input: ReconcileInput, node: RuntimeMessageClass, finding: Finding | undefined) {
  const podSecrets = input.container.podPullSecrets.length + (input.container.serviceAccountPullSecrets?.length ?? 0);
  return node.credentialsRejected && podSecrets === 0 && finding === undefined;
}

const NODE_SIDE: Readonly<Record<'diskFull' | 'dnsFailure' | 'nodeCredentials' | 'unknownAuthority', string>> = {
  diskFull:
    'the node ran out of disk space while pulling; only the node can tell how full it is (kubectl describe node shows DiskPressure). Free space on the node or move the pod; the image itself is not the cause.',
  dnsFailure:
    "the node could not resolve the registry's host name, but pullguard can; only the node can tell what its resolver does (its /etc/resolv.conf and DNS server).",
  nodeCredentials:
    "the registry refused credentials the node sent itself (a kubelet credential provider or the runtime's own configuration), not a pull secret of the pod; only the node can tell which.",
  unknownAuthority:
    "the node does not trust the certificate authority that signed the registry's certificate; only the node can tell (install the CA in the runtime's trust store, e.g. containerd's hosts.toml ca).",
};

function nodeSideReason(kind: keyof typeof NODE_SIDE, finding: Finding | undefined): string {
  const also = finding ? ` pullguard also finds: ${finding.cause}` : '';
  return `node-side: ${NODE_SIDE[kind]}${also}`;
}

const NODE_WORDS: Readonly<Record<RuntimeFailureKind, string>> = {
  notFound: 'the image was not found',
  unauthorized: 'the registry refused access',
  invalidReference: 'the image name is not a valid reference',
  platformMismatch: "the image has no variant for the node's platform",
  dnsFailure: "the registry's host name did not resolve",
  connectionRefused: 'the registry refused the connection',
  ioTimeout: 'the connection to the registry timed out',
  unknownAuthority: "the registry's certificate is signed by an unknown authority",
  rateLimited: 'the registry rate-limited the pull',
  pullPolicyNever: 'the image is not on the node and the pull policy is Never',
  blockedRegistry: "the runtime's configuration blocks the registry",
  ambiguousShortName: 'the short image name is ambiguous to the runtime',
  diskFull: 'the node ran out of disk space',
  unknown: 'an error pullguard does not recognise',
};

function nodeWords(kind: RuntimeFailureKind): string {
  return NODE_WORDS[kind];
}

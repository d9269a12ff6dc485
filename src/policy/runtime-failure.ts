/**
 * A finding → the pull failure the node's runtime would report for it, and the line a denial quotes: the kubelet's
 * event text in the runtime's own words ({@link runtimeLine}), so a search for pullguard's message or for the node's
 * finds both (docs/findings.md, "The runtime's words"). Pure.
 */
import type { Finding } from './finding.js';
import { runtimeLine, type Runtime, type RuntimeFailure } from './runtime-words.js';

/**
 * The failure a finding stands for: the one set where the finding was built (platform, network cause, blocked
 * prefix, an ambiguous short name rather than one no search registry resolves), else the one its class implies. Undefined for findings the node never reports as a pull failure (a
 * policy choice such as `latestTag`, a pod-level problem, a cause only pullguard sees such as its own blocked
 * addresses) and for a registry's `invalid` answer, which the kubelet's name check does not share.
 */
export function runtimeFailureOf(finding: Finding): RuntimeFailure | undefined {
  if (finding.runtimeFailure) return finding.runtimeFailure;
  switch (finding.class) {
    case 'notFound':
      return { kind: 'notFound' };
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'rateLimited':
      return { kind: 'rateLimited' };
    case 'invalidReference':
      // Only the grammar's verdict: the kubelet parses the name with the same grammar before any pull.
      return finding.canonical === undefined ? { kind: 'invalidReference' } : undefined;
    case 'blockedRegistry': {
      // The matching prefix is best; the registry's host is what a prefix names most often.
      const host = finding.canonical?.split('/', 1)[0];
      return host ? { kind: 'blockedRegistry', prefix: host } : undefined;
    }
    default:
      return undefined;
  }
}

/** The runtime whose words a line quotes; unknown means containerd's, the default runtime of most clusters. */
export type QuotedRuntime = Runtime | undefined;

/**
 * ` Node error (containerd): Failed to pull image "nginx:1.99": …` for a finding about an image, or undefined when
 * the node would not report it. With the runtime unknown, containerd's words are quoted and the label says it is
 * assumed (containerd is the default runtime of kubeadm, EKS, GKE, AKS and k3s); a failure only CRI-O reports (a
 * blocked registry, an ambiguous short name) gets no line then. Lines the kubelet writes before it asks any runtime
 * (an invalid name) are labelled `kubelet`. The text holds the image, its canonical reference and the registry host,
 * never a credential.
 */
export function nodeErrorLine(finding: Finding, runtime: QuotedRuntime): string | undefined {
  const failure = finding.use ? runtimeFailureOf(finding) : undefined;
  if (!failure || !finding.use) return undefined;
  // Every line but the kubelet's name check names the canonical reference: without it, no line.
  const canonical = finding.canonical ?? '';
  if (canonical === '' && failure.kind !== 'invalidReference') return undefined;
  const used = runtime ?? 'containerd';
  const line = runtimeLine(used, failure, { image: finding.use.image, canonical });
  if (line === undefined) return undefined;
  const label = failure.kind === 'invalidReference' ? 'kubelet' : runtime === undefined ? 'containerd, assumed' : used;
  return `Node error (${label}): ${line}`;
}

/**
 * A refusal is only certain when pullguard saw every credential the kubelet would try. When some pull secret of the
 * pod could not be read (or was more than pullguard evaluates, or the credential step failed), an `unauthorized` (or
 * `missingServiceAccountAnnotation`) finding may just be about the credentials pullguard could not see: it becomes `unreachable` (a warning by
 * default, docs/findings.md), so pullguard warns and never denies on a guess. Pure.
 */
import type { Finding } from './finding.js';

/** Refusals that rest on pullguard having seen every credential the kubelet would try. */
const SOFTENED: ReadonlySet<string> = new Set(['unauthorized', 'missingServiceAccountAnnotation']);

export function uncertainCredentials(finding: Finding, credentialsUncertain: boolean): Finding {
  if (!SOFTENED.has(finding.class) || !credentialsUncertain) return finding;
  return {
    ...finding,
    class: 'unreachable',
    cause: `${finding.cause} pullguard could not read every pull secret of this pod, so this is not certain.`,
    short: `cannot verify ${finding.canonical ?? 'image'}: pull secrets unreadable; admitted anyway`,
  };
}

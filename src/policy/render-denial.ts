/**
 * The denial message of docs/design.md §2.2: one summary line, then one line per failing image use with the container,
 * its field path, the image as written and canonical, the cause and the fix. For the API server it is bounded to 4 KiB
 * and 10 images; `pullguard check` asks for the `full` message, every line whole.
 *
 * The summary tells pull failures (ErrImagePull/ImagePullBackOff, InvalidImageName) from policy denials (`latestTag`,
 * `pullPolicyNever`), which pull fine or, for `Never`, fail as ErrImageNeverPull only when the node lacks the image
 * (https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy).
 *
 * Each image line ends with the error the node would report for it, in the words of the runtime in use
 * (runtime-failure.ts): `Node error (containerd): Failed to pull image "nginx:1.99": …`.
 */
import type { FindingClass } from './finding-class.js';
import { describeUseWithPath, type DecidedFinding } from './finding.js';
import { nodeErrorLine, type QuotedRuntime } from './runtime-failure.js';

export const MAX_MESSAGE_BYTES = 4096;
const MAX_DENIED_LINES = 10;

export interface DenialContext {
  /** `Deployment shop/web`, `Pod shop/web-7d9c-` (generateName), … */
  readonly objectLabel: string;
  /** How many image uses were checked in this request. */
  readonly checkedUses: number;
  /** Every line, uncut (`pullguard check`); otherwise the API server's bounds apply. */
  readonly full?: boolean;
  /** The nodes' runtime, whose words each line quotes; undefined: unknown, containerd's words are quoted. */
  readonly runtime?: QuotedRuntime;
}

/** Classes denied by policy choice, not because the pull would fail; with what the kubelet would do. */
const POLICY_REASONS: Partial<Readonly<Record<FindingClass, string>>> = {
  latestTag: 'latestTag',
  pullPolicyNever: 'pullPolicyNever: ErrImageNeverPull where the node lacks the image',
};

export function renderDenial(findings: readonly DecidedFinding[], context: DenialContext): string {
  const denied = findings.filter((f) => f.verdict === 'deny');
  const pull = denied.filter((f) => POLICY_REASONS[f.class] === undefined);
  const policy = denied.filter((f) => POLICY_REASONS[f.class] !== undefined);
  const lines = denied.map((finding) => renderLine(finding, context.runtime));
  const failingUses = usesOf(denied);
  const noun = failingUses === 0 ? 'problems' : 'images';
  const summary = summaryOf(pull, policy, context);
  if (context.full) return [summary, ...lines].join('\n');
  return fitMessage(clip(summary, 512), lines, noun);
}

function summaryOf(
  pull: readonly DecidedFinding[],
  policy: readonly DecidedFinding[],
  { objectLabel, checkedUses }: DenialContext,
): string {
  const pullReasons = `(${[...new Set(pull.map((f) => (f.class === 'invalidReference' ? 'InvalidImageName' : 'ErrImagePull/ImagePullBackOff')))].join(', ')})`;
  const policyReasons = `(${[...new Set(policy.map((f) => POLICY_REASONS[f.class]))].join('; ')})`;
  const pullUses = usesOf(pull);
  const policyUses = usesOf(policy);
  const total = usesOf([...pull, ...policy]);
  const of = `${total} of ${checkedUses} image${checkedUses === 1 ? '' : 's'} in ${objectLabel}`;
  if (policy.length === 0)
    return pullUses > 0
      ? `${of} would fail to pull ${pullReasons}:`
      : `${objectLabel} would fail to pull its images ${pullReasons}:`;
  if (pull.length === 0)
    return total > 0 ? `${of} denied by policy ${policyReasons}:` : `${objectLabel} denied by policy ${policyReasons}:`;
  const pullPart = pullUses > 0 ? `${pullUses} would fail to pull` : 'its images would fail to pull';
  return `${total > 0 ? of : objectLabel} denied: ${pullPart} ${pullReasons}, ${policyUses} by policy ${policyReasons}:`;
}

/** Distinct image uses among the findings (pod-level findings count none). */
function usesOf(findings: readonly DecidedFinding[]): number {
  return new Set(findings.filter((f) => f.use).map((f) => f.use?.path)).size;
}

function renderLine(finding: DecidedFinding, runtime: QuotedRuntime): string {
  const fix = finding.fix ? ` ${finding.fix}` : '';
  if (!finding.use) return `- ${finding.subject ?? 'pod'}: ${finding.cause}${fix}`;
  const canonical = finding.canonical && finding.canonical !== finding.use.image ? ` (${finding.canonical})` : '';
  const node = nodeErrorLine(finding, runtime);
  return `- ${describeUseWithPath(finding.use)}: ${JSON.stringify(finding.use.image)}${canonical}: ${finding.cause}${fix}${node ? ` ${node}` : ''}`;
}

/** Keeps at most 10 lines and 4 KiB; the rest become `… and N more`. Lines are cut on a character boundary. */
function fitMessage(summary: string, lines: readonly string[], noun: string): string {
  const kept: string[] = [];
  let size = Buffer.byteLength(summary);
  const reserve = 64; // room for the "… and N more" line
  for (const [i, line] of lines.entries()) {
    const remaining = lines.length - i;
    const clipped = clip(line, 1024);
    const lineSize = Buffer.byteLength(clipped) + 1;
    if (kept.length >= MAX_DENIED_LINES || size + lineSize + (remaining > 1 ? reserve : 0) > MAX_MESSAGE_BYTES) {
      kept.push(`… and ${remaining} more ${noun === 'images' ? 'failing images' : 'problems'}`);
      break;
    }
    kept.push(clipped);
    size += lineSize;
  }
  return [summary, ...kept].join('\n');
}

function clip(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  // One pass over the code points: re-measuring the whole string per dropped character is quadratic, and an image
  // string can be megabytes long.
  let clipped = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes - 3) break;
    clipped += ch;
    bytes += size;
  }
  return `${clipped}…`;
}

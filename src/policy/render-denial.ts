/**
 * The denial message of docs/design.md §2.2: one summary line, then one line per failing image use with the container,
 * its field path, the image as written and canonical, the cause and the fix. Bounded to 4 KiB and 10 images.
 */
import { describeUse, type DecidedFinding } from './finding.js';

export const MAX_MESSAGE_BYTES = 4096;
const MAX_DENIED_LINES = 10;

export interface DenialContext {
  /** `Deployment shop/web`, `Pod shop/web-7d9c-` (generateName), … */
  readonly objectLabel: string;
  /** How many image uses were checked in this request. */
  readonly checkedUses: number;
}

export function renderDenial(findings: readonly DecidedFinding[], context: DenialContext): string {
  const denied = findings.filter((f) => f.verdict === 'deny');
  const failingUses = new Set(denied.filter((f) => f.use).map((f) => f.use?.path)).size;
  const podLevel = denied.filter((f) => !f.use).length;
  const reasons = new Set(
    denied.map((f) => (f.class === 'invalidReference' ? 'InvalidImageName' : 'ErrImagePull/ImagePullBackOff')),
  );
  const summary =
    failingUses > 0
      ? `${failingUses} of ${context.checkedUses} image${context.checkedUses === 1 ? '' : 's'} in ${context.objectLabel} would fail to pull (${[...reasons].join(', ')}):`
      : `${context.objectLabel} would fail to pull its images (${[...reasons].join(', ')}):`;
  const lines = denied.map(renderLine);
  return fitMessage(clip(summary, 512), lines, podLevel > 0 && failingUses === 0 ? 'problems' : 'images');
}

function renderLine(finding: DecidedFinding): string {
  const fix = finding.fix ? ` ${finding.fix}` : '';
  if (!finding.use) return `- ${finding.subject ?? 'pod'}: ${finding.cause}${fix}`;
  const canonical = finding.canonical && finding.canonical !== finding.use.image ? ` (${finding.canonical})` : '';
  return `- ${describeUse(finding.use)} (${finding.use.path}): ${JSON.stringify(finding.use.image)}${canonical}: ${finding.cause}${fix}`;
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

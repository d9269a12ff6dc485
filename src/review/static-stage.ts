/**
 * The static checks stage (grammar, `:latest`, `imagePullPolicy: Never`, exempt images), one image at a time: an
 * unexpected error while checking one image (say, an input that trips a runtime limit of the parser) becomes a
 * warning for that image, and the others are still checked.
 */
import { isRegistryCheck, type RegistryCheck, type StaticCheck } from '../policy/static-findings.js';
import type { ImageUse } from '../workload/image-use.js';
import { imageInternalError, logUnexpected, type ReviewLog } from './internal-error.js';

/** The static check of one image use (src/policy/static-findings.ts in production). */
export type StaticCheckPort = (use: ImageUse) => StaticCheck;

export function staticStage(
  uses: readonly ImageUse[],
  check: StaticCheckPort,
  log: ReviewLog | undefined,
): StaticCheck[] {
  return uses.map((use) => {
    try {
      return check(use);
    } catch (error) {
      logUnexpected(log, error, 'static check');
      // No `parsed` reference: the registry is not asked about this use.
      return { use, findings: [imageInternalError(use, undefined)] };
    }
  });
}

/** The checks the registry must answer: parsed, and not skipped (invalid, exempt, pullPolicy Never). */
export function registryChecks(checks: readonly StaticCheck[]): RegistryCheck[] {
  return checks.filter(isRegistryCheck);
}

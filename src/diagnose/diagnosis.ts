/**
 * One failing container diagnosed: the two views reconciled and the fix as commands, the pair the text and JSON
 * outputs of `pullguard diagnose` show. Pure; never throws.
 */
import type { ReconcileInput } from './container-facts.js';
import { fixCommands, type Fix } from './fix-commands.js';
import { reconcile, type Reconciliation } from './reconcile.js';

export interface ContainerDiagnosis {
  readonly reconciliation: Reconciliation;
  readonly fix: Fix;
}

export function diagnoseContainer(input: ReconcileInput): ContainerDiagnosis {
  const reconciliation = reconcile(input);
  return { reconciliation, fix: fixCommands(input.container, reconciliation) };
}

/**
 * The review's node-plan port (docs/design.md §1.10): for each checked image, what the node's runtime would pull,
 * from the runtime model the admin mounted (load-runtime-model.ts) and the nodes' CRI-O version. Without a model,
 * only node-local registries are special. Plans are remembered per image as written (and short-name mode), so the
 * warm path pays one Map lookup.
 */
import { isAbsolute, join } from 'node:path';
import type { Config } from '../config/load-config.js';
import { createRegistryLookup } from '../config/registry-settings.js';
import type { ShortNameMode } from '../node-pull/crio-registries.js';
import { pullPlan } from '../node-pull/pull-plan.js';
import { parseImageReference } from '../image/reference.js';
import { boundedMemo } from '../runtime/bounded-memo.js';
import { type NodePlan, type NodePlanContext, nodePlanOf } from '../review/node-plan.js';
import type { NodePlanPort } from '../review/ports.js';
import type { LoadedRuntime } from './load-runtime-model.js';

/** Distinct images remembered: a large cluster runs a few thousand. */
const REMEMBERED_PLANS = 10_000;

export interface NodePlanOptions {
  readonly config: Config;
  readonly runtime: LoadedRuntime | undefined;
  /** CRI-O's short-name mode when registries.conf sets none, from what the nodes report (node-runtime.ts). */
  readonly unsetShortNameMode: () => ShortNameMode;
}

/** A cheap superset of node-pull's isLocalhost: `localhost`, `127.…`, `[::1]`. */
function mayBeLocal(domain: string): boolean {
  return domain.startsWith('localhost') || domain.startsWith('127.') || domain.startsWith('[::1]');
}

export function createNodePlanPort(options: NodePlanOptions): NodePlanPort {
  const registryFor = createRegistryLookup(options.config);
  const baseDir = options.runtime?.baseDir;
  const context: NodePlanContext = {
    isListed: (host) => registryFor(host)?.listed === true,
    caPath: (ca) => (isAbsolute(ca) || baseDir === undefined ? ca : join(baseDir, ca)),
  };
  const model = options.runtime?.model;
  const plans = new Map<ShortNameMode, (image: string) => { plan: NodePlan | undefined }>();
  const memoFor = (mode: ShortNameMode) => {
    let memo = plans.get(mode);
    if (memo === undefined) {
      // The image as written decides (a CRI-O short name); its parse is redone only on a miss.
      memo = boundedMemo((image) => ({ plan: planOf(image, mode) }), REMEMBERED_PLANS);
      plans.set(mode, memo);
    }
    return memo;
  };
  const planOf = (image: string, mode: ShortNameMode): NodePlan | undefined => {
    const parsed = parseImageReference(image);
    if (!parsed.ok) return undefined;
    const plan = model && pullPlan(model, image, { unsetShortNameMode: mode });
    return nodePlanOf(plan, parsed.reference, context);
  };
  if (model === undefined) {
    // Without a model only node-local registries are special; the warm path pays one string test.
    return (check) => (mayBeLocal(check.reference.domain) ? memoFor('permissive')(check.use.image).plan : undefined);
  }
  return (check) =>
    memoFor(model.runtime === 'crio' ? options.unsetShortNameMode() : 'permissive')(check.use.image).plan;
}

/**
 * The audit's inventory: from the workload objects a list or an informer gives (untrusted JSON), the distinct checks
 * to run, each with every use that shares it. Kinds are read through the workload catalog, as the webhook reads them
 * (src/review/extract-stage.ts): built-in kinds, the `workloads:` config entries and the built-in custom resources.
 * Objects whose pulls belong to an owner are left to it (audited-object.ts). Bounded: at most `maxObjects` objects
 * and `maxUses` uses are read, and the result says when a cap was reached. Pure; never throws on bad input.
 */
import { canonicalReference, parseImageReference } from '../image/reference.js';
import type { PodSpecView } from '../workload/extract-pod-spec.js';
import type { ImageUse, ImageUseSection } from '../workload/image-use.js';
import { metadataOf } from '../workload/object-metadata.js';
import type { WorkloadCatalog } from '../workload/workload-catalog.js';
import { skipCause, type SkipCause } from './audited-object.js';
import { checkKey, credentialContext, placementKey, type CredentialContext } from './check-key.js';

/** One listed object; the kind comes from the list it was read from (items of a list carry no `kind`). */
export interface WorkloadObject {
  readonly group: string;
  readonly version?: string;
  readonly kind: string;
  readonly object: unknown;
}

/** The workload an image use belongs to. */
export interface WorkloadRef {
  readonly namespace: string;
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** `metadata.uid`, when the object has one: `kubectl describe` finds an object's Events by it. */
  readonly uid?: string;
}

/** One use of a check's image: where a pull would happen. */
export interface AuditUse extends WorkloadRef {
  /** The container's name (the volume's name for an image volume). */
  readonly container: string;
  readonly section: ImageUseSection;
  /** kubectl-style field path: `spec.jobTemplate.spec.template.spec.containers[0].image`. */
  readonly path: string;
}

/** One distinct check: one (reference, credentials, placement), and the uses it answers for. */
export interface AuditCheck {
  readonly key: string;
  /** The image as the first use wrote it. */
  readonly image: string;
  /** Canonical reference; absent when the image does not parse (then {@link invalidReason} says why). */
  readonly canonical?: string;
  readonly invalidReason?: string;
  readonly credentials: CredentialContext;
  /** The first use's pod spec view: every use of the check has the same credentials and placement. */
  readonly view: PodSpecView;
  /** The first use's image use, as the engine checks one. */
  readonly use: ImageUse;
  readonly uses: readonly AuditUse[];
}

export interface InventoryLimits {
  readonly maxObjects: number;
  readonly maxUses: number;
}

const DEFAULT_INVENTORY_LIMITS: InventoryLimits = Object.freeze({ maxObjects: 50_000, maxUses: 200_000 });

/** An object the catalog could not read, by its workload and the first problem. */
export interface InventoryProblem {
  readonly workload: WorkloadRef;
  readonly problem: string;
}

/** At most this many problems are kept; the rest are counted. */
export const MAX_PROBLEMS = 100;

export interface Inventory {
  readonly checks: readonly AuditCheck[];
  /** Objects read (audited or skipped), up to the cap. */
  readonly objects: number;
  readonly skipped: Readonly<Record<SkipCause | 'notAWorkload', number>>;
  readonly problems: readonly InventoryProblem[];
  readonly moreProblems: number;
  /** Set when a cap was reached: objects or uses past it were not read. */
  readonly capped?: { readonly objects: boolean; readonly uses: boolean };
}

interface Draft {
  readonly check: Omit<AuditCheck, 'uses'>;
  readonly uses: AuditUse[];
}

export function buildInventory(
  catalog: WorkloadCatalog,
  objects: Iterable<WorkloadObject>,
  limits: InventoryLimits = DEFAULT_INVENTORY_LIMITS,
): Inventory {
  const drafts = new Map<string, Draft>();
  const skipped = { ownedByController: 0, finished: 0, deleting: 0, notAWorkload: 0 };
  const problems: InventoryProblem[] = [];
  let moreProblems = 0;
  let read = 0;
  let uses = 0;
  let cappedObjects = false;
  let cappedUses = false;
  for (const entry of objects) {
    if (read >= limits.maxObjects) {
      cappedObjects = true;
      break;
    }
    read++;
    const row = catalog.find(entry.group, entry.kind, entry.version);
    if (row === undefined) {
      skipped.notAWorkload++;
      continue;
    }
    const cause = skipCause(entry.group, entry.kind, entry.object);
    if (cause !== undefined) {
      skipped[cause]++;
      continue;
    }
    const workload = workloadRef(row.group, row.kind, entry.object);
    const extracted = catalog.extract(entry.group, entry.kind, entry.object);
    if (extracted === undefined) {
      skipped.notAWorkload++;
      continue;
    }
    if (!extracted.ok) {
      if (problems.length < MAX_PROBLEMS) problems.push(Object.freeze({ workload, problem: extracted.problem }));
      else moreProblems++;
      continue;
    }
    for (const view of extracted.views) {
      const credentials = credentialContext(workload.namespace, view);
      const placement = placementKey(view);
      for (const use of view.uses) {
        if (uses >= limits.maxUses) {
          cappedUses = true;
          break;
        }
        uses++;
        addUse(drafts, { workload, view, use, credentials, placement });
      }
    }
    if (cappedUses) break;
  }
  const checks = [...drafts.values()].map(({ check, uses }) => Object.freeze({ ...check, uses: Object.freeze(uses) }));
  return Object.freeze({
    checks: Object.freeze(checks),
    objects: read,
    skipped: Object.freeze(skipped),
    problems: Object.freeze(problems),
    moreProblems,
    ...(cappedObjects || cappedUses ? { capped: Object.freeze({ objects: cappedObjects, uses: cappedUses }) } : {}),
  });
}

interface UseInput {
  readonly workload: WorkloadRef;
  readonly view: PodSpecView;
  readonly use: ImageUse;
  readonly credentials: CredentialContext;
  readonly placement: string;
}

function addUse(drafts: Map<string, Draft>, { workload, view, use, credentials, placement }: UseInput): void {
  const parsed = parseImageReference(use.image);
  const reference = parsed.ok ? canonicalReference(parsed.reference) : use.image;
  const key = checkKey(reference, credentials, placement);
  let draft = drafts.get(key);
  if (draft === undefined) {
    const check = {
      key,
      image: use.image,
      ...(parsed.ok ? { canonical: reference } : { invalidReason: parsed.reason }),
      credentials,
      view,
      use,
    };
    draft = { check, uses: [] };
    drafts.set(key, draft);
  }
  draft.uses.push(Object.freeze({ ...workload, container: use.name, section: use.section, path: use.path }));
}

function workloadRef(group: string, kind: string, object: unknown): WorkloadRef {
  const metadata = metadataOf(object);
  const text = (key: string): string | undefined => {
    const value = metadata?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const uid = text('uid');
  return Object.freeze({
    namespace: text('namespace') ?? 'default',
    group,
    kind,
    name: text('name') ?? text('generateName') ?? '<unnamed>',
    ...(uid !== undefined ? { uid } : {}),
  });
}

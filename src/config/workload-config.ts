/**
 * The `workloads:` config key (docs/design.md §3.1): kinds pullguard's built-in table does not know, with the field
 * paths of their pod specs or bare container lists. Problems are reported like the rest of the config (§3.2).
 */
import { parseFieldPath, type FieldPathSegment } from '../runtime/field-path.js';

/** One `workloads:` entry, its paths parsed. `group` is '' for the core group ('core' in the file). */
export interface WorkloadConfig {
  readonly group: string;
  readonly kind: string;
  /** Each path leads to pod specs (`containers`, `initContainers`, `volumes`, ...). */
  readonly podSpecs: readonly (readonly FieldPathSegment[])[];
  /**
   * Each path leads to container objects (with `image`) outside a pod spec; `[*]` at the end for each container of a
   * list, as in a Tekton Task's `spec.steps[*]`.
   */
  readonly containers: readonly (readonly FieldPathSegment[])[];
  /** The same, for containers that run before the others (named `initContainers` in messages). */
  readonly initContainers: readonly (readonly FieldPathSegment[])[];
  /** Where the pod-level fields for those containers live (`imagePullSecrets`, `serviceAccountName`, ...). */
  readonly podFields?: readonly FieldPathSegment[];
}

interface RawWorkload {
  readonly group: string;
  readonly kind: string;
  readonly podSpecs?: readonly string[];
  readonly containers?: readonly string[];
  readonly initContainers?: readonly string[];
  readonly podFields?: string;
}

const PATH_KEYS = ['podSpecs', 'containers', 'initContainers'] as const;

/** Problems as `/workloads/<i>/... <what is wrong>`; reads `raw` defensively (the schema reports wrong types). */
export function workloadProblems(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  raw.forEach((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object') return;
    const { group, kind } = entry as { group?: unknown; kind?: unknown };
    let paths = 0;
    for (const key of PATH_KEYS) {
      const list = (entry as Record<string, unknown>)[key];
      if (!Array.isArray(list)) continue;
      list.forEach((text: unknown, j) => {
        if (typeof text !== 'string') return;
        paths += 1;
        const parsed = parseFieldPath(text);
        if (!parsed.ok) problems.push(`/workloads/${i}/${key}/${j} path ${JSON.stringify(text)} ${parsed.problem}`);
      });
    }
    const podFields = (entry as Record<string, unknown>)['podFields'];
    if (typeof podFields === 'string') {
      const parsed = parseFieldPath(podFields);
      if (!parsed.ok) problems.push(`/workloads/${i}/podFields path ${JSON.stringify(podFields)} ${parsed.problem}`);
    }
    if (paths === 0) problems.push(`/workloads/${i} lists no path: give podSpecs, containers or initContainers`);
    if (typeof group !== 'string' || typeof kind !== 'string') return;
    const key = `${normalGroup(group)}/${kind}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else problems.push(`/workloads/${i} repeats group ${JSON.stringify(group)} kind ${kind} of /workloads/${first}`);
  });
  return problems;
}

/** Entries of a config that passed {@link workloadProblems}, frozen. */
export function buildWorkloads(raw: readonly RawWorkload[] | undefined): readonly WorkloadConfig[] {
  return Object.freeze(
    (raw ?? []).map((entry) =>
      Object.freeze({
        group: normalGroup(entry.group),
        kind: entry.kind,
        podSpecs: parsedPaths(entry.podSpecs),
        containers: parsedPaths(entry.containers),
        initContainers: parsedPaths(entry.initContainers),
        ...(entry.podFields === undefined ? {} : { podFields: parsedPaths([entry.podFields])[0] }),
      }),
    ),
  );
}

function parsedPaths(texts: readonly string[] | undefined): readonly (readonly FieldPathSegment[])[] {
  return Object.freeze(
    (texts ?? []).map((text) => {
      const parsed = parseFieldPath(text);
      if (!parsed.ok) throw new Error(`workloads path ${JSON.stringify(text)} ${parsed.problem}: not validated`);
      return parsed.segments;
    }),
  );
}

function normalGroup(group: string): string {
  return group === 'core' ? '' : group;
}

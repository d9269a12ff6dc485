/**
 * Kubernetes node selection semantics, as the scheduler applies them (k8s.io/component-helpers
 * `nodeaffinity`): `nodeSelector` is a map of labels that must all be equal; required node affinity is a list of
 * terms that are ORed, each term's requirements ANDed. Pure.
 */
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../workload/extract-pod-spec.js';

/** The parts of a node that selectors look at. */
export interface SelectableNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Receives a note for each requirement that could not be evaluated (and was therefore ignored). */
export type NoteSink = (note: string) => void;

/** Every nodeSelector label must be present with the same value. */
export function matchesNodeSelector(
  labels: Readonly<Record<string, string>>,
  nodeSelector: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(nodeSelector).every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value);
}

/**
 * Required node affinity: the terms are ORed. An absent or empty list means "no constraint" (the pod-spec
 * extractor maps an absent affinity to `[]`; the API server rejects an empty `nodeSelectorTerms`). A term with no
 * requirements matches no node, as in Kubernetes.
 */
export function matchesRequiredAffinity(
  node: SelectableNode,
  terms: readonly NodeSelectorTerm[],
  note: NoteSink,
): boolean {
  if (terms.length === 0) return true;
  return terms.some((term) => matchesTerm(node, term, note));
}

function matchesTerm(node: SelectableNode, term: NodeSelectorTerm, note: NoteSink): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => matchesLabelRequirement(node.labels, r, note)) &&
    fields.every((r) => matchesFieldRequirement(node, r, note))
  );
}

/**
 * One `matchExpressions` requirement against a node's labels. In/NotIn/Exists/DoesNotExist/Gt/Lt as in
 * Kubernetes (NotIn and DoesNotExist match a node without the label). A requirement the API server would reject
 * (unknown operator, Gt/Lt without exactly one integer) is ignored, i.e. counts as satisfied, with a note.
 */
export function matchesLabelRequirement(
  labels: Readonly<Record<string, string>>,
  requirement: NodeSelectorRequirement,
  note: NoteSink,
): boolean {
  const { key, operator } = requirement;
  const values = requirement.values ?? [];
  const has = Object.hasOwn(labels, key);
  const value = has ? labels[key] : undefined;
  switch (operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? parseInteger(values[0] ?? '') : undefined;
      if (bound === undefined) {
        note(`${operator} on label ${key} ignored: it needs exactly one integer value`);
        return true;
      }
      // Kubernetes: a missing label or a label value that is not an integer does not match.
      const actual = value === undefined ? undefined : parseInteger(value);
      if (actual === undefined) return false;
      return operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      note(`operator ${operator} on label ${key} ignored: not a node selector operator`);
      return true;
  }
}

/** `matchFields` supports only `metadata.name` with In/NotIn (Kubernetes validation). */
function matchesFieldRequirement(node: SelectableNode, requirement: NodeSelectorRequirement, note: NoteSink): boolean {
  const values = requirement.values ?? [];
  if (requirement.key !== 'metadata.name') {
    note(`matchFields on ${requirement.key} ignored: only metadata.name is supported`);
    return true;
  }
  if (requirement.operator === 'In') return values.includes(node.name);
  if (requirement.operator === 'NotIn') return !values.includes(node.name);
  note(`matchFields operator ${requirement.operator} on metadata.name ignored: only In and NotIn are supported`);
  return true;
}

/** Go's strconv.ParseInt(s, 10, 64), within JavaScript's safe integers. */
function parseInteger(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

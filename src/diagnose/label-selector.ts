/**
 * A label selector (`matchLabels` and `matchExpressions`) against an object's labels, with the API's semantics
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements):
 * every requirement must hold; an unknown operator matches nothing, as the API server would reject it. Pure.
 */

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?:
    | readonly {
        readonly key: string;
        readonly operator: string;
        readonly values?: readonly string[] | null;
      }[]
    | null;
}

export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string) => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (!has(key) || labels[key] !== value) return false;
  for (const { key, operator, values } of selector.matchExpressions ?? []) {
    const listed = has(key) && (values ?? []).includes(labels[key] as string);
    const holds =
      operator === 'In'
        ? listed
        : operator === 'NotIn'
          ? !listed
          : operator === 'Exists'
            ? has(key)
            : operator === 'DoesNotExist'
              ? !has(key)
              : false;
    if (!holds) return false;
  }
  return true;
}

/**
 * kubectl's `-l` label selector text (`app=web,tier!=cache,env in (prod,stage),!legacy,track`) read into the API's
 * `matchLabels`/`matchExpressions` form, with the grammar of k8s.io/apimachinery's labels.Parse
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors): `=`, `==`, `!=`, `in`,
 * `notin`, a bare key (exists) and `!key` (does not exist), requirements joined by commas, spaces ignored. `a!=b`
 * is `NotIn [b]`, which also holds without the label, as in the API. Keys and values are checked as the API checks
 * them. Bounded: the text and the number of requirements are capped. Pure; a problem is a value, never a throw.
 */
import type { LabelSelector } from '../diagnose/label-selector.js';

export type SelectorParse =
  { readonly ok: true; readonly selector: LabelSelector } | { readonly ok: false; readonly problem: string };

export const MAX_SELECTOR_LENGTH = 4096;
export const MAX_REQUIREMENTS = 100;

type Token = { readonly kind: 'word'; readonly text: string } | { readonly kind: 'op'; readonly text: string };

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Expression = NonNullable<LabelSelector['matchExpressions']>[number];

export function parseKubectlSelector(text: string): SelectorParse {
  if (text.length > MAX_SELECTOR_LENGTH)
    return { ok: false, problem: `the selector is longer than ${MAX_SELECTOR_LENGTH} characters` };
  const tokens = tokenize(text);
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Expression[] = [];
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (token: Token | undefined, op: string) => token?.kind === 'op' && token.text === op;
  const fail = (problem: string): SelectorParse => ({ ok: false, problem: `invalid selector "${text}": ${problem}` });
  while (at < tokens.length) {
    if (matchExpressions.length + Object.keys(matchLabels).length >= MAX_REQUIREMENTS)
      return fail(`more than ${MAX_REQUIREMENTS} requirements`);
    const negated = isOp(peek(), '!');
    if (negated) at++;
    const keyToken = tokens[at++];
    if (keyToken?.kind !== 'word') return fail('a requirement must start with a label key');
    const key = keyToken.text;
    const keyProblem = keyProblemOf(key);
    if (keyProblem !== undefined) return fail(keyProblem);
    const next = peek();
    if (negated || next === undefined || isOp(next, ',')) {
      matchExpressions.push({ key, operator: negated ? 'DoesNotExist' : 'Exists' });
    } else if (next.kind === 'op' && ['=', '==', '!='].includes(next.text)) {
      at++;
      const valueToken = peek();
      const value = valueToken?.kind === 'word' ? valueToken.text : '';
      if (valueToken?.kind === 'word') at++;
      const valueProblem = valueProblemOf(value);
      if (valueProblem !== undefined) return fail(valueProblem);
      if (next.text === '!=') matchExpressions.push({ key, operator: 'NotIn', values: [value] });
      else if (Object.hasOwn(matchLabels, key) && matchLabels[key] !== value)
        matchExpressions.push({ key, operator: 'In', values: [value] });
      else matchLabels[key] = value;
    } else if (next.kind === 'word' && (next.text === 'in' || next.text === 'notin')) {
      at++;
      if (!isOp(tokens[at++], '(')) return fail(`"${next.text}" must be followed by a list in parentheses`);
      const values: string[] = [];
      for (;;) {
        const token = peek();
        const value = token?.kind === 'word' ? token.text : '';
        if (token?.kind === 'word') at++;
        const valueProblem = valueProblemOf(value);
        if (valueProblem !== undefined) return fail(valueProblem);
        values.push(value);
        const separator = tokens[at++];
        if (isOp(separator, ')')) break;
        if (!isOp(separator, ',')) return fail(`the list after "${next.text}" is not closed`);
      }
      matchExpressions.push({ key, operator: next.text === 'in' ? 'In' : 'NotIn', values });
    } else if (isOp(next, '<') || isOp(next, '>')) {
      return fail('the operators < and > compare numbers, which scan does not support in a label selector');
    } else {
      return fail(`unexpected "${next.text}" after the key "${key}"`);
    }
    if (at < tokens.length && !isOp(tokens[at++], ',')) return fail('requirements must be separated by commas');
    if (at === tokens.length && isOp(tokens[at - 1], ',')) return fail('a comma must be followed by a requirement');
  }
  const selector: LabelSelector = {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels: Object.freeze(matchLabels) } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions: Object.freeze(matchExpressions) } : {}),
  };
  return { ok: true, selector: Object.freeze(selector) };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '!' || char === '=') {
      const op = text[i + 1] === '=' ? `${char}=` : char;
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else if ('(),<>'.includes(char)) {
      tokens.push({ kind: 'op', text: char });
      i++;
    } else {
      const start = i;
      while (i < text.length && !/[\s!=(),<>]/.test(text[i] as string)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i) });
    }
  }
  return tokens;
}

/** A qualified name: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
function keyProblemOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix)))
    return `the key prefix "${prefix}" must be a DNS subdomain (lower-case letters, digits, '-' and '.')`;
  if (name.length > 63 || !NAME.test(name))
    return `the key "${key}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return undefined;
}

function valueProblemOf(value: string): string | undefined {
  return value === '' || (value.length <= 63 && NAME.test(value))
    ? undefined
    : `the value "${value}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

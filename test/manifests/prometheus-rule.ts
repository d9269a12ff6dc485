/**
 * Test helpers for a Prometheus Operator PrometheusRule (monitoring.coreos.com/v1): its shape, after the Operator's
 * CRD (https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRuleSpec), and the
 * metric names and aggregation labels a PromQL expression uses (a reading good for the sample rules, not a parser).
 */
import type { K8sObject } from './render-manifests.js';

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

/** A Prometheus duration (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration). */
const DURATION = /^(?=\d)((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
const GROUP_KEYS = new Set([
  'name',
  'interval',
  'rules',
  'limit',
  'query_offset',
  'labels',
  'partial_response_strategy',
]);
const RULE_KEYS = new Set(['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringMap = (v: unknown): boolean => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/** Problems with `object` as a PrometheusRule, each as `path: what is wrong`; [] when it is one. */
export function ruleShapeProblems(object: K8sObject): string[] {
  const found: string[] = [];
  if (object.apiVersion !== 'monitoring.coreos.com/v1') found.push('apiVersion: not monitoring.coreos.com/v1');
  if (object.kind !== 'PrometheusRule') found.push('kind: not PrometheusRule');
  if (!object.metadata.name) found.push('metadata.name: missing');
  const spec = object.spec;
  if (!isObject(spec) || !Array.isArray(spec.groups)) return [...found, 'spec.groups: not a list'];
  for (const key of Object.keys(spec)) if (key !== 'groups') found.push(`spec.${key}: unknown field`);
  const names = new Set<string>();
  spec.groups.forEach((group: unknown, g) => {
    const at = `spec.groups[${g}]`;
    if (!isObject(group)) return found.push(`${at}: not an object`);
    for (const key of Object.keys(group)) if (!GROUP_KEYS.has(key)) found.push(`${at}.${key}: unknown field`);
    if (typeof group.name !== 'string' || group.name === '') found.push(`${at}.name: missing`);
    else if (names.has(group.name)) found.push(`${at}.name: not unique`);
    else names.add(group.name);
    if (group.interval !== undefined && !DURATION.test(String(group.interval)))
      found.push(`${at}.interval: not a Prometheus duration`);
    if (!Array.isArray(group.rules) || group.rules.length === 0) return found.push(`${at}.rules: not a list of rules`);
    group.rules.forEach((rule: unknown, r) => found.push(...ruleProblems(rule, `${at}.rules[${r}]`)));
    return found.length;
  });
  return found;
}

function ruleProblems(rule: unknown, at: string): string[] {
  if (!isObject(rule)) return [`${at}: not an object`];
  const found: string[] = [];
  for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) found.push(`${at}.${key}: unknown field`);
  const isAlert = typeof rule.alert === 'string' && rule.alert !== '';
  if (isAlert === (typeof rule.record === 'string' && rule.record !== ''))
    found.push(`${at}: exactly one of alert and record`);
  if (typeof rule.expr !== 'string' || rule.expr.trim() === '') found.push(`${at}.expr: missing`);
  else if (!balanced(rule.expr)) found.push(`${at}.expr: unbalanced brackets`);
  for (const key of ['for', 'keep_firing_for'])
    if (rule[key] !== undefined && !DURATION.test(String(rule[key])))
      found.push(`${at}.${key}: not a Prometheus duration`);
  for (const key of ['labels', 'annotations'])
    if (rule[key] !== undefined && !isStringMap(rule[key])) found.push(`${at}.${key}: not a map of strings`);
  if (!isAlert && (rule.for !== undefined || rule.annotations !== undefined))
    found.push(`${at}: for and annotations belong to alerts`);
  return found;
}

/** Whether (), [] and {} nest properly, outside double-quoted strings. */
function balanced(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const char of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(char)) stack.push(char);
    else if (char in pairs && stack.pop() !== pairs[char]) return false;
  }
  return stack.length === 0;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'bool', 'offset', 'inf', 'nan']);

/** The metric names an expression selects: identifiers that are not functions, keywords or label lists. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const after = stripped.slice(match.index + name.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** The labels of every `by (...)` clause in an expression, in order. */
export function labelsOf(expr: string): string[] {
  return [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map((label) => label.trim())
      .filter((label) => label !== ''),
  );
}

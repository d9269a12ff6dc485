/**
 * Every problem of a config file at once (docs/design.md §3.2): the schema's (unknown keys, wrong types) and the
 * semantic ones (durations, globs, CIDRs, platforms, workload paths). The semantic checks read the raw value defensively, so a typo in
 * one key never hides a bad CIDR in another.
 */
import { BlockList, isIP } from 'node:net';
import { Value } from 'typebox/value';
import { globProblem } from '../runtime/glob.js';
import { parsePlatform } from '../platform/platform.js';
import { mergedSchemaProblems } from '../runtime/schema-errors.js';
import { parseDuration } from '../runtime/duration.js';
import { ConfigFileSchema } from './schema.js';
import { workloadProblems } from './workload-config.js';

/** Config keys holding a duration, as JSON pointers. */
const DURATION_KEYS = [
  ['cache', 'ttl'],
  ['cache', 'negativeTtl'],
  ['network', 'requestTimeout'],
  ['network', 'budget'],
  ['audit', 'interval'],
] as const;

/** Problems as `<json pointer> <what is wrong>`, schema problems first; empty when the config is valid. */
export function configProblems(raw: unknown): string[] {
  const runtime = runtimeShapeProblem(field(raw, 'runtime'));
  // A union's schema errors list every branch's complaint: one line says what the section must be instead, and
  // when it names one runtime, only the problems inside that runtime's keys are its own.
  const all = schemaProblems(raw);
  const nested = all.some((p) => p.startsWith('/runtime/'));
  const schema = all.filter((p) => (runtime ? !p.startsWith('/runtime') : !(nested && p.startsWith('/runtime '))));
  return [...new Set([...schema, ...(runtime ? [runtime] : []), ...semanticProblems(raw)])];
}

/** `runtime:` names exactly one runtime; undefined when it does (or is absent), the rest is the schema's business. */
function runtimeShapeProblem(runtime: unknown): string | undefined {
  if (runtime === undefined || typeof runtime !== 'object' || runtime === null || Array.isArray(runtime)) {
    return undefined;
  }
  const keys = Object.keys(runtime);
  if (keys.length === 1 && (keys[0] === 'containerd' || keys[0] === 'crio')) return undefined;
  const found = keys.length === 0 ? 'nothing' : keys.map((key) => JSON.stringify(key)).join(', ');
  return `/runtime must name one runtime, containerd: {hostsDir} or crio: {registriesConf, registriesConfDir}; found ${found}`;
}

function schemaProblems(raw: unknown): string[] {
  if (Value.Check(ConfigFileSchema, raw)) return [];
  return mergedSchemaProblems(Value.Errors(ConfigFileSchema, raw), (pointer) => pointer || '/');
}

function semanticProblems(raw: unknown): string[] {
  const problems: string[] = [];
  for (const [host, i] of strings(field(raw, 'registries'), 'host')) {
    const p = globProblem(host);
    if (p) problems.push(`/registries/${i}/host glob ${JSON.stringify(host)} ${p}`);
  }
  for (const [glob, i] of strings(field(field(raw, 'exempt'), 'images'))) {
    const p = globProblem(glob);
    if (p) problems.push(`/exempt/images/${i} glob ${JSON.stringify(glob)} ${p}`);
  }
  for (const [cidr, i] of strings(field(field(raw, 'network'), 'blockedCidrs'))) {
    if (!isValidCidr(cidr))
      problems.push(`/network/blockedCidrs/${i} ${JSON.stringify(cidr)} is not a CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
  }
  for (const [text, i] of strings(field(raw, 'platforms'))) {
    if (!parsePlatform(text))
      problems.push(`/platforms/${i} ${JSON.stringify(text)} is not os/arch[/variant] (e.g. linux/arm64)`);
  }
  for (const [section, key] of DURATION_KEYS) {
    const value = field(field(raw, section), key);
    if (typeof value !== 'string') continue;
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0)
      problems.push(
        `/${section}/${key} ${JSON.stringify(value)} is not a positive duration (e.g. 500ms, 3s, 5m, 1h30m)`,
      );
  }
  const interval = field(field(raw, 'audit'), 'interval');
  const intervalMs = typeof interval === 'string' ? parseDuration(interval) : undefined;
  // Shorter would re-ask every registry about every running image more than once a second.
  if (intervalMs !== undefined && intervalMs > 0 && intervalMs < 1_000)
    problems.push(`/audit/interval ${JSON.stringify(interval)} is shorter than 1s`);
  problems.push(...workloadProblems(field(raw, 'workloads')));
  return problems;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The string entries of an array (or of `key` in each entry), with their indexes; anything else is the schema's problem. */
function strings(list: unknown, key?: string): [string, number][] {
  if (!Array.isArray(list)) return [];
  const out: [string, number][] = [];
  list.forEach((entry: unknown, i) => {
    const value = key === undefined ? entry : field(entry, key);
    if (typeof value === 'string') out.push([value, i]);
  });
  return out;
}

function isValidCidr(cidr: string): boolean {
  const [address, bits, extra] = cidr.split('/');
  if (!address || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  const prefix = Number(bits);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return false;
  try {
    new BlockList().addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return true;
  } catch {
    return false;
  }
}

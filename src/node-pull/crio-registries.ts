/**
 * CRI-O's registries configuration: registries.conf plus the registries.conf.d drop-ins, with the semantics of
 * containers-registries.conf(5) and containers-registries.conf.d(5)
 * (https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md). The caller hands over
 * the texts, registries.conf first and then the drop-ins in file-name order; a later file overrides.
 */
import {
  booleanAt,
  isTable,
  MAX_ENTRIES,
  MAX_FILES,
  type NodePullProblem,
  readToml,
  stringAt,
  type Table,
  typeProblem,
} from './toml-input.js';

export type PullFromMirror = 'all' | 'digest-only' | 'tag-only';
export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled';

export interface CrioMirror {
  readonly location: string;
  readonly insecure: boolean;
  readonly pullFromMirror: PullFromMirror;
}

export interface CrioRegistry {
  /** `host[:port][/namespace…]`, or `*.example.com` for any subdomain. */
  readonly prefix: string;
  /** Where the prefix's images really are; empty only for a wildcard prefix (the image is pulled as named). */
  readonly location: string;
  readonly insecure: boolean;
  readonly blocked: boolean;
  readonly mirrorByDigestOnly: boolean;
  readonly mirrors: readonly CrioMirror[];
  /** The file that defined this entry (the last one to, after drop-ins). */
  readonly file: string;
}

export interface CrioModel {
  readonly runtime: 'crio';
  readonly searchRegistries: readonly string[];
  /** `short-name-mode` as the files set it; undefined when none does (the runtime's version decides: pull-plan.ts). */
  readonly shortNameMode: ShortNameMode | undefined;
  readonly registries: readonly CrioRegistry[];
  /** Short name → fully qualified name, no tag or digest on either side. */
  readonly aliases: ReadonlyMap<string, string>;
}

export interface CrioFile {
  readonly name: string;
  readonly text: string;
}

const SHORT_NAME_MODES: readonly string[] = ['enforcing', 'permissive', 'disabled'];
const PULL_FROM_MIRROR: readonly string[] = ['all', 'digest-only', 'tag-only'];

/** Reads and merges the files in order. A file with a problem contributes nothing (and is reported). */
export function readCrioRegistries(files: readonly CrioFile[]): {
  readonly model: CrioModel;
  readonly problems: readonly NodePullProblem[];
} {
  const problems: NodePullProblem[] = [];
  let searchRegistries: readonly string[] = [];
  let shortNameMode: ShortNameMode | undefined;
  const registries = new Map<string, CrioRegistry>();
  const aliases = new Map<string, string>();
  if (files.length > MAX_FILES) {
    problems.push({ file: 'registries.conf.d', message: `more than ${MAX_FILES} files, refused` });
  }
  for (const { name, text } of files.slice(0, MAX_FILES)) {
    const read = readToml(name, text);
    const parsed = read.ok ? crioFile(name, read.table) : { problem: read.problem };
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    const file = parsed.file;
    if (file.searchRegistries !== undefined) searchRegistries = file.searchRegistries;
    if (file.shortNameMode !== undefined) shortNameMode = file.shortNameMode;
    // A drop-in's [[registry]] replaces an earlier one with the same prefix, as a whole.
    for (const registry of file.registries) registries.set(registry.prefix, registry);
    for (const [alias, value] of file.aliases) {
      if (value === '') aliases.delete(alias);
      else aliases.set(alias, value);
    }
  }
  return {
    model: { runtime: 'crio', searchRegistries, shortNameMode, registries: [...registries.values()], aliases },
    problems,
  };
}

interface ParsedFile {
  readonly searchRegistries: readonly string[] | undefined;
  readonly shortNameMode: ShortNameMode | undefined;
  readonly registries: readonly CrioRegistry[];
  readonly aliases: ReadonlyMap<string, string>;
}

type Parsed<T> = { readonly file: T } | { readonly problem: NodePullProblem };

function crioFile(name: string, table: Table): Parsed<ParsedFile> {
  const search = table['unqualified-search-registries'];
  if (search !== undefined && !(Array.isArray(search) && search.every((s) => typeof s === 'string'))) {
    return { problem: typeProblem(name, 'unqualified-search-registries', 'a list of strings') };
  }
  const mode = table['short-name-mode'];
  if (mode !== undefined && (typeof mode !== 'string' || (mode !== '' && !SHORT_NAME_MODES.includes(mode)))) {
    return { problem: typeProblem(name, 'short-name-mode', 'enforcing, permissive or disabled') };
  }
  const list = table['registry'] ?? [];
  if (!Array.isArray(list) || !list.every(isTable)) return { problem: typeProblem(name, 'registry', 'tables') };
  const aliasTable = table['aliases'] ?? {};
  if (!isTable(aliasTable)) return { problem: typeProblem(name, 'aliases', 'a table') };
  const aliasEntries = Object.entries(aliasTable);
  if ([search ?? [], list, aliasEntries].some((entries) => (entries as unknown[]).length > MAX_ENTRIES)) {
    return { problem: { file: name, message: `more than ${MAX_ENTRIES} entries in a list, refused` } };
  }
  const registries: CrioRegistry[] = [];
  for (const entry of list) {
    const registry = crioRegistry(name, entry);
    if ('problem' in registry) return registry;
    registries.push(registry.file);
  }
  const aliases = new Map<string, string>();
  for (const [alias, value] of aliasEntries) {
    if (typeof value !== 'string') return { problem: typeProblem(name, `aliases."${alias}"`, 'a string') };
    aliases.set(alias, value);
  }
  return {
    file: {
      searchRegistries: search as string[] | undefined,
      shortNameMode: mode === undefined || mode === '' ? undefined : (mode as ShortNameMode),
      registries,
      aliases,
    },
  };
}

function flag(table: Table, key: string): boolean | undefined | null {
  if (table[key] === undefined) return undefined;
  return booleanAt(table, key) ?? null;
}

/** A location as containers/image's parseLocation takes it: trailing slashes dropped, no URI scheme. */
function location(file: string, text: string): Parsed<string> {
  const trimmed = text.replace(/\/+$/, '');
  if (/^https?:\/\//.test(trimmed))
    return { problem: { file, message: `location "${text}": URI schemes are not supported` } };
  return { file: trimmed };
}

function crioRegistry(file: string, table: Table): Parsed<CrioRegistry> {
  const flags = ['insecure', 'blocked', 'mirror-by-digest-only'].map((key) => [key, flag(table, key)] as const);
  const wrong = flags.find(([, value]) => value === null);
  if (wrong) return { problem: typeProblem(file, `registry ${wrong[0]}`, 'true or false') };
  const place = location(file, stringAt(table, 'location') ?? '');
  if ('problem' in place) return place;
  const prefixText = stringAt(table, 'prefix') ?? '';
  const prefix = prefixText === '' ? place.file : prefixText.replace(/\/+$/, '');
  if (prefix === '') return { problem: { file, message: 'a [[registry]] needs a prefix or a location' } };
  if (prefix.startsWith('*.') && /[/@:]/.test(prefix)) {
    return { problem: { file, message: `wildcarded prefix "${prefix}" must be in the format *.example.com` } };
  }
  const mirrorList = table['mirror'] ?? [];
  if (!Array.isArray(mirrorList) || !mirrorList.every(isTable))
    return { problem: typeProblem(file, 'registry mirror', 'tables') };
  if (mirrorList.length > MAX_ENTRIES)
    return { problem: { file, message: `more than ${MAX_ENTRIES} mirrors, refused` } };
  const byDigestOnly = flags[2]?.[1] === true;
  const mirrors: CrioMirror[] = [];
  for (const mirror of mirrorList) {
    const where = stringAt(mirror, 'location');
    const mirrorPlace = location(file, where ?? '');
    if ('problem' in mirrorPlace) return mirrorPlace;
    if (mirrorPlace.file === '') return { problem: { file, message: `a mirror of "${prefix}" has no location` } };
    const insecure = flag(mirror, 'insecure');
    if (insecure === null) return { problem: typeProblem(file, 'mirror insecure', 'true or false') };
    const pull = mirror['pull-from-mirror'] ?? '';
    if (typeof pull !== 'string' || (pull !== '' && !PULL_FROM_MIRROR.includes(pull))) {
      return { problem: typeProblem(file, 'pull-from-mirror', 'all, digest-only or tag-only') };
    }
    if (byDigestOnly && pull !== '') {
      return {
        problem: { file, message: `"${prefix}": mirror-by-digest-only and pull-from-mirror cannot be set together` },
      };
    }
    mirrors.push({
      location: mirrorPlace.file,
      insecure: insecure === true,
      pullFromMirror: (pull || 'all') as PullFromMirror,
    });
  }
  return {
    file: {
      prefix,
      location: place.file,
      insecure: flags[0]?.[1] === true,
      blocked: flags[1]?.[1] === true,
      mirrorByDigestOnly: byDigestOnly,
      mirrors,
      file,
    },
  };
}

/**
 * containers/image's refMatchingPrefix: how much of the reference the prefix matches, or -1. The reference must
 * continue with `/`, `:` or `@` (or end) right after the prefix; `*.example.com` matches any subdomain's host.
 */
export function matchLength(reference: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const suffix = prefix.slice(1);
    const index = reference.indexOf(suffix);
    if (index === -1 || reference.slice(0, index).includes('/')) return -1;
    const end = index + suffix.length;
    return end === reference.length || ':/@'.includes(reference.charAt(end)) ? end : -1;
  }
  if (!reference.startsWith(prefix)) return -1;
  if (reference.length === prefix.length) return prefix.length;
  return ':/@'.includes(reference.charAt(prefix.length)) ? prefix.length : -1;
}

/** The [[registry]] with the longest matching prefix (the first of equals), as FindRegistry picks it. */
export function findRegistry(model: CrioModel, reference: string): CrioRegistry | undefined {
  let best: CrioRegistry | undefined;
  let bestLength = -1;
  for (const registry of model.registries) {
    const length = matchLength(reference, registry.prefix);
    if (length > bestLength) [best, bestLength] = [registry, length];
  }
  return best;
}

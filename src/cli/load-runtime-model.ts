/**
 * Reads the runtime files named by `runtime:` (docs/design.md §1.10) at start-up: containerd's hosts directory
 * (one `<host>/hosts.toml` per registry host) or CRI-O's registries.conf and its drop-in directory (`*.conf`, in
 * file-name order, as containers-registries.conf.d(5) reads them). The mounted layout of a ConfigMap works: its
 * `..data` links are followed and its `..`-prefixed entries skipped. Any unreadable or invalid file stops start-up
 * with every problem listed, as an invalid config file does: a half-read model would give wrong verdicts.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuntimeConfig } from '../config/load-config.js';
import { PullguardError } from '../errors/pullguard-error.js';
import { readContainerdHosts } from '../node-pull/containerd-hosts.js';
import { readCrioRegistries } from '../node-pull/crio-registries.js';
import type { RuntimeModel } from '../node-pull/pull-plan.js';
import { MAX_FILE_BYTES, MAX_FILES, type NodePullProblem } from '../node-pull/toml-input.js';

export interface LoadedRuntime {
  readonly model: RuntimeModel;
  /** Where relative CA paths of the files start from (containerd's hosts directory). */
  readonly baseDir?: string;
}

export async function loadRuntimeModel(runtime: RuntimeConfig | undefined): Promise<LoadedRuntime | undefined> {
  if (runtime === undefined) return undefined;
  return runtime.kind === 'containerd' ? loadContainerd(runtime.hostsDir) : loadCrio(runtime);
}

async function loadContainerd(hostsDir: string | undefined): Promise<LoadedRuntime> {
  if (hostsDir === undefined) return { model: readContainerdHosts({}).model };
  const files: Record<string, string> = {};
  for (const name of await listEntries(hostsDir, 'runtime.containerd.hostsDir')) {
    const path = join(hostsDir, name, 'hosts.toml');
    // containerd reads only directories holding a hosts.toml; anything else in certs.d is not ours to judge.
    if (!(await isFile(path))) continue;
    files[name] = await readBounded(path);
  }
  const read = readContainerdHosts(files);
  failOnProblems(read.problems, hostsDir);
  return { model: read.model, baseDir: hostsDir };
}

async function loadCrio(runtime: Extract<RuntimeConfig, { kind: 'crio' }>): Promise<LoadedRuntime> {
  const files: { name: string; text: string }[] = [];
  if (runtime.registriesConf !== undefined) {
    files.push({ name: runtime.registriesConf, text: await readBounded(runtime.registriesConf) });
  }
  const dir = runtime.registriesConfDir;
  if (dir !== undefined) {
    const names = (await listEntries(dir, 'runtime.crio.registriesConfDir')).filter((n) => n.endsWith('.conf'));
    for (const name of names.sort()) {
      const path = join(dir, name);
      if (await isFile(path)) files.push({ name: path, text: await readBounded(path) });
    }
  }
  const read = readCrioRegistries(files);
  failOnProblems(read.problems, 'registries.conf');
  return { model: read.model };
}

/** The entries of a directory (following links), without the `..data`-style entries of a mounted ConfigMap. */
async function listEntries(dir: string, key: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw unreadable(`${key} ${dir}`, error);
  }
  const entries = names.filter((name) => !name.startsWith('..'));
  if (entries.length > MAX_FILES) {
    throw new PullguardError(
      'PG_RUNTIME_FILES_INVALID',
      `${key} ${dir} has ${entries.length} entries; at most ${MAX_FILES} are read`,
    );
  }
  return entries;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The file's text, refused unread when larger than any real runtime file. */
async function readBounded(path: string): Promise<string> {
  try {
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) {
      throw new PullguardError('PG_RUNTIME_FILES_INVALID', `${path} is larger than ${MAX_FILE_BYTES} bytes, refused`);
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof PullguardError) throw error;
    throw unreadable(path, error);
  }
}

function unreadable(what: string, error: unknown): PullguardError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new PullguardError(
    'PG_RUNTIME_FILES_UNREADABLE',
    `cannot read ${what} (${code}); check the runtime: section of the config and the mounted files`,
    { cause: error },
  );
}

function failOnProblems(problems: readonly NodePullProblem[], where: string): void {
  if (problems.length === 0) return;
  const lines = problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
  throw new PullguardError(
    'PG_RUNTIME_FILES_INVALID',
    `the runtime files under ${where} are not valid: ${lines.join('; ')}`,
  );
}

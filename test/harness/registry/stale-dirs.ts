import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Prefix of every registry temp dir (under os.tmpdir()). */
export const TEMP_DIR_PREFIX = 'pullguard-reg-';
const OWNER_FILE = 'owner.pid';

/** Records which process owns a temp dir, so a later run can tell a dead run's leftovers from live ones. */
export function markOwner(dir: string, pid: number): Promise<void> {
  return writeFile(path.join(dir, OWNER_FILE), `${pid}\n`);
}

let swept: Promise<void> | undefined;

/**
 * Once per process, removes registry temp dirs whose owning process is gone (a test run killed with SIGKILL
 * cannot clean up after itself; its registries die with it via setpriv --pdeathsig). Dirs without an owner
 * file, or owned by a live process, are left alone.
 */
export function sweepStaleDirs(isAlive: (pid: number) => boolean = processIsAlive): Promise<void> {
  swept ??= sweep(os.tmpdir(), isAlive).catch(() => undefined);
  return swept;
}

/** The sweep itself, for tests. */
export async function sweep(root: string, isAlive: (pid: number) => boolean): Promise<void> {
  for (const name of await readdir(root)) {
    if (!name.startsWith(TEMP_DIR_PREFIX)) continue;
    const dir = path.join(root, name);
    const owner = Number.parseInt(await readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) await rm(dir, { recursive: true, force: true });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

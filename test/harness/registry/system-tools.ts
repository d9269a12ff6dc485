import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The Debian package's registry binary (Distribution 2.8.x). */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';
/** apache2-utils' htpasswd, used for bcrypt password hashes (Distribution only accepts bcrypt). */
export const HTPASSWD_BINARY = '/usr/bin/htpasswd';

const INSTALL_HINT = 'apt-get install -y docker-registry apache2-utils';

let installing: Promise<void> | undefined;

/**
 * Makes sure the registry and htpasswd binaries exist. When missing and we are root with apt-get,
 * installs them once per process; otherwise throws an Error naming the packages. Never skips silently.
 */
export function ensureRegistryTools(): Promise<void> {
  installing ??= ensureOnce().catch((error: unknown) => {
    installing = undefined; // let a later call retry (e.g. after someone fixed apt)
    throw error;
  });
  return installing;
}

async function ensureOnce(): Promise<void> {
  if ((await isExecutable(REGISTRY_BINARY)) && (await isExecutable(HTPASSWD_BINARY))) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !(await isExecutable('/usr/bin/apt-get'))) {
    throw new Error(
      `registry test harness: ${REGISTRY_BINARY} or ${HTPASSWD_BINARY} is missing; install them with \`${INSTALL_HINT}\``,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): Promise<unknown> =>
    execFileAsync('apt-get', ['install', '-y', 'docker-registry', 'apache2-utils'], { env, timeout: 600_000 });
  try {
    await install();
  } catch {
    await execFileAsync('apt-get', ['update'], { env, timeout: 600_000 });
    await install();
  }
  if (!(await isExecutable(REGISTRY_BINARY)) || !(await isExecutable(HTPASSWD_BINARY))) {
    throw new Error(`registry test harness: \`${INSTALL_HINT}\` ran but the binaries are still missing`);
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns an htpasswd file body (bcrypt) for the given users, via `htpasswd -niB` (password on stdin, not argv). */
export async function htpasswdFile(users: Readonly<Record<string, string>>): Promise<string> {
  const lines: string[] = [];
  for (const [user, password] of Object.entries(users)) {
    // -C 4: lowest bcrypt cost; the file is test-only and start-up time matters.
    lines.push((await runWithStdin(HTPASSWD_BINARY, ['-niB', '-C', '4', user], password)).trim());
  }
  return `${lines.join('\n')}\n`;
}

function runWithStdin(file: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(new Error(`${file} failed: ${error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

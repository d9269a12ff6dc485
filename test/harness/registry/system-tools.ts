import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The Debian package's registry binary (Distribution 2.8.x). */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';
/** apache2-utils' htpasswd, used for bcrypt password hashes (Distribution only accepts bcrypt). */
const HTPASSWD_BINARY = '/usr/bin/htpasswd';

interface Tool {
  readonly binary: string;
  readonly debianPackage: string;
}

const REGISTRY_TOOLS: readonly Tool[] = [
  { binary: REGISTRY_BINARY, debianPackage: 'docker-registry' },
  { binary: HTPASSWD_BINARY, debianPackage: 'apache2-utils' },
];

/** containers/image's CLI, the harness self-test's independent reader of what it pushes. */
const SKOPEO_BINARY = '/usr/bin/skopeo';

/**
 * Makes sure the registry and htpasswd binaries exist. When missing and we are root with apt-get,
 * installs them once per process; otherwise throws an Error naming the packages. Never skips silently.
 */
export const ensureRegistryTools = installOnce(REGISTRY_TOOLS);

/** Makes sure skopeo exists, the same way. */
export const ensureSkopeo = installOnce([{ binary: SKOPEO_BINARY, debianPackage: 'skopeo' }]);

function installOnce(tools: readonly Tool[]): () => Promise<void> {
  let installing: Promise<void> | undefined;
  return () => {
    installing ??= ensureInstalled(tools).catch((error: unknown) => {
      installing = undefined; // let a later call retry (e.g. after someone fixed apt)
      throw error;
    });
    return installing;
  };
}

async function ensureInstalled(tools: readonly Tool[]): Promise<void> {
  const missing = async () =>
    (await Promise.all(tools.map(async (t) => ((await isExecutable(t.binary)) ? [] : [t])))).flat();
  const needed = await missing();
  if (needed.length === 0) return;
  const packages = needed.map((t) => t.debianPackage);
  const hint = `apt-get install -y ${packages.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !(await isExecutable('/usr/bin/apt-get'))) {
    throw new Error(
      `registry test harness: ${needed.map((t) => t.binary).join(' and ')} missing; install with \`${hint}\``,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): Promise<unknown> =>
    execFileAsync('apt-get', ['install', '-y', ...packages], { env, timeout: 600_000 });
  try {
    await install();
  } catch {
    await execFileAsync('apt-get', ['update'], { env, timeout: 600_000 });
    await install();
  }
  if ((await missing()).length > 0)
    throw new Error(`registry test harness: \`${hint}\` ran but the binaries are still missing`);
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

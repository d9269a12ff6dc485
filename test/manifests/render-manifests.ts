/**
 * Test helpers: render a kustomization with `kubectl kustomize` (the same renderer `kubectl apply -k` uses) and parse
 * the multi-document YAML it prints. Fails with an install hint when kubectl is missing or too old.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** One rendered Kubernetes object, loosely typed: tests narrow it with assertions. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** Renders `dir` with the `kubectl` on PATH, or the binary at `kubectl`, and returns its objects. */
export async function kustomize(dir: string, kubectl = 'kubectl'): Promise<K8sObject[]> {
  let stdout: string;
  try {
    ({ stdout } = await run(kubectl, ['kustomize', dir], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        'kubectl not found on PATH: install it (Debian: apt-get install kubernetes-client; .ci/run does)',
        {
          cause: err,
        },
      );
    }
    throw new Error(
      `kubectl kustomize ${dir} failed: ${e.stderr ?? e.message}\n` +
        'The manifests need kubectl >= 1.21 (kustomize v4+): directories under `resources:` and `patches:`.',
      { cause: err },
    );
  }
  const docs = parseAllDocuments(stdout);
  return docs.map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`document ${i} of ${dir}: ${doc.errors[0]?.message}`);
    return doc.toJS() as K8sObject;
  });
}

/** The one object of `kind` (and `name`, if given); throws when there is none or more than one. */
export function single(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as K8sObject;
}

/** Reads a nested value by path (`['spec', 'template', 0]`), or undefined. */
export function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * How pullguard runs in production: the node flags of the container's ENTRYPOINT, between the node binary and
 * `dist/main.js` (the V8 heap settings sized for the Deployment's memory limit), and that memory limit itself. The
 * bench starts the server with exactly these flags, so its figures describe the shipped artifact, and checks peak
 * memory against the limit a pod would be OOM-killed at; the Dockerfile and the base Deployment are the one place
 * each lives.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export function productionNodeFlags(repoRoot: string): string[] {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const line = dockerfile
    .split('\n')
    .filter((l) => l.startsWith('ENTRYPOINT '))
    .at(-1);
  if (line === undefined) throw new Error('Dockerfile has no ENTRYPOINT');
  const entrypoint = JSON.parse(line.slice('ENTRYPOINT '.length)) as string[];
  const main = entrypoint.indexOf('dist/main.js');
  if (main < 1) throw new Error(`Dockerfile ENTRYPOINT does not run dist/main.js: ${line}`);
  return entrypoint.slice(1, main);
}

/** `resources.limits.memory` of the pullguard container in manifests/base/deployment.yaml, in bytes. */
export function podMemoryLimitBytes(repoRoot: string): number {
  const deployment = parse(readFileSync(path.join(repoRoot, 'manifests/base/deployment.yaml'), 'utf8')) as {
    spec?: { template?: { spec?: { containers?: { resources?: { limits?: { memory?: unknown } } }[] } } };
  };
  const limit = deployment.spec?.template?.spec?.containers?.[0]?.resources?.limits?.memory;
  const match = typeof limit === 'string' ? /^(\d+)(Mi|Gi)$/.exec(limit) : null;
  if (!match) throw new Error(`manifests/base/deployment.yaml: no memory limit in Mi or Gi (${String(limit)})`);
  return Number(match[1]) * 1024 * 1024 * (match[2] === 'Gi' ? 1024 : 1);
}

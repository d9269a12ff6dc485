/**
 * The node flags pullguard runs with in production: those of the container's ENTRYPOINT, between the node binary
 * and `dist/main.js` (the V8 heap settings sized for the Deployment's memory limit). The bench starts the server
 * with exactly these, so its figures describe the shipped artifact; the Dockerfile is the one place they live.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function productionNodeFlags(repoRoot: string): string[] {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const line = dockerfile.split('\n').filter((l) => l.startsWith('ENTRYPOINT ')).at(-1);
  if (line === undefined) throw new Error('Dockerfile has no ENTRYPOINT');
  const entrypoint = JSON.parse(line.slice('ENTRYPOINT '.length)) as string[];
  const main = entrypoint.indexOf('dist/main.js');
  if (main < 1) throw new Error(`Dockerfile ENTRYPOINT does not run dist/main.js: ${line}`);
  return entrypoint.slice(1, main);
}

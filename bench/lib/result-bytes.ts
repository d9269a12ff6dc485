/** Runs bench/lib/result-bytes-child.mjs (in-process live heap per cached result) and words its answer as a note. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchEnv } from './environment.js';

/**
 * Live heap bytes per cached result, in-process on the built client with forced GCs (bench/lib/result-bytes-child.mjs):
 * the precise counterpart of the RSS growth. Each of its results also has its own index-cache entry, which a full
 * cache shares between results (the index cache holds at most 10,000 digests), so it errs high.
 */
export async function liveBytesNote(
  env: BenchEnv,
  registryHost: string,
  references: readonly string[],
): Promise<string> {
  const file = path.join(env.workDir, 'live-references.json');
  await writeFile(file, JSON.stringify({ warmUp: references.slice(0, 50), measured: references.slice(50) }));
  const child = path.join(env.settings.repoRoot, 'bench/lib/result-bytes-child.mjs');
  try {
    const { stdout } = await promisify(execFile)(
      path.join(env.settings.repoRoot, 'node_modules/.bin/node'),
      ['--expose-gc', child, env.settings.repoRoot, registryHost, file],
      {
        timeout: 180_000,
        maxBuffer: 1024 * 1024,
      },
    );
    const measured = JSON.parse(stdout) as {
      results: number;
      outcomes: Record<string, number>;
      bytesPerResult: number;
    };
    const outcomes = Object.entries(measured.outcomes)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', ');
    return `live heap per cached result, in-process (built client, forced GCs, ${measured.results} results: ${outcomes}): ${measured.bytesPerResult.toFixed(0)} bytes`;
  } catch (error) {
    return `live heap per cached result: not measured (${((error as Error).message ?? String(error)).split('\n')[0]?.slice(0, 200)})`;
  }
}

/**
 * `npm run bench` (after `npm run build`): the figures of docs/design.md §7.1 against the built `pullguard serve`.
 * The bench is TypeScript run by Node 24's built-in type stripping; ts-hooks.mjs maps the `.js` import specifiers
 * of the sources (and of test/harness) to their `.ts` files.
 *
 * Environment knobs:
 *   BENCH_DURATION_MS   length of each throughput / latency measurement (default 5000)
 *   BENCH_CONNECTIONS   keep-alive connections of the load loops (default 16)
 *   BENCH_ONLY          comma-separated figure ids, e.g. P1,P5 (default all)
 *   BENCH_CPU_PROF      folder: pullguard children write V8 CPU profiles there (see bench/profile-summary.mjs)
 *   BENCH_RESULTS       file to write the rows to as JSON
 *   BENCH_NODE_FLAGS    extra node flags for the pullguard children, space-separated (experiments only)
 *   BENCH_P5H_RESULTS, BENCH_P5H_PLATFORMS, BENCH_P5H_STRING, BENCH_P5H_BIG
 *                       P5I/P5H: cached results per run (default 50000); platforms per capped index (32) and the
 *                       length of their strings (128); multi-megabyte indexes among the results (200)
 */
import './ts-hooks.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const { runBench } = await import('./main.ts');
const env = process.env;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.exitCode = await runBench({
  repoRoot,
  durationMs: Number(env.BENCH_DURATION_MS ?? 5000),
  connections: Number(env.BENCH_CONNECTIONS ?? 16),
  ...(env.BENCH_ONLY ? { only: env.BENCH_ONLY.split(',').map((id) => id.trim().toUpperCase()) } : {}),
  ...(env.BENCH_CPU_PROF ? { cpuProfDir: path.resolve(env.BENCH_CPU_PROF) } : {}),
  ...(env.BENCH_NODE_FLAGS ? { serverNodeFlags: env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) } : {}),
  ...(env.BENCH_RESULTS ? { resultsFile: env.BENCH_RESULTS } : {}),
  indexMemory: Object.fromEntries(
    [
      ['results', 'BENCH_P5H_RESULTS'],
      ['platforms', 'BENCH_P5H_PLATFORMS'],
      ['stringLength', 'BENCH_P5H_STRING'],
      ['bigIndexes', 'BENCH_P5H_BIG'],
    ]
      .filter(([, name]) => env[name])
      .map(([key, name]) => [key, Number(env[name])]),
  ),
  log: (line) => process.stdout.write(`${line}\n`),
});

/**
 * Live heap per cached result, measured in-process on the BUILT registry client (dist/): resolves every reference
 * in a JSON file against one registry with the platform check's index wish, through the result cache, and prints
 * `{ results, outcomes, bytesPerResult }` as JSON. Forced full GCs before and after (run with --expose-gc) leave
 * only what the caches keep. The references are parsed before the first measurement, so their parse (bounded by its
 * own memo) is not counted; everything built from them during resolution (cache key, canonical form) is.
 *
 * Usage: node --expose-gc bench/lib/result-bytes-child.mjs <repoRoot> <registry host> <references.json>
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const [repoRoot, registryHost, referencesFile] = process.argv.slice(2);
if (typeof globalThis.gc !== 'function' || !referencesFile)
  throw new Error('usage: node --expose-gc result-bytes-child.mjs <repoRoot> <registry host> <references.json>');
const dist = (file) => import(pathToFileURL(path.join(repoRoot, 'dist', file)).href);
const { buildConfig } = await dist('config/load-config.js');
const { createImageResolver } = await dist('resolver/image-resolver.js');
const { parseImageReference } = await dist('image/reference.js');

const { warmUp, measured } = JSON.parse(readFileSync(referencesFile, 'utf8'));
const built = buildConfig({
  registries: [{ host: registryHost, plainHttp: true }],
  platforms: ['linux/amd64'],
  cache: { maxEntries: warmUp.length + measured.length, ttl: '1h', negativeTtl: '1h' },
});
if (!built.ok) throw new Error(`config: ${built.problems.join('; ')}`);
const resolver = createImageResolver({ config: built.config });
const signal = new AbortController().signal;
const parse = (text) => {
  const parsed = parseImageReference(text);
  if (!parsed.ok) throw new Error(`unparseable reference (${parsed.reason})`);
  return parsed.reference;
};
const resolveAll = async (references) => {
  const outcomes = {};
  let next = 0;
  const worker = async () => {
    while (next < references.length) {
      const result = await resolver.resolve({
        reference: references[next++],
        credentials: [],
        signal,
        wantIndex: true,
      });
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return outcomes;
};
const heapAfterGc = async () => {
  await sleep(200); // let finished requests' timers and sockets settle
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
};

await resolveAll(warmUp.map(parse)); // code paths, connections, the registry's challenge
const references = measured.map(parse);
const before = await heapAfterGc();
const outcomes = await resolveAll(references);
const after = await heapAfterGc();
process.stdout.write(
  `${JSON.stringify({ results: references.length, outcomes, bytesPerResult: (after - before) / references.length })}\n`,
);
await resolver.close();

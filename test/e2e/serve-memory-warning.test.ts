/** `pullguard serve` warns at start-up when `cache.maxEntries` could not fit the heap it runs with. */
import t from 'tap';
import { startBuiltServer, waitForLines } from '../helpers/built-server.js';

const startupLines = async (config: Record<string, unknown>) => {
  const server = await startBuiltServer({ config });
  await server.health('/readyz');
  // Start-up lines come before the one saying it serves; wait for that line rather than kill on readiness.
  await waitForLines(server.stdout, (lines) => lines.some((line) => line.includes('"msg":"pullguard serving"')));
  await server.stop();
  return server.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
};

t.test('a cache larger than the heap can hold is reported once, with the numbers and the fix', async (t) => {
  // 10 million entries need ~10 GB; V8 never defaults to a heap that large.
  const lines = await startupLines({ cache: { maxEntries: 10_000_000 } });
  const warnings = lines.filter((line) => line['msg'] === 'result cache may not fit the heap');
  t.equal(warnings.length, 1);
  t.match(warnings[0], {
    level: 40,
    maxEntries: 10_000_000,
    cacheHeapMb: 9766,
    heapLimitMb: Number,
    fix: /--max-old-space-size/,
  });
});

t.test('the default cache starts without it', async (t) => {
  const lines = await startupLines({});
  t.ok(
    lines.some((line) => line['msg'] === 'pullguard serving'),
    'the server started',
  );
  t.notOk(lines.some((line) => line['msg'] === 'result cache may not fit the heap'));
});

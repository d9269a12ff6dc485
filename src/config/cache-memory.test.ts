import t from 'tap';
import { cacheMemoryWarning } from './cache-memory.js';

const MB = 2 ** 20;

t.test('the default cache fits the heap the container sets', async (t) => {
  t.equal(cacheMemoryWarning(50_000, 264 * MB), undefined);
});

t.test('a cache that could take more than half the heap is reported with the numbers and the fix', async (t) => {
  const warning = cacheMemoryWarning(200_000, 264 * MB);
  t.match(warning, { maxEntries: 200_000, cacheHeapMb: 196, heapLimitMb: 264 });
  t.match(warning?.fix, /--max-old-space-size/);
});

t.test('the boundary is half the limit', async (t) => {
  t.equal(cacheMemoryWarning(128, 256 * 1024), undefined, 'exactly half');
  t.ok(cacheMemoryWarning(129, 256 * 1024), 'one more');
});

/**
 * Runs one review's registry checks fairly across registries. Starting them in list order let images on one
 * hanging registry, listed first, hold every slot until the budget ran out, so an image on another registry was
 * never asked. Here each registry (the key) has its own queue, and free slots go round-robin over the keys: every
 * key's first item starts at once (up to `total` keys), and a slow key never holds more than `perKey` slots.
 */
export interface FairLimits {
  /** Items in flight at once over all keys. */
  readonly total: number;
  /** Items in flight at once for one key. */
  readonly perKey: number;
}

/**
 * Runs `task` over `items`; resolves when every task has settled. `task` should not reject (the review turns every
 * failure into a finding first); a rejection still frees its slot and is otherwise ignored.
 */
export function runFair<T>(items: readonly T[], keyOf: (item: T) => string, limits: FairLimits, task: (item: T) => Promise<void>): Promise<void> {
  const queues = new Map<string, { readonly items: T[]; running: number }>();
  for (const item of items) {
    const key = keyOf(item);
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = { items: [], running: 0 }));
    queue.items.push(item);
  }
  const keys = [...queues.keys()];
  const total = Math.max(1, limits.total);
  const perKey = Math.max(1, limits.perKey);
  let cursor = 0;
  let running = 0;
  let remaining = items.length;

  return new Promise<void>((resolve) => {
    if (remaining === 0) return resolve();
    /** The next key after the cursor with queued work and a free per-key slot. */
    const nextKey = (): string | undefined => {
      for (let step = 0; step < keys.length; step++) {
        const key = keys[(cursor + step) % keys.length] as string;
        const queue = queues.get(key);
        if (queue && queue.items.length > 0 && queue.running < perKey) {
          cursor = (cursor + step + 1) % keys.length;
          return key;
        }
      }
      return undefined;
    };
    const fill = (): void => {
      while (running < total) {
        const key = nextKey();
        if (key === undefined) return;
        const queue = queues.get(key) as { items: T[]; running: number };
        const item = queue.items.shift() as T;
        queue.running++;
        running++;
        const settled = (): void => {
          queue.running--;
          running--;
          remaining--;
          if (remaining === 0) resolve();
          else fill();
        };
        new Promise<void>((started) => started(task(item))).then(settled, settled);
      }
    };
    fill();
  });
}

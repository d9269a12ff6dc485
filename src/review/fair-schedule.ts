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
export function runFair<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limits: FairLimits,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queues = new Map<string, Queue<T>>();
  for (const item of items) {
    const key = keyOf(item);
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = { items: [], next: 0, running: 0, ready: false }));
    queue.items.push(item);
  }
  const total = Math.max(1, limits.total);
  const perKey = Math.max(1, limits.perKey);
  /** Keys with queued items and a free slot, in turn order: a key that just started an item goes to the back. */
  const turns: Queue<T>[] = [];
  let turn = 0;
  let running = 0;
  let remaining = items.length;
  const enqueue = (queue: Queue<T>): void => {
    if (queue.ready || queue.next === queue.items.length || queue.running >= perKey) return;
    queue.ready = true;
    turns.push(queue);
  };
  for (const queue of queues.values()) enqueue(queue);

  return new Promise<void>((resolve) => {
    if (remaining === 0) return resolve();
    const fill = (): void => {
      while (running < total && turn < turns.length) {
        const queue = turns[turn++] as Queue<T>;
        queue.ready = false;
        const item = queue.items[queue.next++] as T;
        queue.running++;
        running++;
        enqueue(queue);
        const settled = (): void => {
          queue.running--;
          running--;
          remaining--;
          if (remaining === 0) return resolve();
          enqueue(queue);
          fill();
        };
        new Promise<void>((started) => started(task(item))).then(settled, settled);
      }
    };
    fill();
  });
}

/** One key's items (read from `next` on) and its slots in use. */
interface Queue<T> {
  readonly items: T[];
  next: number;
  running: number;
  /** Waiting in the turn order. */
  ready: boolean;
}

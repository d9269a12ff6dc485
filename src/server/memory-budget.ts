/**
 * A budget of bytes shared by the requests in flight: each holds a lease for what it may cost, from before its body
 * is read until its answer is sent, and a request that does not fit waits (first fit: small reviews pass a large
 * one that waits) or gives up when its signal aborts. So N concurrent large reviews take turns instead of filling
 * the heap together.
 */

export interface Lease {
  /** The weight held now. */
  readonly weight: number;
  /** Lowers the weight to what the request turned out to cost (never raises it). */
  shrink(weight: number): void;
  /** Gives the weight back. Idempotent. */
  release(): void;
}

export interface MemoryBudget {
  readonly capacity: number;
  /** Weight leased out now. */
  inUse(): number;
  /** A lease at once when `weight` fits, else undefined (never queues). */
  tryAcquire(weight: number): Lease | undefined;
  /** A lease once `weight` fits; undefined when `signal` aborts first or `weight` is more than the capacity. */
  acquire(weight: number, signal: AbortSignal): Promise<Lease | undefined>;
}

interface Waiter {
  readonly weight: number;
  readonly grant: (lease: Lease | undefined) => void;
}

export function createMemoryBudget(capacity: number): MemoryBudget {
  let used = 0;
  const waiters: Waiter[] = [];

  const lease = (initial: number): Lease => {
    used += initial;
    let weight = initial;
    let released = false;
    return {
      get weight() {
        return weight;
      },
      shrink(next) {
        if (released || next >= weight) return;
        used -= weight - Math.max(0, next);
        weight = Math.max(0, next);
        wake();
      },
      release() {
        if (released) return;
        released = true;
        used -= weight;
        weight = 0;
        wake();
      },
    };
  };

  const fits = (weight: number): boolean => used + weight <= capacity;

  function wake(): void {
    for (let i = 0; i < waiters.length && used < capacity;) {
      const waiter = waiters[i] as Waiter;
      if (fits(waiter.weight)) {
        waiters.splice(i, 1);
        waiter.grant(lease(waiter.weight));
      } else {
        i++;
      }
    }
  }

  return {
    capacity,
    inUse: () => used,
    tryAcquire: (weight) => (fits(weight) ? lease(weight) : undefined),
    acquire(weight, signal) {
      if (fits(weight)) return Promise.resolve(lease(weight));
      if (weight > capacity || signal.aborted) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const onAbort = (): void => {
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          resolve(undefined);
        };
        const waiter: Waiter = {
          weight,
          grant: (granted) => {
            signal.removeEventListener('abort', onAbort);
            resolve(granted);
          },
        };
        waiters.push(waiter);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

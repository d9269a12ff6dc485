/**
 * Turns for the GETs of one registry. A GET's body may be up to 4 MiB (body-reader.ts), so the number of GETs in
 * flight, not the number of connections, bounds the bytes a registry can have pullguard hold at once (docs/design.md
 * §7.2 R9). HEADs carry no body and do not take a turn, so a burst of manifest checks may use every connection
 * (P7 in docs/design.md §7.1) while bodies stay as bounded as they were with 16 connections.
 */

export interface BodySlots {
  /**
   * Resolves once a turn is free, to the function that gives it back (idempotent); rejects with the signal's reason
   * when the signal aborts first.
   */
  acquire(signal: AbortSignal): Promise<() => void>;
  /** Turns taken now. */
  inUse(): number;
}

/** GETs in flight per registry, whatever its connection limit. */
const GETS_PER_REGISTRY = 16;

export function createBodySlots(size: number = GETS_PER_REGISTRY): BodySlots {
  let taken = 0;
  const waiters: (() => void)[] = [];

  const release = (): (() => void) => {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = waiters.shift();
      if (next) next();
      else taken -= 1;
    };
  };

  return {
    inUse: () => taken,
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (taken < size) {
        taken += 1;
        return Promise.resolve(release());
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          waiters.splice(waiters.indexOf(grant), 1);
          reject(signal.reason);
        };
        // The turn passes straight from the releaser to this waiter: `taken` does not change.
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve(release());
        };
        waiters.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

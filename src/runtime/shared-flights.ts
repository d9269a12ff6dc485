/**
 * Concurrent callers asking for the same key share one piece of work (one registry resolution, one Secret read).
 * Each caller waits only until its own signal aborts, and then gets `abandoned()`; the shared work runs under a
 * signal of its own, aborted once every caller has given up, so one impatient caller never fails the others and
 * the next caller after that starts afresh instead of joining dead work.
 */
export interface SharedFlights<R> {
  /** Whether work for `key` is running (callers count a coalesced request). */
  has(key: string): boolean;
  /** Joins the work for `key`, starting it with `work` when none runs. Should `work` reject, callers get `abandoned()`. */
  join(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<R>, abandoned: () => R): Promise<R>;
  /** Aborts all running work (shutdown). */
  abortAll(): void;
}

interface Flight<R> {
  readonly promise: Promise<R>;
  readonly controller: AbortController;
  waiters: number;
}

export function createSharedFlights<R>(): SharedFlights<R> {
  const flights = new Map<string, Flight<R>>();

  const start = (key: string, work: (signal: AbortSignal) => Promise<R>): Flight<R> => {
    const controller = new AbortController();
    const flight: Flight<R> = {
      promise: work(controller.signal).finally(() => {
        if (flights.get(key) === flight) flights.delete(key);
      }),
      controller,
      waiters: 0,
    };
    flights.set(key, flight);
    return flight;
  };

  const leave = (key: string, flight: Flight<R>): void => {
    flight.waiters--;
    if (flight.waiters > 0) return;
    flight.controller.abort();
    if (flights.get(key) === flight) flights.delete(key);
  };

  return {
    has: (key) => flights.has(key),
    join(key, signal, work, abandoned) {
      if (signal.aborted) return Promise.resolve(abandoned());
      const flight = flights.get(key) ?? start(key, work);
      flight.waiters++;
      return new Promise<R>((resolve) => {
        const onAbort = () => {
          leave(key, flight);
          resolve(abandoned());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        // Either settle is a no-op when onAbort already answered.
        flight.promise.then(
          (result) => {
            signal.removeEventListener('abort', onAbort);
            resolve(result);
          },
          () => {
            signal.removeEventListener('abort', onAbort);
            resolve(abandoned());
          },
        );
      });
    },
    abortAll() {
      for (const flight of flights.values()) flight.controller.abort();
      flights.clear();
    },
  };
}

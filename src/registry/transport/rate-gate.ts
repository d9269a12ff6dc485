/**
 * Waiting for a registry's request tokens: one token bucket (token-bucket.ts) per host, waiters served first come,
 * first served by one timer per host. A waiter whose signal aborts leaves the queue at once, rejected with the
 * signal's reason, and takes no token, so a review that would wait past its deadline fails as the timeout it is
 * without costing anyone else a turn.
 */
import { createTokenBucket, type RequestRate, type TokenBucket } from './token-bucket.js';

/** The time and timers a gate runs on; tests pass a hand-driven one. */
export interface GateClock {
  now(): number;
  /** Calls `fn` once after `ms`; answers the function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export interface RateGate {
  /** Resolves when `host` may be sent one request; rejects with the signal's reason if it aborts first. */
  acquire(host: string, signal: AbortSignal): Promise<void>;
  /** Requests waiting for a token now, over every host. */
  waiting(): number;
  /** Hosts with a bucket now (idle full buckets are dropped once there are many). */
  hosts(): number;
}

const REAL_CLOCK: GateClock = {
  now: () => performance.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Buckets kept before idle ones are dropped: an idle full bucket is the same as a new one. */
const HOSTS_BEFORE_SWEEP = 256;

interface Waiter {
  readonly grant: () => void;
}

interface HostGate {
  readonly bucket: TokenBucket;
  readonly waiters: Waiter[];
  cancelTimer: (() => void) | undefined;
}

/** `rate` must be valid (token-bucket.ts `rateProblem`). */
export function createRateGate(rate: RequestRate, clock: GateClock = REAL_CLOCK): RateGate {
  const gates = new Map<string, HostGate>();
  let waiting = 0;

  const gateFor = (host: string): HostGate => {
    let gate = gates.get(host);
    if (gate) return gate;
    if (gates.size >= HOSTS_BEFORE_SWEEP) sweep();
    gate = { bucket: createTokenBucket(rate, clock.now()), waiters: [], cancelTimer: undefined };
    gates.set(host, gate);
    return gate;
  };

  const sweep = (): void => {
    const now = clock.now();
    for (const [host, gate] of gates) {
      if (gate.waiters.length === 0 && gate.cancelTimer === undefined && gate.bucket.full(now)) gates.delete(host);
    }
  };

  // Grants tokens to the waiters in order while there are tokens, then sleeps until the next one.
  const pump = (gate: HostGate): void => {
    if (gate.cancelTimer !== undefined) return;
    while (gate.waiters.length > 0) {
      const wait = gate.bucket.take(clock.now());
      if (wait > 0) {
        gate.cancelTimer = clock.after(wait, () => {
          gate.cancelTimer = undefined;
          pump(gate);
        });
        return;
      }
      gate.waiters.shift()?.grant();
    }
  };

  return {
    waiting: () => waiting,
    hosts: () => gates.size,
    acquire(host, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const gate = gateFor(host);
      if (gate.waiters.length === 0 && gate.bucket.take(clock.now()) === 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          gate.waiters.splice(gate.waiters.indexOf(waiter), 1);
          waiting -= 1;
          if (gate.waiters.length === 0) {
            gate.cancelTimer?.();
            gate.cancelTimer = undefined;
          }
          reject(signal.reason);
        };
        const waiter: Waiter = {
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            waiting -= 1;
            resolve();
          },
        };
        gate.waiters.push(waiter);
        waiting += 1;
        signal.addEventListener('abort', onAbort, { once: true });
        pump(gate);
      });
    },
  };
}

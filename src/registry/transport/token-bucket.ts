/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`, each request takes one. Over any window of `w`
 * seconds it lets at most `burst + perSecond * w` requests through. Pure: the caller passes the time (milliseconds
 * on any monotonic clock), so tests need no timers.
 */

/** A request rate: `perSecond` on average, `burst` at once after a quiet spell. */
export interface RequestRate {
  readonly perSecond: number;
  readonly burst: number;
}

export interface TokenBucket {
  /** Takes a token at `nowMs` and answers 0, or takes none and answers the milliseconds until one is there. */
  take(nowMs: number): number;
  /** True when the bucket holds `burst` tokens at `nowMs`: it is as good as a new one. */
  full(nowMs: number): boolean;
}

/** `rate` must be valid ({@link rateProblem} is undefined for it). The bucket starts full. */
export function createTokenBucket(rate: RequestRate, startMs: number): TokenBucket {
  const perMs = rate.perSecond / 1000;
  let tokens = rate.burst;
  let at = startMs;

  const refill = (nowMs: number): void => {
    // A clock that steps back adds nothing and takes nothing.
    if (nowMs > at) {
      tokens = Math.min(rate.burst, tokens + (nowMs - at) * perMs);
      at = nowMs;
    }
  };

  return {
    take(nowMs) {
      refill(nowMs);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - tokens) / perMs));
    },
    full(nowMs) {
      refill(nowMs);
      return tokens >= rate.burst;
    },
  };
}

/** Why `rate` cannot make a bucket, or undefined when it can. */
export function rateProblem(rate: RequestRate): string | undefined {
  if (!Number.isFinite(rate.perSecond) || rate.perSecond <= 0) return 'perSecond must be a positive number';
  if (!Number.isInteger(rate.burst) || rate.burst < 1) return 'burst must be a whole number of at least 1';
  return undefined;
}

/** The stricter of two rates (the lower `perSecond`, and the lower `burst`); undefined means unlimited. */
export function stricterRate(a: RequestRate | undefined, b: RequestRate | undefined): RequestRate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { perSecond: Math.min(a.perSecond, b.perSecond), burst: Math.min(a.burst, b.burst) };
}

/** The rate `network.requestsPerSecondPerRegistry` stands for: a burst of one second's worth. */
export function rateOfPerSecond(perSecond: number): RequestRate {
  return { perSecond, burst: Math.max(1, Math.ceil(perSecond)) };
}

/**
 * The time budget of one review: the smaller of `network.budget` and the API server's `?timeout=` minus 1 s, so
 * pullguard always answers before the API server gives up on it (a registry timeout longer than the webhook timeout
 * is the classic webhook mistake).
 */
import { parseDuration } from '../runtime/duration.js';
import { boundedMemo } from '../runtime/bounded-memo.js';

/** Headroom left for rendering and the network hop back to the API server. */
const RESPONSE_HEADROOM_MS = 1000;
/** Never plan for less than this, even when the API server sends a tiny timeout. */
const MIN_BUDGET_MS = 200;

/** The API server sends the same `?timeout=` on every call of one webhook. */
const parseTimeout = boundedMemo(parseDuration, 16, 32);

export function reviewBudgetMs(configBudgetMs: number, timeoutParam: unknown): number {
  const requested = typeof timeoutParam === 'string' ? parseTimeout(timeoutParam) : undefined;
  const ceiling = requested === undefined ? configBudgetMs : Math.min(configBudgetMs, requested - RESPONSE_HEADROOM_MS);
  return Math.max(MIN_BUDGET_MS, ceiling);
}

/**
 * Counters for the hot path. prom-client hashes the label object on every increment, bound children included
 * (`labels(...).inc()` hashes again on each call), and a warm review of three images makes seven increments. A
 * tallied counter adds to plain numbers and hands the sums to the prom-client counter when the registry is read
 * (prom-client runs `collect` before every scrape), so /metrics shows exactly the same values. Under P1's load
 * this took server CPU per review from 116 to 105 µs (bench/compare-builds.ts, docs/benchmarks.md).
 */
import { Counter, type CounterConfiguration, type LabelValues } from 'prom-client';

export interface TalliedCounter<L extends string> {
  /** The prom-client counter in the registry. */
  readonly counter: Counter<L>;
  /** One label set, bound once: its `inc()` only adds 1 to a number. */
  labels(labels: LabelValues<L>): { inc(): void };
  /** Adds 1 for a label set known only now (builds a short key; prefer `labels()` where the set repeats). */
  inc(labels: LabelValues<L>): void;
}

interface Pending<L extends string> {
  readonly labels: LabelValues<L>;
  count: number;
}

type LabelTree<L extends string> = Map<string, LabelTree<L> | Pending<L>>;

export function talliedCounter<L extends string>(config: Omit<CounterConfiguration<L>, 'collect'>): TalliedCounter<L> {
  const labelNames = (config.labelNames ?? []) as readonly L[];
  // One entry per distinct label set; label values are bounded by the callers (docs/design.md §6), so this is too.
  const pending: Pending<L>[] = [];
  // Label values in `labelNames` order lead, one map per label, to the set's entry: a lookup builds no key string.
  const root: LabelTree<L> = new Map();
  const counter = new Counter<L>({
    ...config,
    collect() {
      for (const entry of pending) {
        if (entry.count === 0) continue;
        counter.inc(entry.labels, entry.count);
        entry.count = 0;
      }
    },
  });
  const entryFor = (labels: LabelValues<L>): Pending<L> => {
    let node: LabelTree<L> | Pending<L> = root;
    for (const name of labelNames) {
      const tree = node as LabelTree<L>;
      const value = String(labels[name]);
      let next = tree.get(value);
      if (next === undefined) {
        next = name === labelNames[labelNames.length - 1] ? newEntry(labels) : new Map();
        tree.set(value, next);
      }
      node = next;
    }
    return node === root ? (pending[0] ?? newEntry(labels)) : (node as Pending<L>);
  };
  const newEntry = (labels: LabelValues<L>): Pending<L> => {
    const entry = { labels: { ...labels }, count: 0 };
    pending.push(entry);
    return entry;
  };
  return {
    counter,
    labels(labels) {
      const entry = entryFor(labels);
      return { inc: () => void (entry.count += 1) };
    },
    inc(labels) {
      entryFor(labels).count += 1;
    },
  };
}

/**
 * W1, W2: what the worst inputs cost the pure code that reads foreign text, in-process (no server): image strings
 * built to make a backtracking regular expression explode (W1, src/image/reference.ts), and the tag lists the
 * suggestions rank after a missing tag (W2, src/resolver/tag-suggestions.ts): 10,000 ordinary tags, then 10,000
 * anagrams of a 128-character typo, which no cheap bound tells apart. Each input runs once cold, then the median of
 * a few runs is kept with the maximum. The unit tests beside those files check the answers; these rows check the
 * time, which a unit test cannot assert without flaking on a busy machine.
 */
import { parseImageReference } from '../../src/image/reference.js';
import { MAX_TAG_LENGTH, suggestTags } from '../../src/resolver/tag-suggestions.js';
import type { FigureRow } from '../lib/report.js';

const TARGET_MS = 1000;
const RUNS = 5;

/** The inputs of reference.test.ts's "pathological inputs are refused" (each is invalid). */
const PATHOLOGICAL_REFERENCES: readonly string[] = [
  'a'.repeat(100_000) + '!',
  'a-'.repeat(50_000) + '!',
  'a.'.repeat(50_000) + '/x!',
  'a/'.repeat(50_000) + '!',
  'a__'.repeat(30_000) + '_',
  `example.com/app:${'t'.repeat(100_000)}`,
  `example.com/app@sha256:${'a'.repeat(100_000)}!`,
  '[' + ':'.repeat(100_000),
];

export async function measureWorstCaseInputs(): Promise<FigureRow[]> {
  const parse = PATHOLOGICAL_REFERENCES.map((input) => ({
    label: input.slice(0, 12),
    ...timed(() => parseImageReference(input)),
  }));
  const ordinary = Array.from({ length: 10_000 }, (_, i) => `build-${i}-${'x'.repeat(i % 50)}`);
  const wanted = hostileWanted();
  const hostile = anagrams(wanted, 10_000, 11);
  const suggest = [
    { label: '10,000 ordinary tags', ...timed(() => suggestTags('build-42-xy', ordinary)) },
    { label: '10,000 anagrams of a 128-character typo', ...timed(() => suggestTags(wanted, hostile)) },
  ];
  return [
    row('W1', 'image reference parse, worst of 8 pathological inputs (100 kB each)', parse),
    row('W2', 'tag suggestions, worst of 10,000 ordinary and 10,000 hostile tags', suggest),
  ];
}

function timed(work: () => unknown): { medianMs: number; maxMs: number } {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, maxMs: sorted.at(-1) ?? Number.NaN };
}

function row(
  id: string,
  figure: string,
  cases: readonly { label: string; medianMs: number; maxMs: number }[],
): FigureRow {
  const worst = Math.max(...cases.map((c) => c.maxMs));
  return {
    id,
    figure,
    value: `${worst.toFixed(1)} ms`,
    baseline: '-',
    ratio: worst / TARGET_MS,
    target: `< ${TARGET_MS} ms`,
    pass: worst < TARGET_MS,
    notes: cases.map((c) => `${c.label}: median ${c.medianMs.toFixed(2)} ms, max ${c.maxMs.toFixed(2)} ms`),
  };
}

function hostileWanted(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789.-_';
  return Array.from({ length: MAX_TAG_LENGTH }, (_, i) => alphabet[i % alphabet.length]).join('');
}

/** `count` shuffles of `word` (mulberry32 from `seed`, as in tag-suggestions.test.ts). */
function anagrams(word: string, count: number, seed: number): string[] {
  let state = seed;
  const random = (n: number): number => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  return Array.from({ length: count }, () => {
    const letters = word.split('');
    for (let i = letters.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [letters[i], letters[j]] = [letters[j] as string, letters[i] as string];
    }
    return letters.join('');
  });
}

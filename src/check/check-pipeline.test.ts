import t from 'tap';
import { runPipeline, type PipelineItem } from './check-pipeline.js';
import type { CheckTarget, Classified } from './classify-document.js';
import { ManifestError } from './manifest-error.js';
import type { ManifestDocument, ManifestEntry } from './parse-manifests.js';
import type { CheckedObject } from './run-checks.js';

/** Documents `{ n }`: odd ones are checked, multiples of 10 are skipped, the rest ignored. */
const classify = (document: ManifestDocument): Classified => {
  const n = (document.value as { n: number }).n;
  if (n % 10 === 0) return { type: 'skip', note: `skip ${n}` };
  if (n % 2 === 0) return { type: 'ignore' };
  const target = { file: document.file, line: n, identity: { kind: 'Pod', namespace: 'ns', name: `p${n}` } };
  return { type: 'check', target: { ...target, gvk: { group: '', version: 'v1', kind: 'Pod' }, object: {} } };
};

function document(n: number): ManifestDocument {
  return { file: 'a.yaml', line: n, value: { n } };
}

/** Feeds the entries one at a time and counts how many were taken. */
function source(entries: readonly ManifestEntry[]): { entries: AsyncIterable<ManifestEntry>; taken: () => number } {
  let taken = 0;
  return {
    entries: (async function* () {
      for (const entry of entries) {
        taken += 1;
        yield entry;
      }
    })(),
    taken: () => taken,
  };
}

const label = (item: PipelineItem): string =>
  item.type === 'error'
    ? `error ${item.error.code}`
    : item.type === 'skip'
      ? item.note
      : item.checked.target.identity.name;

t.test('items come out in input order, however the reviews finish; ignored documents give none', async (t) => {
  const broken = new ManifestError('PG_MANIFEST_PARSE', { file: 'a.yaml', line: 4, column: 1, detail: 'bad' });
  const input = source([document(1), document(2), document(3), broken, document(5), document(10), document(7)]);
  const out: string[] = [];
  await runPipeline(input.entries, {
    classify,
    // Earlier objects take longer: without ordering they would come out reversed.
    review: async (target: CheckTarget): Promise<CheckedObject> => {
      await new Promise((resolve) => setTimeout(resolve, 40 - target.line * 5));
      return { target, outcome: { status: 'skipped', reason: 'test' } };
    },
    onItem: (item) => out.push(label(item)),
    inFlight: 4,
  });
  t.same(out, ['p1', 'p3', 'error PG_MANIFEST_PARSE', 'p5', 'skip 10', 'p7']);
});

t.test('at most `inFlight` objects are held: the input is taken only as items are handed on', async (t) => {
  const count = 200;
  const input = source(Array.from({ length: count }, (_, i) => document(2 * i + 1)));
  let reviewing = 0;
  let mostReviewing = 0;
  let mostAhead = 0;
  let handedOn = 0;
  await runPipeline(input.entries, {
    classify,
    review: async (target) => {
      reviewing += 1;
      mostReviewing = Math.max(mostReviewing, reviewing);
      await new Promise((resolve) => setImmediate(resolve));
      reviewing -= 1;
      return { target, outcome: { status: 'skipped', reason: 'test' } };
    },
    onItem: () => {
      handedOn += 1;
      mostAhead = Math.max(mostAhead, input.taken() - handedOn);
    },
    inFlight: 3,
  });
  t.equal(handedOn, count, 'every object handed on');
  t.equal(mostReviewing, 3, 'three reviews at once, never more');
  t.ok(mostAhead <= 3, `at most 3 entries taken ahead of the output (${mostAhead})`);
});

t.test('a review that fails is a bug: the run fails with it, after the items before it', async (t) => {
  const out: string[] = [];
  const run = runPipeline(source([document(1), document(3), document(5)]).entries, {
    classify,
    review: async (target) => {
      if (target.line === 3) throw new Error('boom');
      return { target, outcome: { status: 'skipped', reason: 'test' } };
    },
    onItem: (item) => out.push(label(item)),
  });
  await t.rejects(run, { message: 'boom' });
  t.same(out, ['p1']);
});

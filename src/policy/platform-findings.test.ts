import t from 'tap';
import type { CandidatePlatforms } from '../platform/candidate-platforms.js';
import { compactIndexPlatforms } from '../platform/index-platforms.js';
import { parsePlatform, type Platform } from '../platform/platform.js';
import type { ParsedCheck } from './static-findings.js';
import { MAX_MEMOIZED_CHECKS, MAX_QUOTED_NOTES, platformFindingFor } from './platform-findings.js';

const p = (text: string): Platform => parsePlatform(text) as Platform;
const check: Pick<ParsedCheck, 'use' | 'canonical'> = {
  use: { image: 'example.com/app:1', name: 'app', section: 'containers', path: 'spec.containers[0].image' },
  canonical: 'example.com/app:1',
};
const fromNodes = (platforms: Platform[], notes: string[] = []): CandidatePlatforms => ({
  platforms,
  source: 'nodes',
  notes,
});
const armOnly = fromNodes([p('linux/arm64')]);

t.test('a complete index that serves no candidate is a mismatch; a served one needs no finding', async (t) => {
  t.match(platformFindingFor(check, compactIndexPlatforms([p('linux/amd64')]), armOnly), {
    class: 'platformMismatch',
    short: /linux\/arm64/,
  });
  t.equal(platformFindingFor(check, compactIndexPlatforms([p('linux/arm64/v8')]), armOnly), undefined);
});

t.test('an incomplete index (a hostile one) never yields a platform finding', async (t) => {
  const hostile = compactIndexPlatforms([
    p('linux/amd64'),
    ...Array.from({ length: 5000 }, (_, i) => ({ os: 'linux', architecture: 'x', variant: `${i}${'v'.repeat(100)}` })),
  ]);
  t.equal(hostile.incomplete, true);
  t.equal(platformFindingFor(check, hostile, armOnly), undefined, 'no mismatch claimed on what was not kept');
  t.equal(
    platformFindingFor(check, hostile, fromNodes([p('linux/amd64'), p('linux/arm64')])),
    undefined,
    'no partial either',
  );
});

t.test('answers stay right across more distinct indexes than the memo holds', async (t) => {
  const candidates = fromNodes([p('linux/amd64'), p('linux/arm64')]);
  const classes = Array.from({ length: MAX_MEMOIZED_CHECKS * 2 + 10 }, (_, i) => {
    const index = compactIndexPlatforms([p(`linux/arch${i}`), ...(i % 2 === 0 ? [p('linux/amd64')] : [])]);
    return platformFindingFor(check, index, candidates)?.class;
  });
  t.same(new Set(classes.filter((_, i) => i % 2 === 0)), new Set(['platformPartial']));
  t.same(new Set(classes.filter((_, i) => i % 2 === 1)), new Set(['platformMismatch']));
  const again = compactIndexPlatforms([p('linux/arch1')]);
  t.equal(
    platformFindingFor(check, again, candidates)?.class,
    'platformMismatch',
    'an equal index, another object: the same answer',
  );
});

t.test(
  'the cause says where the candidates come from and quotes why they are what they are; the short warning does not',
  async (t) => {
    const amdOnly = compactIndexPlatforms([p('linux/amd64')]);
    const plain = 'image example.com/app:1 has linux/amd64 only; the pod can only run on linux/arm64 nodes';
    t.equal(platformFindingFor(check, amdOnly, armOnly)?.cause, `${plain}.`, 'nodes without notes: nothing added');
    const notes = ['Gt on label cores ignored: it needs exactly one integer value'];
    const noted = platformFindingFor(check, amdOnly, fromNodes(armOnly.platforms, notes));
    t.equal(noted?.cause, `${plain} (Gt on label cores ignored: it needs exactly one integer value).`);
    t.equal(noted?.short, platformFindingFor(check, amdOnly, armOnly)?.short, 'the warning line keeps its length');
    const configured = platformFindingFor(check, amdOnly, {
      platforms: armOnly.platforms,
      source: 'config',
      notes: ['nodeSelector on label pool not evaluated: no Node objects to read'],
    });
    t.equal(
      configured?.cause,
      `${plain} (checked against the configured platforms; nodeSelector on label pool not evaluated: no Node objects to read).`,
    );
    const many = Array.from({ length: MAX_QUOTED_NOTES + 2 }, (_, i) => `note ${i}`);
    t.match(
      platformFindingFor(check, amdOnly, fromNodes(armOnly.platforms, many))?.cause,
      /\(note 0; note 1; note 2; 2 more\)\.$/,
      'at most three notes are quoted',
    );
  },
);

t.test('a mismatch carries the platform the node asks for: the first candidate', async (t) => {
  const candidates = fromNodes([p('linux/arm/v7'), p('linux/arm64')]);
  t.same(platformFindingFor(check, compactIndexPlatforms([p('linux/amd64')]), candidates)?.runtimeFailure, {
    kind: 'platformMismatch',
    os: 'linux',
    architecture: 'arm',
    variant: 'v7',
  });
  const partial = platformFindingFor(check, compactIndexPlatforms([p('linux/arm64')]), candidates);
  t.equal(partial?.class, 'platformPartial');
  t.equal(partial?.runtimeFailure, undefined, 'a partial match warns: no runtime line');
});

import t from 'tap';
import { compactIndexPlatforms, type IndexPlatforms } from './index-platforms.js';
import {
  acceptedPlatforms,
  checkIndexPlatforms,
  distinctPlatforms,
  normalizePlatform,
  platformAccepts,
} from './match-platform.js';
import { formatPlatform, parsePlatform, type Platform } from './platform.js';

function p(text: string): Platform {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(`bad platform in test: ${text}`);
  return parsed;
}

/** The compact platforms of an index whose entries declare these (`undefined`: an entry without a platform). */
function entries(...platforms: (string | undefined)[]): IndexPlatforms {
  return compactIndexPlatforms(platforms.map((text) => (text === undefined ? undefined : p(text))));
}

t.test('normalizePlatform follows containerd database.go', async (t) => {
  const table: [Platform, string][] = [
    [{ os: 'Linux', architecture: 'x86_64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'x86-64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v1' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: 'v3' }, 'linux/amd64/v3'],
    [{ os: 'linux', architecture: 'i386' }, 'linux/386'],
    [{ os: 'linux', architecture: 'aarch64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: '8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8.0' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm64', variant: '9' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8.2' }, 'linux/arm64/v8.2'],
    [{ os: 'linux', architecture: 'armhf' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'armel' }, 'linux/arm/v6'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: '6' }, 'linux/arm/v6'],
    // Each spelling containerd's normalizeArch maps (mutation testing found them unchecked: docs/mutation.md).
    [{ os: 'linux', architecture: 'arm64', variant: '9.0' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v9.0' }, 'linux/arm64/v9'],
    [{ os: 'linux', architecture: 'arm', variant: '7' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm', variant: '5' }, 'linux/arm/v5'],
    [{ os: 'linux', architecture: 'arm', variant: '8' }, 'linux/arm/v8'],
    [{ os: 'macos', architecture: 'arm64' }, 'darwin/arm64'],
    [{ os: '', architecture: 's390x' }, 'linux/s390x'],
    [{ os: 'linux', architecture: 'ppc64le' }, 'linux/ppc64le'],
  ];
  for (const [input, expected] of table) {
    t.equal(formatPlatform(normalizePlatform(input)), expected, `${JSON.stringify(input)} → ${expected}`);
  }
});

t.test('acceptedPlatforms is containerd Only(): the node platform, then its fallbacks in order', async (t) => {
  const table: [string, string[]][] = [
    ['linux/amd64', ['linux/amd64', 'linux/386']],
    ['linux/amd64/v3', ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64', 'linux/386']],
    ['linux/arm64', ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
    ['linux/arm64/v8', ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
    [
      'linux/arm64/v8.2',
      [
        'linux/arm64/v8.2',
        'linux/arm64/v8.1',
        'linux/arm64',
        'linux/arm/v8',
        'linux/arm/v7',
        'linux/arm/v6',
        'linux/arm/v5',
      ],
    ],
    [
      'linux/arm64/v9.1',
      [
        'linux/arm64/v9.1',
        'linux/arm64/v9',
        'linux/arm64/v8.6',
        'linux/arm64/v8.5',
        'linux/arm64/v8.4',
        'linux/arm64/v8.3',
        'linux/arm64/v8.2',
        'linux/arm64/v8.1',
        'linux/arm64',
        'linux/arm/v8',
        'linux/arm/v7',
        'linux/arm/v6',
        'linux/arm/v5',
      ],
    ],
    ['linux/arm/v7', ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
    ['linux/arm', ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
    ['linux/arm/v6', ['linux/arm/v6', 'linux/arm/v5']],
    ['linux/arm/v5', ['linux/arm/v5']],
    ['linux/s390x', ['linux/s390x']],
    ['linux/riscv64', ['linux/riscv64']],
  ];
  for (const [node, expected] of table) {
    t.same(acceptedPlatforms(p(node)).map(formatPlatform), expected, node);
  }
});

t.test('platformAccepts: node platform × entry platform', async (t) => {
  const table: [node: string, entry: string | undefined, accepted: boolean][] = [
    ['linux/arm64', 'linux/arm64', true],
    ['linux/arm64', 'linux/arm64/v8', true], // arm64 ≡ arm64/v8
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm64', 'linux/aarch64', true],
    ['linux/arm64', 'linux/arm64/v8.2', false], // a newer ISA level than the node
    ['linux/arm64', 'linux/arm/v7', true], // 32-bit fallback
    ['linux/arm64', 'linux/arm/v5', true],
    ['linux/arm64', 'linux/amd64', false],
    ['linux/amd64', 'linux/amd64/v1', true], // amd64 ≡ amd64/v1
    ['linux/amd64', 'linux/x86_64', true],
    ['linux/amd64', 'linux/386', true], // Only(amd64) also matches 386
    ['linux/amd64', 'linux/i386', true],
    ['linux/amd64', 'linux/amd64/v2', false],
    ['linux/amd64', 'linux/arm64', false],
    ['linux/386', 'linux/amd64', false],
    ['linux/arm/v7', 'linux/arm/v6', true],
    ['linux/arm/v7', 'linux/arm', true], // arm without variant is arm/v7
    ['linux/arm/v7', 'linux/armhf', true],
    ['linux/arm/v6', 'linux/arm/v7', false],
    ['linux/arm/v6', 'linux/armel', true],
    ['linux/arm/v7', 'linux/arm64', false],
    ['linux/amd64', 'windows/amd64', false],
    ['linux/amd64', 'LINUX/AMD64', true],
    ['linux/amd64', undefined, true], // no platform: a candidate
    ['linux/amd64', 'unknown/unknown', false], // attestation
    ['linux/arm64', 'unknown/unknown', false],
    ['linux/s390x', 'linux/s390x', true],
    ['linux/ppc64le', 'linux/ppc64', false],
  ];
  for (const [node, entry, accepted] of table) {
    t.equal(
      platformAccepts(p(node), entry === undefined ? undefined : p(entry)),
      accepted,
      `${node} accepts ${entry}: ${accepted}`,
    );
  }
});

t.test('an entry with an empty OS takes the node OS, as containerd does with its runtime OS', async (t) => {
  t.ok(platformAccepts(p('linux/amd64'), { os: '', architecture: 'amd64' }));
  t.notOk(platformAccepts(p('linux/amd64'), { os: '', architecture: 'arm64' }));
});

t.test('checkIndexPlatforms: the cases of the issue', async (t) => {
  const multiArch = entries('linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'unknown/unknown', 'unknown/unknown');
  const table: [name: string, image: IndexPlatforms, candidates: string[], status: string, unsupported: string[]][] = [
    [
      'arm64-only cluster, amd64-only image',
      entries('linux/amd64', 'unknown/unknown'),
      ['linux/arm64'],
      'mismatch',
      ['linux/arm64'],
    ],
    ['arm64 entry without variant on arm64 nodes', entries('linux/arm64'), ['linux/arm64'], 'ok', []],
    ['arm64/v8 entry on arm64 nodes', entries('linux/arm64/v8'), ['linux/arm64'], 'ok', []],
    [
      'mixed cluster, amd64-only image',
      entries('linux/amd64'),
      ['linux/amd64', 'linux/arm64'],
      'partial',
      ['linux/arm64'],
    ],
    ['multi-arch image on a mixed cluster', multiArch, ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], 'ok', []],
    ['only attestations match nothing', entries('unknown/unknown'), ['linux/amd64'], 'mismatch', ['linux/amd64']],
    ['entries without platform are candidates', entries(undefined), ['linux/amd64', 'linux/arm64'], 'ok', []],
    ['no candidates: nothing to check', entries('linux/amd64'), [], 'ok', []],
    ['amd64 node runs a 386-only image', entries('linux/386'), ['linux/amd64'], 'ok', []],
    ['arm64 node runs an arm/v7-only image', entries('linux/arm/v7'), ['linux/arm64'], 'ok', []],
    [
      's390x has no fallback',
      entries('linux/amd64', 'linux/arm64'),
      ['linux/s390x', 'linux/amd64'],
      'partial',
      ['linux/s390x'],
    ],
    ['windows nodes need a windows entry', entries('linux/amd64'), ['windows/amd64'], 'mismatch', ['windows/amd64']],
  ];
  for (const [name, image, candidates, status, unsupported] of table) {
    const result = checkIndexPlatforms({ index: image, candidates: candidates.map(p) });
    t.equal(result.status, status, `${name}: status`);
    t.same(result.unsupported.map(formatPlatform), unsupported, `${name}: unsupported`);
    t.equal(
      result.supported.length + result.unsupported.length,
      candidates.length,
      `${name}: every candidate is classified`,
    );
  }
});

t.test('checkIndexPlatforms lists the image platforms without attestations and duplicates', async (t) => {
  const result = checkIndexPlatforms({
    index: entries('linux/amd64', 'unknown/unknown', 'linux/arm64/v8', 'linux/arm64', undefined),
    candidates: [p('linux/arm64/v8'), p('linux/arm64')],
  });
  t.same(result.available.map(formatPlatform), ['linux/amd64', 'linux/arm64/v8']);
  t.same(result.supported.map(formatPlatform), ['linux/arm64/v8'], 'equal candidates counted once');
});

t.test('distinctPlatforms compares normalized forms', async (t) => {
  t.same(
    distinctPlatforms([p('linux/arm64'), p('linux/arm64/v8'), p('linux/amd64/v1'), p('linux/amd64')]).map(
      formatPlatform,
    ),
    ['linux/arm64', 'linux/amd64/v1'],
  );
});

// containerd/platforms compare_test.go TestOnly, minus the Windows OS-version cases pullguard does not model.
t.test('platformAccepts agrees with containerd TestOnly', async (t) => {
  const cases: [node: string, yes: string[], no: string[]][] = [
    [
      'linux/amd64',
      ['linux/amd64', 'linux/386'],
      ['linux/amd64/v2', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm'],
    ],
    [
      'linux/amd64/v2',
      ['linux/amd64', 'linux/amd64/v1', 'linux/amd64/v2', 'linux/386'],
      ['linux/amd64/v3', 'linux/amd64/v4', 'linux/arm/v7', 'linux/arm64', 'windows/amd64'],
    ],
    ['linux/386', ['linux/386'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm']],
    ['windows/amd64', ['windows/amd64'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/arm']],
    [
      'linux/arm/v8',
      ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8'],
      ['linux/amd64', 'linux/arm/v4', 'linux/arm64', 'windows/amd64', 'windows/arm'],
    ],
    [
      'linux/arm/v7',
      ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7'],
      ['linux/amd64', 'linux/arm/v4', 'linux/arm/v8', 'linux/arm64', 'windows/arm'],
    ],
    [
      'linux/arm/v6',
      ['linux/arm/v5', 'linux/arm/v6'],
      ['linux/amd64', 'linux/arm', 'linux/arm/v4', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64'],
    ],
    [
      'linux/arm/v5',
      ['linux/arm/v5'],
      ['linux/amd64', 'linux/arm', 'linux/arm/v4', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64'],
    ],
    [
      'linux/arm/v4',
      ['linux/arm/v4'],
      ['linux/amd64', 'linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64'],
    ],
    [
      'linux/arm64',
      ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'linux/arm64/v8'],
      [
        'linux/amd64',
        'linux/arm/v4',
        'linux/arm/v9',
        'linux/arm64/v7',
        'linux/arm64/v9',
        'windows/amd64',
        'windows/arm',
      ],
    ],
    [
      'linux/arm64/v9',
      [
        'linux/arm',
        'linux/arm/v5',
        'linux/arm/v6',
        'linux/arm/v7',
        'linux/arm/v8',
        'linux/arm64',
        'linux/arm64/v8',
        'linux/arm64/v9',
      ],
      ['linux/amd64', 'linux/arm/v4', 'linux/arm64/v7', 'linux/arm64/v10', 'windows/arm64', 'windows/arm'],
    ],
  ];
  for (const [node, yes, no] of cases) {
    for (const entry of yes) t.ok(platformAccepts(p(node), p(entry)), `Only(${node}) matches ${entry}`);
    for (const entry of no) t.notOk(platformAccepts(p(node), p(entry)), `Only(${node}) does not match ${entry}`);
  }
});

t.test(
  'an incomplete index (too large to keep whole) claims nothing about the candidates its kept platforms miss',
  async (t) => {
    // index-platforms.ts drops platforms past its caps and marks the set incomplete: a candidate none of the kept
    // platforms serves may be served by a dropped one, so it is never unsupported (no denial).
    const incomplete: IndexPlatforms = { ...entries('linux/amd64'), incomplete: true };
    t.same(checkIndexPlatforms({ index: incomplete, candidates: [p('linux/amd64'), p('linux/arm64')] }), {
      status: 'unknown',
      available: [p('linux/amd64')],
      supported: [p('linux/amd64')],
      unsupported: [],
    });
    t.same(
      checkIndexPlatforms({ index: incomplete, candidates: [p('linux/amd64')] }),
      {
        status: 'ok',
        available: [p('linux/amd64')],
        supported: [p('linux/amd64')],
        unsupported: [],
      },
      'every candidate served by a kept platform: ok',
    );
    const complete = checkIndexPlatforms({
      index: entries('linux/amd64'),
      candidates: [p('linux/amd64'), p('linux/arm64')],
    });
    t.same(
      [complete.status, complete.unsupported],
      ['partial', [p('linux/arm64')]],
      'the same index kept whole: partial',
    );
  },
);

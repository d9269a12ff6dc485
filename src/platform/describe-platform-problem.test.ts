import t from 'tap';
import { describePlatformProblem, SHORT_LIMIT } from './describe-platform-problem.js';
import { compactIndexPlatforms } from './index-platforms.js';
import { checkIndexPlatforms } from './match-platform.js';
import { parsePlatform, type Platform } from './platform.js';

function p(text: string): Platform {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(`bad platform in test: ${text}`);
  return parsed;
}
const entry = (text: string): Platform => p(text);
/** The compact platforms of an index with these entries. */
const indexOf = (entries: Platform[]) => compactIndexPlatforms(entries);
const image = 'docker.io/library/app:1.0';

t.test('an ok check needs no words', async (t) => {
  const ok = checkIndexPlatforms({ index: indexOf([entry('linux/amd64')]), candidates: [p('linux/amd64')] });
  t.equal(describePlatformProblem(ok, image), undefined);
});

t.test('mismatch: what the image has, what the pod needs, a multi-arch build', async (t) => {
  const result = checkIndexPlatforms({
    index: indexOf([entry('linux/amd64'), entry('unknown/unknown')]),
    candidates: [p('linux/arm64')],
  });
  const text = describePlatformProblem(result, image);
  t.ok(text);
  t.equal(text?.cause, `image ${image} has linux/amd64 only; the pod can only run on linux/arm64 nodes`);
  t.equal(
    text?.fix,
    'build a multi-arch image (docker buildx build --platform linux/amd64,linux/arm64 --push), ' +
      'or run the pod on nodes the image supports (nodeSelector kubernetes.io/arch: amd64)',
  );
  t.notMatch(text?.fix ?? '', 'unknown');
  t.equal(text?.short, 'no image variant for linux/arm64 (image has linux/amd64)');
});

t.test('partial: pin to the supported architecture', async (t) => {
  const result = checkIndexPlatforms({
    index: indexOf([entry('linux/amd64')]),
    candidates: [p('linux/amd64'), p('linux/arm64')],
  });
  const text = describePlatformProblem(result, image);
  t.match(text?.cause ?? '', /has linux\/amd64 only; the pod can also land on linux\/arm64 nodes/);
  t.equal(
    text?.fix,
    'pin the pod to nodes the image supports with nodeSelector kubernetes.io/arch: amd64, ' +
      'or build a multi-arch image (docker buildx build --platform linux/amd64,linux/arm64 --push)',
  );
});

t.test('several supported architectures need an In affinity', async (t) => {
  const result = checkIndexPlatforms({
    index: indexOf([entry('linux/amd64'), entry('linux/arm64')]),
    candidates: [p('linux/amd64'), p('linux/arm64'), p('linux/s390x')],
  });
  const text = describePlatformProblem(result, image);
  t.match(text?.fix ?? '', 'kubernetes.io/arch In [amd64, arm64]');
  t.match(text?.fix ?? '', '--platform linux/amd64,linux/arm64,linux/s390x');
});

t.test('an index without platforms says so', async (t) => {
  const result = checkIndexPlatforms({ index: indexOf([entry('unknown/unknown')]), candidates: [p('linux/amd64')] });
  const text = describePlatformProblem(result, image);
  t.match(text?.cause ?? '', 'declares no platform');
  t.match(text?.short ?? '', '(image has none)');
  t.equal(
    text?.fix,
    'build a multi-arch image (docker buildx build --platform linux/amd64 --push)',
    'nothing to pin to',
  );
});

t.test('short stays within the limit for long lists', async (t) => {
  const many = ['linux/amd64', 'linux/386', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64', 'linux/mips64le'];
  const result = checkIndexPlatforms({
    index: indexOf(many.map(entry)),
    candidates: ['linux/arm64', 'windows/amd64', 'linux/loong64', 'freebsd/amd64'].map(p),
  });
  const text = describePlatformProblem(result, image);
  t.ok((text?.short.length ?? 0) <= SHORT_LIMIT, text?.short ?? 'no text');
  t.match(text?.short ?? '', /^no image variant for linux\/arm64/);
});

t.test('the pin names the OS when another OS has the same architecture', async (t) => {
  const result = checkIndexPlatforms({
    index: indexOf([entry('linux/amd64')]),
    candidates: [p('linux/amd64'), p('windows/amd64')],
  });
  t.match(
    describePlatformProblem(result, image)?.fix ?? '',
    'nodeSelector kubernetes.io/arch: amd64, kubernetes.io/os: linux',
  );
});

t.test('a pod whose spec.os.name the image lacks is never told to move to nodes of another OS', async (t) => {
  const result = checkIndexPlatforms({ index: indexOf([entry('linux/amd64')]), candidates: [p('windows/amd64')] });
  t.match(describePlatformProblem(result, image)?.fix ?? '', 'nodeSelector', 'without os.name, pinning is a fix');
  const fix = describePlatformProblem(result, image, 'windows')?.fix ?? '';
  t.notMatch(fix, /nodeSelector|affinity/, 'no pin to linux nodes a windows pod cannot use');
  t.match(fix, '--platform linux/amd64,windows/amd64', 'build the missing windows variant');
  const mixed = checkIndexPlatforms({
    index: indexOf([entry('linux/amd64'), entry('windows/arm64')]),
    candidates: [p('windows/amd64')],
  });
  t.match(
    describePlatformProblem(mixed, image, 'windows')?.fix ?? '',
    'kubernetes.io/arch: arm64',
    'a same-OS pin still',
  );
});

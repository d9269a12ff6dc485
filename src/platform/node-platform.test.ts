import t from 'tap';
import { nodePlatform, type NodePlatformSource } from './node-platform.js';
import { formatPlatform } from './platform.js';

t.test('nodePlatform: status first, then labels; implied variants', async (t) => {
  const table: [string, NodePlatformSource, string | undefined][] = [
    ['status only', { labels: {}, operatingSystem: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    ['labels only', { labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' } }, 'linux/arm64'],
    [
      'beta labels only',
      { labels: { 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 's390x' } },
      'linux/s390x',
    ],
    [
      'status wins over edited labels',
      {
        labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
        operatingSystem: 'linux',
        architecture: 'arm64',
      },
      'linux/arm64',
    ],
    [
      'empty status values fall back to labels',
      {
        labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'ppc64le' },
        operatingSystem: '',
        architecture: ' ',
      },
      'linux/ppc64le',
    ],
    ['32-bit arm implies v7', { labels: {}, operatingSystem: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    ['arm64 has no variant (= v8)', { labels: {}, operatingSystem: 'linux', architecture: 'arm64' }, 'linux/arm64'],
    ['windows', { labels: {}, operatingSystem: 'windows', architecture: 'amd64' }, 'windows/amd64'],
    ['no architecture anywhere', { labels: { 'kubernetes.io/os': 'linux' }, operatingSystem: 'linux' }, undefined],
    ['nothing', { labels: {} }, undefined],
  ];
  for (const [name, source, expected] of table) {
    const platform = nodePlatform(source);
    t.equal(platform === undefined ? undefined : formatPlatform(platform), expected, name);
  }
});

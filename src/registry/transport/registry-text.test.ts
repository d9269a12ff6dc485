import t from 'tap';
import { compactIndexPlatforms } from '../../platform/index-platforms.js';
import type { Resolution } from '../../resolution/resolution.js';
import { screenIndex, screenResolution, usableTags } from './registry-text.js';
import { secretsInPlay } from './secrets-in-play.js';

const PASSWORD = 'hunter2-Correct-Horse';
const BASE64 = Buffer.from(`alice:${PASSWORD}`).toString('base64');
const TOKEN = 'issued.token-1234567890';
const secrets = secretsInPlay([{ username: 'alice', password: PASSWORD, source: 'secret ns/pull' }]);
secrets.add(TOKEN);

t.test('tag suggestions: the tag grammar, and no secret in play', async (t) => {
  const tags = [
    '1.29',
    'v2.0-rc1',
    '_private',
    BASE64.replace(/[^\w]/g, ''),
    PASSWORD,
    `v-${TOKEN}`,
    'bad tag',
    '-x',
    'x'.repeat(129),
    'ünï',
    'ok\n',
  ];
  t.same(usableTags(tags, secrets), ['1.29', 'v2.0-rc1', '_private']);
});

t.test('found: digest, media type and index only when well-formed and secret-free', async (t) => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const good: Resolution = {
    outcome: 'found',
    digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    index: compactIndexPlatforms([{ os: 'linux', architecture: 'arm64', variant: 'v8' }]),
  };
  t.same(screenResolution(good, secrets, 'r.example'), good);
  const hostile: Resolution = {
    outcome: 'found',
    digest: `sha512:${BASE64.replace(/[+/]/g, '')}AAAAAAAAAAAAAAAAAAAA`,
    mediaType: `application/${BASE64.replace(/[/=]/g, '')}`,
    index: compactIndexPlatforms([{ os: PASSWORD, architecture: 'amd64' }]),
  };
  t.same(screenResolution(hostile, secrets, 'r.example'), { outcome: 'found' });
  const fine = compactIndexPlatforms([
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
  ]);
  t.equal(screenIndex(fine, secrets), fine, 'ordinary platforms pass');
  t.equal(
    screenIndex(compactIndexPlatforms([{ os: 'linux', architecture: PASSWORD.toLowerCase() }]), secrets),
    undefined,
    'a password as an architecture',
  );
  t.equal(
    screenIndex(
      compactIndexPlatforms([{ os: 'linux', architecture: 'amd64', variant: TOKEN.replace(/[^\w.-]/g, '') }]),
      secrets,
    ),
    undefined,
    'a token as a variant',
  );
  const short = secretsInPlay([{ username: 'u', password: 'v8x', source: 'secret ns/short' }]);
  t.equal(
    screenIndex(compactIndexPlatforms([{ os: 'linux', architecture: 'arm', variant: 'v8x' }]), short),
    undefined,
    'a short password that is a whole field',
  );
  const longer = compactIndexPlatforms([{ os: 'linux', architecture: 'arm', variant: 'v8x1' }]);
  t.equal(screenIndex(longer, short), longer, 'a short password inside a longer field is not matched');
});

t.test('blocked: a host the registry named is shown only when it carries no secret', async (t) => {
  const named: Resolution = { outcome: 'blocked', host: 'realm.example:8443', address: '127.0.0.1' };
  t.same(screenResolution(named, secrets, 'r.example'), named);
  const leaking: Resolution = {
    outcome: 'blocked',
    host: `${PASSWORD.toLowerCase()}.example`,
    address: '169.254.169.254',
  };
  t.same(screenResolution(leaking, secrets, 'r.example'), {
    outcome: 'blocked',
    host: 'a host that r.example pointed to',
    address: '169.254.169.254',
  });
  t.same(screenResolution({ outcome: 'blocked', host: 'x.example', address: 'not-an-ip' }, secrets, 'r.example'), {
    outcome: 'blocked',
    host: 'x.example',
    address: '',
  });
  // The image's own host is the pod author's text: hiding it would answer "does this name contain the password?".
  const own: Resolution = { outcome: 'blocked', host: `${PASSWORD.toLowerCase()}.example`, address: '127.0.0.1' };
  t.same(screenResolution(own, secrets, `${PASSWORD.toLowerCase()}.example`), own);
});

t.test('details and reasons: printable, bounded, secret-free', async (t) => {
  const detail: Resolution = {
    outcome: 'unreachable',
    cause: 'protocol',
    detail: 'registry answered unexpected HTTP 418',
    status: 418,
  };
  t.same(screenResolution(detail, secrets, 'r.example'), detail);
  t.match(screenResolution({ ...detail, detail: `echo ${TOKEN}` }, secrets, 'r.example'), {
    detail: 'the registry sent something unusable',
  });
  t.match(screenResolution({ ...detail, detail: 'x'.repeat(201) }, secrets, 'r.example'), {
    detail: 'the registry sent something unusable',
  });
  t.match(screenResolution({ outcome: 'invalid', reason: `bad\n${PASSWORD}` }, secrets, 'r.example'), {
    reason: 'the registry rejects the reference',
  });
  const numbers: Resolution = { outcome: 'rate-limited', remaining: 0, windowSeconds: 21600, retryAfterSeconds: 60 };
  t.same(screenResolution(numbers, secrets, 'r.example'), numbers);
  t.same(
    screenResolution({ outcome: 'not-found', missing: 'tag', suggestions: ['1.0', PASSWORD] }, secrets, 'r.example'),
    { outcome: 'not-found', missing: 'tag', suggestions: ['1.0'] },
  );
});

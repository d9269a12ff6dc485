import t from 'tap';
import {
  DockerConfigError,
  decodeGoBase64,
  decodeStdBase64,
  dockerConfigEntriesOrThrow,
  MAX_REGISTRY_KEYS,
  parseDockercfg,
  parseDockerConfigJson,
} from './docker-config.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const PLANTED = 'S3cr3t-planted-pw';

t.test('config.json / .dockerconfigjson entries', async (t) => {
  const table: [string, string, unknown][] = [
    [
      'username and password',
      JSON.stringify({ auths: { 'ghcr.io': { username: 'u', password: 'p' } } }),
      [{ key: 'ghcr.io', username: 'u', password: 'p' }],
    ],
    [
      'auth overrides username/password',
      JSON.stringify({ auths: { 'ghcr.io': { username: 'ignored', password: 'ignored', auth: b64('alice:pw') } } }),
      [{ key: 'ghcr.io', username: 'alice', password: 'pw' }],
    ],
    [
      'auth splits at the first colon',
      JSON.stringify({ auths: { r: { auth: b64('bob:pa:ss:') } } }),
      [{ key: 'r', username: 'bob', password: 'pa:ss:' }],
    ],
    [
      'unpadded auth is accepted',
      JSON.stringify({ auths: { r: { auth: b64('ab:c').replace(/=+$/, '') } } }),
      [{ key: 'r', username: 'ab', password: 'c' }],
    ],
    [
      'empty auth falls back to username/password',
      JSON.stringify({ auths: { r: { auth: '', username: 'u', password: 'p' } } }),
      [{ key: 'r', username: 'u', password: 'p' }],
    ],
    [
      'identitytoken and registrytoken are ignored',
      JSON.stringify({ auths: { r: { identitytoken: 'tok', registrytoken: 'tok2' } } }),
      [{ key: 'r', username: '', password: '' }],
    ],
    [
      'a null entry is an empty credential',
      JSON.stringify({ auths: { r: null } }),
      [{ key: 'r', username: '', password: '' }],
    ],
    [
      'field names match case-insensitively, as Go does',
      JSON.stringify({ Auths: { r: { Username: 'U', PASSWORD: 'P' } } }),
      [{ key: 'r', username: 'U', password: 'P' }],
    ],
    ['no auths: no credentials', JSON.stringify({ credsStore: 'desktop' }), []],
    ['null auths: no credentials', JSON.stringify({ auths: null }), []],
    [
      'keys keep their order',
      JSON.stringify({ auths: { b: {}, a: {} } }),
      [
        { key: 'b', username: '', password: '' },
        { key: 'a', username: '', password: '' },
      ],
    ],
  ];
  for (const [name, text, want] of table) t.same(parseDockerConfigJson(text), { ok: true, entries: want }, name);
});

t.test('.dockercfg is the bare map', async (t) => {
  const text = JSON.stringify({ 'https://registry.example.com': { auth: b64('u:p'), email: 'e@x' } });
  t.same(parseDockercfg(text), {
    ok: true,
    entries: [{ key: 'https://registry.example.com', username: 'u', password: 'p' }],
  });
  t.same(parseDockercfg('null'), { ok: true, entries: [] });
});

t.test('undecodable configs name what failed and never echo secret material', async (t) => {
  const table: [string, string, string][] = [
    ['not JSON', `{"auths": {"r": {"password": "${PLANTED}"`, 'not valid JSON'],
    ['not an object', '[1,2]', 'not a JSON object'],
    ['auths not an object', JSON.stringify({ auths: PLANTED }), '"auths" is not a JSON object'],
    ['entry not an object', JSON.stringify({ auths: { r: PLANTED } }), 'entry "r": is not a JSON object'],
    [
      'auth not base64',
      JSON.stringify({ auths: { r: { auth: `${PLANTED}!!` } } }),
      'entry "r": auth is not valid base64',
    ],
    [
      'auth without colon',
      JSON.stringify({ auths: { r: { auth: b64(PLANTED) } } }),
      `entry "r": auth has no ':' (expected base64 of username:password)`,
    ],
    [
      'password not a string',
      JSON.stringify({ auths: { r: { password: 12345 } } }),
      'entry "r": password is not a string',
    ],
    ['email not a string', JSON.stringify({ auths: { r: { email: {} } } }), 'entry "r": email is not a string'],
  ];
  for (const [name, text, problem] of table) {
    const result = parseDockerConfigJson(text);
    t.same(result, { ok: false, problem }, name);
    t.notMatch(JSON.stringify(result), PLANTED, `${name}: no planted secret`);
    t.notMatch(JSON.stringify(result), b64(PLANTED), `${name}: no planted auth`);
  }
  t.same(parseDockercfg('"x"'), { ok: false, problem: 'the config is not a JSON object' });
});

t.test('Go base64 rules for auth', async (t) => {
  const table: [string, string | undefined][] = [
    ['dTpw', 'u:p'],
    ['dTpwcQ==', 'u:pq'],
    ['dTpwcQ', 'u:pq'],
    ['dTpw\ncQ==', 'u:pq'],
    ['dTpwcQ=', undefined],
    ['dTpw cQ==', undefined],
    ['dTp-', undefined],
    ['dTpwc', undefined],
  ];
  for (const [input, want] of table) t.equal(decodeGoBase64(input), want, JSON.stringify(input));
});

t.test('the static docker config fails start-up with a coded error', async (t) => {
  t.same(dockerConfigEntriesOrThrow(JSON.stringify({ auths: { r: { auth: b64('u:p') } } }), '/etc/config.json'), [
    { key: 'r', username: 'u', password: 'p' },
  ]);
  const error = t.throws(() =>
    dockerConfigEntriesOrThrow(`{"auths": {"r": {"auth": "${b64(PLANTED)}"}}}`, '/etc/config.json'),
  );
  t.ok(error instanceof DockerConfigError);
  t.notMatch(String(error), PLANTED);
  t.match(error, {
    code: 'PG_DOCKER_CONFIG_INVALID',
    message:
      'Cannot use Docker config /etc/config.json: entry "r": auth has no \':\' (expected base64 of username:password)',
  });
});

t.test('megabytes of base64 are checked without a regular expression (no stack overflow)', async (t) => {
  // A repeated regex group over 8 M characters overflowed V8's backtracking stack: a RangeError, not an answer.
  const huge = 'QUJD'.repeat(2_000_000);
  t.equal(decodeGoBase64(`${huge}QQ==`)?.length, 6_000_001, 'padded');
  t.equal(decodeGoBase64(`${huge}QQ`)?.length, 6_000_001, 'unpadded');
  t.equal(decodeGoBase64(`${huge}!!==`), undefined, 'a bad character at the end');
  t.equal(decodeGoBase64(`${huge}Q===`), undefined, 'too much padding');
  t.equal(decodeStdBase64(`${huge}Q`), undefined, 'not a multiple of four');
  t.equal(decodeStdBase64(''), '', 'empty is valid');
  const config = JSON.stringify({ auths: { r: { auth: `${huge}!` } } });
  t.same(parseDockerConfigJson(config), { ok: false, problem: 'entry "r": auth is not valid base64' });
});

t.test('a long registry key is quoted only in part in a problem', async (t) => {
  const key = `${'k'.repeat(100)}${'x'.repeat(1_000_000)}`;
  const result = parseDockerConfigJson(JSON.stringify({ auths: { [key]: { auth: '!!' } } }));
  t.same(result, { ok: false, problem: `entry "${'k'.repeat(100)}"… (1000100 characters): auth is not valid base64` });
});

t.test(
  'a docker config with more registry keys than any real one is refused, before its entries are read',
  async (t) => {
    const config = (count: number) =>
      JSON.stringify({
        auths: Object.fromEntries(Array.from({ length: count }, (_, i) => [`r${i}.example.com`, { auth: '!' }])),
      });
    t.same(parseDockerConfigJson(config(MAX_REGISTRY_KEYS + 1)), {
      ok: false,
      overLimit: true,
      problem: `"auths" has ${MAX_REGISTRY_KEYS + 1} registry keys; pullguard accepts at most ${MAX_REGISTRY_KEYS}`,
    });
    t.same(
      parseDockercfg(JSON.stringify(Object.fromEntries(Array.from({ length: 116_000 }, (_, i) => [`k${i}`, {}])))),
      {
        ok: false,
        overLimit: true,
        problem: `the config has 116000 registry keys; pullguard accepts at most ${MAX_REGISTRY_KEYS}`,
      },
    );
    t.same(
      parseDockerConfigJson(config(MAX_REGISTRY_KEYS)),
      { ok: false, problem: 'entry "r0.example.com": auth is not valid base64' },
      'at the limit the entries are read',
    );
  },
);

import t from 'tap';
import { MAX_SECRET_DATA_BYTES, parsePullSecret } from './pull-secret.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const PLANTED = 'planted-Pa55word';

t.test('only the two docker-config secret types count', async (t) => {
  const config = b64(JSON.stringify({ auths: { 'ghcr.io': { auth: b64(`u:${PLANTED}`) } } }));
  const table: [string, { type: string; data: Record<string, string> }, unknown][] = [
    [
      'dockerconfigjson',
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': config } },
      { status: 'ok', entries: [{ key: 'ghcr.io', username: 'u', password: PLANTED }] },
    ],
    [
      'dockercfg with an https:// key',
      {
        type: 'kubernetes.io/dockercfg',
        data: {
          '.dockercfg': b64(JSON.stringify({ 'https://registry.example.com': { username: 'u', password: 'p' } })),
        },
      },
      { status: 'ok', entries: [{ key: 'https://registry.example.com', username: 'u', password: 'p' }] },
    ],
    [
      'Opaque with a .dockerconfigjson key',
      { type: 'Opaque', data: { '.dockerconfigjson': config } },
      { status: 'wrong-type', type: 'Opaque' },
    ],
    [
      'dockercfg type with the dockerconfigjson key',
      { type: 'kubernetes.io/dockercfg', data: { '.dockerconfigjson': config } },
      { status: 'no-data', type: 'kubernetes.io/dockercfg' },
    ],
    [
      'a type named like an Object property',
      { type: '__proto__', data: {} },
      { status: 'wrong-type', type: '__proto__' },
    ],
    [
      'empty data',
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '' } },
      { status: 'no-data', type: 'kubernetes.io/dockerconfigjson' },
    ],
  ];
  for (const [name, secret, want] of table) t.same(parsePullSecret(secret), want, name);
});

t.test('undecodable secrets say what failed, without secret material', async (t) => {
  const table: [string, { type: string; data: Record<string, string> }, string][] = [
    [
      'data not base64',
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '%%%' } },
      '.dockerconfigjson is not valid base64',
    ],
    [
      'JSON broken',
      {
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': b64(`{"auths":{"r":{"password":"${PLANTED}"`) },
      },
      '.dockerconfigjson: not valid JSON',
    ],
    [
      'auth broken',
      { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ r: { auth: b64(PLANTED) } })) } },
      `.dockercfg: entry "r": auth has no ':' (expected base64 of username:password)`,
    ],
  ];
  for (const [name, secret, problem] of table) {
    const result = parsePullSecret(secret);
    t.same(result, { status: 'invalid', problem }, name);
    t.notMatch(JSON.stringify(result), PLANTED, `${name}: no planted password`);
  }
});

t.test('a docker config larger than a Secret can be is refused before it is decoded', async (t) => {
  const type = 'kubernetes.io/dockerconfigjson';
  const fill = (length: number) =>
    b64(JSON.stringify({ auths: { 'ghcr.io': { username: 'u', password: 'p' } }, pad: 'x'.repeat(length) }));
  const fits = fill(MAX_SECRET_DATA_BYTES - 100);
  t.ok(Buffer.from(fits, 'base64').length <= MAX_SECRET_DATA_BYTES);
  t.same(parsePullSecret({ type, data: { '.dockerconfigjson': fits } }), {
    status: 'ok',
    entries: [{ key: 'ghcr.io', username: 'u', password: 'p' }],
  });
  const problem = '.dockerconfigjson is larger than 1 MiB, the most a Secret can hold';
  for (const encoded of [fill(MAX_SECRET_DATA_BYTES), 'A'.repeat(4_000_000), `${'QUJD'.repeat(2_000_000)}!`]) {
    t.same(
      parsePullSecret({ type, data: { '.dockerconfigjson': encoded } }),
      { status: 'invalid', problem, overLimit: true },
      `${encoded.length} characters`,
    );
  }
  const dockercfg = parsePullSecret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': 'A'.repeat(4_000_000) } });
  t.same(dockercfg, {
    status: 'invalid',
    problem: '.dockercfg is larger than 1 MiB, the most a Secret can hold',
    overLimit: true,
  });
  const manyKeys = b64(
    JSON.stringify({ auths: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`r${i}`, {}])) }),
  );
  t.same(parsePullSecret({ type, data: { '.dockerconfigjson': manyKeys } }), {
    status: 'invalid',
    problem: '.dockerconfigjson: "auths" has 1001 registry keys; pullguard accepts at most 1000',
    overLimit: true,
  });
});

t.test('deeply nested or huge-but-allowed JSON is an answer, never an exception', async (t) => {
  const type = 'kubernetes.io/dockerconfigjson';
  const deep = b64(`{"auths":${'['.repeat(500_000)}${']'.repeat(500_000)}}`);
  t.same(parsePullSecret({ type, data: { '.dockerconfigjson': deep } }), {
    status: 'invalid',
    problem: '.dockerconfigjson: "auths" is not a JSON object',
  });
  const unclosed = b64('['.repeat(700_000));
  t.same(parsePullSecret({ type, data: { '.dockerconfigjson': unclosed } }), {
    status: 'invalid',
    problem: '.dockerconfigjson: not valid JSON',
  });
});

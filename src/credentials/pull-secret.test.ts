import t from 'tap';
import { parsePullSecret } from './pull-secret.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const PLANTED = 'planted-Pa55word';

t.test('only the two docker-config secret types count', async (t) => {
  const config = b64(JSON.stringify({ auths: { 'ghcr.io': { auth: b64(`u:${PLANTED}`) } } }));
  const table: [string, { type: string; data: Record<string, string> }, unknown][] = [
    ['dockerconfigjson', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': config } }, { status: 'ok', entries: [{ key: 'ghcr.io', username: 'u', password: PLANTED }] }],
    [
      'dockercfg with an https:// key',
      { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'https://registry.example.com': { username: 'u', password: 'p' } })) } },
      { status: 'ok', entries: [{ key: 'https://registry.example.com', username: 'u', password: 'p' }] },
    ],
    ['Opaque with a .dockerconfigjson key', { type: 'Opaque', data: { '.dockerconfigjson': config } }, { status: 'wrong-type', type: 'Opaque' }],
    ['dockercfg type with the dockerconfigjson key', { type: 'kubernetes.io/dockercfg', data: { '.dockerconfigjson': config } }, { status: 'no-data', type: 'kubernetes.io/dockercfg' }],
    ['a type named like an Object property', { type: '__proto__', data: {} }, { status: 'wrong-type', type: '__proto__' }],
    ['empty data', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '' } }, { status: 'no-data', type: 'kubernetes.io/dockerconfigjson' }],
  ];
  for (const [name, secret, want] of table) t.same(parsePullSecret(secret), want, name);
});

t.test('undecodable secrets say what failed, without secret material', async (t) => {
  const table: [string, { type: string; data: Record<string, string> }, string][] = [
    ['data not base64', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '%%%' } }, '.dockerconfigjson is not valid base64'],
    ['JSON broken', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(`{"auths":{"r":{"password":"${PLANTED}"`) } }, '.dockerconfigjson: not valid JSON'],
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

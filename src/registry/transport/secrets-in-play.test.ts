import t from 'tap';
import { secretsInPlay } from './secrets-in-play.js';

t.test('a credential puts its password, user:password and the base64 of that in play', async (t) => {
  const secrets = secretsInPlay([{ username: 'alice', password: 'Sesame-0pen', source: 'secret ns/s' }]);
  const base64 = Buffer.from('alice:Sesame-0pen').toString('base64');
  for (const text of [
    'Sesame-0pen',
    'v1-sesame-0pen',
    'alice:Sesame-0pen',
    base64,
    `Basic ${base64}`,
    base64.replace(/=+$/, ''),
    base64.toLowerCase(),
  ]) {
    t.ok(secrets.found(text), text);
  }
  for (const text of ['alice', 'v1.2.3', 'sesame', base64.slice(0, 8)]) t.notOk(secrets.found(text), text);
});

t.test('tokens issued on the way join; anonymous resolutions start with none', async (t) => {
  const secrets = secretsInPlay([undefined]);
  t.notOk(secrets.found('tok-123456'));
  secrets.add('tok-123456');
  t.ok(secrets.found('x-TOK-123456-y'));
  secrets.add('');
  t.notOk(secrets.found('anything'), 'an empty secret matches nothing');
});

t.test('a very short password only matches the whole text', async (t) => {
  const secrets = secretsInPlay([{ username: 'u', password: 'ab1', source: 'docker config' }]);
  t.ok(secrets.found('ab1'));
  t.ok(secrets.found('AB1'));
  t.notOk(secrets.found('lab1'), 'contained, but too short to tell from chance');
  t.ok(secrets.found('u:ab1'), 'its longer forms still match inside text');
});

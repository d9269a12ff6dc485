import t from 'tap';
import { dockerConfigJson } from './docker-config.js';

const reg = { host: '127.0.0.1:5000', users: { alice: 'pw-a', bob: 'pw:b' } };

t.test('dockerConfigJson logs the chosen user into the registry host', async (t) => {
  t.same(JSON.parse(dockerConfigJson(reg)), {
    auths: {
      '127.0.0.1:5000': { username: 'alice', password: 'pw-a', auth: Buffer.from('alice:pw-a').toString('base64') },
    },
  });
  t.same(
    JSON.parse(dockerConfigJson(reg, 'bob')).auths['127.0.0.1:5000'].auth,
    Buffer.from('bob:pw:b').toString('base64'),
  );
});

t.test('dockerConfigJson refuses unknown users without leaking passwords', async (t) => {
  t.throws(() => dockerConfigJson(reg, 'mallory'), /no user "mallory"/);
  t.throws(() => dockerConfigJson(reg, 'toString'), /no user/);
});

/**
 * A name with several addresses: the connection goes to the checked addresses in resolver order, moving on when
 * one refuses (a dual-stack registry on a cluster without an IPv6 route must still resolve).
 */
import t from 'tap';
import { startLoopback } from '../helpers/loopback.js';
import { resolverFor } from '../helpers/resolver-setup.js';

t.test('the next checked address is tried when the first refuses the connection', async (t) => {
  const server = await startLoopback((req, res) => {
    if (req.url === '/v2/') return void res.end('{}');
    res.writeHead(200, {
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
      'docker-content-digest': `sha256:${'c'.repeat(64)}`,
    });
    res.end();
  });
  t.teardown(() => server.close());
  const port = server.host.split(':')[1];
  // 127.0.0.2 is loopback too, but nothing listens on this port there: the connection is refused.
  const lookup = async () => [
    { address: '127.0.0.2', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ];
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: [`dual.test:${port}`], lookup });
  t.equal((await resolve(`dual.test:${port}/team/app:v1`)).outcome, 'found');
  t.ok(server.requests.length > 0, 'the second address answered');
});

t.test('when every address refuses, the outcome is unreachable', async (t) => {
  const lookup = async () => [
    { address: '127.0.0.2', family: 4 },
    { address: '127.0.0.3', family: 4 },
  ];
  const { resolve } = resolverFor(t, { mode: 'plain' }, { hosts: ['dead.test:1'], lookup });
  t.match(await resolve('dead.test:1/team/app:v1'), { outcome: 'unreachable', cause: 'refused' });
});

import t from 'tap';
import { canonicalIp, ipToBytes, subjectAltNames } from './subject-alt-names.js';

t.test('the four service names come first, then extras split into DNS and IP', async (t) => {
  const sans = subjectAltNames('hook', 'tools', ['localhost', '127.0.0.1', '[::1]', 'Example.COM', 'localhost']);
  t.same(sans.dns, [
    'hook',
    'hook.tools',
    'hook.tools.svc',
    'hook.tools.svc.cluster.local',
    'localhost',
    'example.com',
  ]);
  t.same(sans.ips, ['127.0.0.1', '::1']);
});

t.test('invalid names and SANs are rejected with stable codes', async (t) => {
  const cases: Array<[string, () => unknown, string]> = [
    ['upper-case service', () => subjectAltNames('Hook', 'ns'), 'PG_CERTS_INVALID_NAME'],
    ['dotted namespace', () => subjectAltNames('hook', 'a.b'), 'PG_CERTS_INVALID_NAME'],
    ['empty service', () => subjectAltNames('', 'ns'), 'PG_CERTS_INVALID_NAME'],
    ['space in SAN', () => subjectAltNames('hook', 'ns', ['bad name']), 'PG_CERTS_INVALID_SAN'],
    ['empty label in SAN', () => subjectAltNames('hook', 'ns', ['a..b']), 'PG_CERTS_INVALID_SAN'],
    ['URL as SAN', () => subjectAltNames('hook', 'ns', ['https://x']), 'PG_CERTS_INVALID_SAN'],
    ['wildcard not leftmost', () => subjectAltNames('hook', 'ns', ['a.*.b']), 'PG_CERTS_INVALID_SAN'],
    ['bad IP', () => ipToBytes('300.1.1.1'), 'PG_CERTS_INVALID_SAN'],
  ];
  for (const [name, fn, code] of cases) {
    t.throws(fn, { name: 'CertsError', code }, name);
  }
});

t.test('IP literals become their network-order bytes', async (t) => {
  const cases: Array<[string, string]> = [
    ['10.0.0.1', '0a000001'],
    ['::1', '00000000000000000000000000000001'],
    ['1::', '00010000000000000000000000000000'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
  ];
  for (const [ip, hex] of cases) t.equal(Buffer.from(ipToBytes(ip)).toString('hex'), hex, ip);
  t.equal(canonicalIp('FE80:0:0::1'), 'fe80::1');
});

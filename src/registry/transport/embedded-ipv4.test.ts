import t from 'tap';
import { embeddedIpv4, ipv6Groups } from './embedded-ipv4.js';

t.test('IPv6 groups in every notation', async (t) => {
  t.same(ipv6Groups('::'), [0, 0, 0, 0, 0, 0, 0, 0]);
  t.same(ipv6Groups('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
  t.same(ipv6Groups('2001:DB8::8:800:200C:417A'), [0x2001, 0xdb8, 0, 0, 8, 0x800, 0x200c, 0x417a]);
  t.same(ipv6Groups('::ffff:127.0.0.1'), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
  t.same(ipv6Groups('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const bad of ['1:2:3', '1::2::3', '1:2:3:4:5:6:7:8:9', '::1.2.3.256', 'g::1', '1:2:3:4:5:6:7::8']) {
    t.equal(ipv6Groups(bad), undefined, bad);
  }
});

t.test('embedded IPv4 addresses, where the form is defined', async (t) => {
  const cases: [string, string[]][] = [
    ['::ffff:7f00:1', ['127.0.0.1']],
    ['::7f00:1', ['127.0.0.1']],
    ['::', ['0.0.0.0']],
    ['::ffff:0:a9fe:a9fe', ['169.254.169.254']],
    ['64:ff9b::a00:1', ['10.0.0.1']],
    ['64:ff9b:1:2:3:4:a00:1', ['10.0.0.1']],
    ['64:ff9b:2::a00:1', []], // outside both NAT64 prefixes
    ['2002:c000:0201::1', ['192.0.2.1']],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', ['192.0.2.45']], // RFC 4380 §4's example client
    ['2001:db8::1', []],
    ['fe80::1', []],
  ];
  for (const [address, want] of cases) t.same(embeddedIpv4(address), want, address);
});

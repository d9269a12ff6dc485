import t from 'tap';
import { DEFAULT_BLOCKED_CIDRS } from '../../config/load-config.js';
import { RegistryError } from './registry-error.js';
import { createSsrfGuard, isAddressBlocked, normalizeAddress } from './ssrf-guard.js';

t.test('address normalization', async (t) => {
  const cases: [string, string | undefined][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['[::ffff:169.254.169.254]', '169.254.169.254'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', '169.254.169.254'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['FE80::1%eth0', 'fe80::1'],
    ['registry.example.com', undefined],
  ];
  for (const [input, want] of cases) t.equal(normalizeAddress(input)?.address, want, input);
});

t.test('default blocked ranges', async (t) => {
  const cases: [string, boolean][] = [
    ['169.254.169.254', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:a9fe:a9fe', true],
    ['fe80::abcd', true],
    ['100.100.100.200', true],
    ['fd00:ec2::254', true],
    ['10.0.0.1', false],
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['::ffff:8.8.8.8', false],
    // The unspecified addresses reach the local host.
    ['0.0.0.0', true],
    ['0.1.2.3', true],
    ['::', true],
    ['0:0:0:0:0:0:0:0', true],
    ['::ffff:0.0.0.0', true],
    // Multicast, reserved, broadcast.
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    ['ff02::1', true],
    ['ff05::1:3', true],
    // Cloud metadata.
    ['169.254.170.2', true],
    ['100.100.100.200', true],
    ['100.100.100.201', false],
    // IPv6 forms embedding a blocked IPv4 address are judged on it.
    ['::127.0.0.1', true], // IPv4-compatible
    ['::7f00:1', true],
    ['::a9fe:a9fe', true],
    ['::ffff:0:127.0.0.1', true], // IPv4-translated
    ['64:ff9b::127.0.0.1', true], // NAT64 well-known
    ['64:ff9b::a9fe:a9fe', true],
    ['64:ff9b::0.0.0.0', true],
    ['64:ff9b:1::7f00:1', true], // NAT64 local-use, /96 layout
    ['64:ff9b:1:abcd::a9fe:a9fe', true],
    ['2002:7f00:1::', true], // 6to4
    ['2002:a9fe:a9fe:1::1', true],
    ['2002:0:0::1', true],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', true], // Teredo, client 127.0.0.1 obfuscated
    ['2001:0:4136:e378:8000:63bf:5601:5601', true], // Teredo, client 169.254.169.254 obfuscated
    // …and let through when the embedded address is fine.
    ['::8.8.8.8', false],
    ['64:ff9b::8.8.8.8', false],
    ['2002:808:808::1', false],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', false], // Teredo client 8.8.8.8
    ['2001:db8::7f00:1', false], // documentation prefix: no embedding defined
    ['fd00::7f00:1', false], // ULA: no embedding defined
  ];
  for (const [address, blocked] of cases) t.equal(isAddressBlocked(DEFAULT_BLOCKED_CIDRS, address), blocked, address);
});

t.test('the unspecified addresses are refused whatever network.blockedCidrs says', async (t) => {
  for (const address of ['0.0.0.0', '::', '::ffff:0.0.0.0', '64:ff9b::0.0.0.0'])
    t.equal(isAddressBlocked([], address), true, address);
  t.equal(isAddressBlocked([], '127.0.0.1'), false, "the rest is the config's choice");
  t.equal(isAddressBlocked(['10.0.0.0/8'], '2002:a00:1::1'), true, 'embedded forms use the configured list');
});

t.test('listed hosts are host globs: * never crosses a dot', async (t) => {
  const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
  const guard = createSsrfGuard({ blockedCidrs: DEFAULT_BLOCKED_CIDRS, listedHosts: ['*.internal.test'], lookup });
  t.equal(guard.isListed('registry.internal.test'), true);
  t.equal(guard.isListed('evil.registry.internal.test'), false);
  t.same(await guard.checkAll('registry.internal.test', 'registry.internal.test'), [
    { address: '127.0.0.1', family: 4 },
  ]);
  t.equal((await refusal(guard.checkAll('a.b.internal.test', 'a.b.internal.test')))?.kind, 'blocked');
});

async function refusal(promise: Promise<unknown>): Promise<RegistryError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof RegistryError ? error : undefined;
  }
}

t.test('every resolved address is checked and handed out in resolver order', async (t) => {
  const records: Record<string, { address: string; family: number }[]> = {
    'public.test': [{ address: '93.184.216.34', family: 4 }],
    'mixed.test': [
      { address: '93.184.216.34', family: 4 },
      { address: '::ffff:169.254.169.254', family: 6 },
    ],
    'loop.test': [{ address: '127.0.0.1', family: 4 }],
    'empty.test': [],
  };
  const lookup = async (name: string) => records[name] ?? [];
  const guard = createSsrfGuard({ blockedCidrs: DEFAULT_BLOCKED_CIDRS, listedHosts: ['loop.test:5000'], lookup });
  t.same(await guard.checkAll('public.test', 'public.test'), [{ address: '93.184.216.34', family: 4 }]);
  const mixed = await refusal(guard.checkAll('mixed.test', 'mixed.test'));
  t.equal(mixed?.kind, 'blocked');
  t.equal(mixed?.address, '169.254.169.254');
  t.equal(
    (await refusal(guard.checkAll('loop.test', 'loop.test')))?.kind,
    'blocked',
    'the port is part of the listing',
  );
  t.same(await guard.checkAll('loop.test:5000', 'loop.test'), [{ address: '127.0.0.1', family: 4 }], 'listed: allowed');
  t.equal((await refusal(guard.checkAll('empty.test', 'empty.test')))?.kind, 'dns');
  t.equal((await refusal(guard.checkAll('[::1]:5000', '[::1]')))?.kind, 'blocked', 'IPv6 literal');
  t.equal((await refusal(guard.checkAll('169.254.169.254', '169.254.169.254')))?.kind, 'blocked', 'IPv4 literal');
  t.equal((await refusal(guard.checkAll('0.0.0.0:5000', '0.0.0.0')))?.kind, 'blocked', 'unspecified IPv4 literal');
  t.equal((await refusal(guard.checkAll('[::]:5000', '[::]')))?.kind, 'blocked', 'unspecified IPv6 literal');
});

import t from 'tap';
import { DEFAULT_BLOCKED_CIDRS } from '../config/load-config.js';
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
  ];
  for (const [address, blocked] of cases) t.equal(isAddressBlocked(DEFAULT_BLOCKED_CIDRS, address), blocked, address);
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
  t.equal(mixed?.code, 'blocked');
  t.equal(mixed?.address, '169.254.169.254');
  t.equal((await refusal(guard.checkAll('loop.test', 'loop.test')))?.code, 'blocked', 'the port is part of the listing');
  t.same(await guard.checkAll('loop.test:5000', 'loop.test'), [{ address: '127.0.0.1', family: 4 }], 'listed: allowed');
  t.equal((await refusal(guard.checkAll('empty.test', 'empty.test')))?.code, 'dns');
  t.equal((await refusal(guard.checkAll('[::1]:5000', '[::1]')))?.code, 'blocked', 'IPv6 literal');
  t.equal((await refusal(guard.checkAll('169.254.169.254', '169.254.169.254')))?.code, 'blocked', 'IPv4 literal');
});

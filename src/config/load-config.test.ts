import t from 'tap';
import { DEFAULT_POLICY } from '../policy/finding-class.js';
import {
  buildConfig,
  DEFAULT_BLOCKED_CIDRS,
  DEFAULT_CONFIG,
  NODE_CREDENTIAL_REGISTRIES,
  parseConfigText,
} from './load-config.js';

const problemsOf = (raw: unknown): string[] => {
  const result = buildConfig(raw);
  return result.ok ? [] : result.problems;
};

t.test('the defaults, built without the schema, are what an empty file gives after the schema check', async (t) => {
  for (const text of ['', '{}', 'registries: []']) {
    const result = parseConfigText(text, 'pullguard.yaml');
    t.ok(result.ok, `${JSON.stringify(text)} is a valid config`);
    if (result.ok) t.same(result.config, DEFAULT_CONFIG, `${JSON.stringify(text)} gives DEFAULT_CONFIG`);
  }
  t.ok(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.network.blockedCidrs), 'deeply frozen');
});

t.test('defaults: the policy of docs/design.md §2.1 and the values of §3.1', async (t) => {
  t.same(DEFAULT_CONFIG.policy, DEFAULT_POLICY);
  t.equal(DEFAULT_CONFIG.mode, 'enforce');
  t.same(DEFAULT_CONFIG.cache, { ttlMs: 300_000, negativeTtlMs: 30_000, maxEntries: 50_000 });
  t.same(DEFAULT_CONFIG.network, {
    requestTimeoutMs: 3_000,
    budgetMs: 8_000,
    concurrencyPerRegistry: 64,
    blockedCidrs: [...DEFAULT_BLOCKED_CIDRS],
  });
  t.same(DEFAULT_CONFIG.listen, { host: '0.0.0.0', port: 8443, healthPort: 8080 });
  t.same(DEFAULT_CONFIG.tls, { certFile: 'certs/tls.crt', keyFile: 'certs/tls.key' });
  t.same(DEFAULT_CONFIG.credentials, { kubernetes: 'auto' });
  t.same(DEFAULT_CONFIG.exemptImages, []);
  t.same(DEFAULT_CONFIG.logging, { reviews: 'findings' });
  t.same(
    DEFAULT_CONFIG.registries.map((r) => [r.host, r.nodeCredentials]),
    NODE_CREDENTIAL_REGISTRIES.map((h) => [h, true]),
  );
  t.ok(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.network), 'frozen');
  t.ok(
    DEFAULT_CONFIG.registries.every((r) => !r.listed),
    'no built-in registry counts as listed',
  );
  for (const range of [
    '0.0.0.0/8',
    '::/128',
    '127.0.0.0/8',
    '::1/128',
    '169.254.0.0/16',
    'fe80::/10',
    '224.0.0.0/4',
    'ff00::/8',
    '240.0.0.0/4',
    '255.255.255.255/32',
    '100.100.100.200/32',
    'fd00:ec2::254/128',
  ]) {
    t.ok(
      DEFAULT_BLOCKED_CIDRS.includes(range as (typeof DEFAULT_BLOCKED_CIDRS)[number]),
      `blocked by default: ${range}`,
    );
  }
  const empty = parseConfigText('', 'empty.yaml');
  t.same(empty.ok && empty.config, DEFAULT_CONFIG, 'an empty file means every default');
});

t.test('a config using the documented keys parses', async (t) => {
  const result = parseConfigText(
    `mode: enforce
policy: {notFound: deny, unauthorized: deny, latestTag: warn, unreachable: warn}
registries:
  - host: "*.dkr.ecr.*.amazonaws.com"
    nodeCredentials: true
  - host: "registry.internal:5000"
    caFile: /etc/pullguard/registry-ca.pem
    plainHttp: false
    insecureSkipVerify: false
credentials: {dockerConfig: /etc/pullguard/docker/config.json, kubernetes: auto}
exempt: {images: ["registry.k8s.io/pause:*"]}
platforms: [linux/amd64, linux/arm/v7]
cache: {ttl: 5m, negativeTtl: 30s, maxEntries: 50000}
network:
  requestTimeout: 3s
  budget: 1m30s
  concurrencyPerRegistry: 16
  requestsPerSecondPerRegistry: 2.5
  blockedCidrs: [169.254.0.0/16, "fe80::/10"]
tls: {certFile: certs/tls.crt, keyFile: certs/tls.key}
listen: {port: 8443, healthPort: 8080}
logging: {reviews: all}
audit: {enabled: false, interval: 1h, requestsPerSecondPerRegistry: 0.5, concurrency: 2, leaseName: pg, leaseNamespace: ops}
`,
    'pullguard.yaml',
  );
  t.ok(result.ok, result.ok ? 'ok' : result.problems.join('\n'));
  if (!result.ok) return;
  t.equal(result.config.network.budgetMs, 90_000);
  t.equal(result.config.network.requestsPerSecondPerRegistry, 2.5);
  t.same(result.config.audit, {
    enabled: false,
    intervalMs: 3_600_000,
    requestsPerSecondPerRegistry: 0.5,
    concurrency: 2,
    leaseName: 'pg',
    leaseNamespace: 'ops',
  });
  t.same(result.config.platforms, [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm', variant: 'v7' },
  ]);
  t.same(
    result.config.registries.slice(0, 2).map((r) => r.host),
    ['*.dkr.ecr.*.amazonaws.com', 'registry.internal:5000'],
    'user registries first',
  );
  t.equal(result.config.registries[1]?.caFile, '/etc/pullguard/registry-ca.pem');
  t.same(
    result.config.registries.map((r) => r.listed),
    [true, true, ...NODE_CREDENTIAL_REGISTRIES.map(() => false)],
    'only what the admin wrote is listed (and so exempt from blockedCidrs); the built-in entries are not',
  );
  t.same(result.config.exemptImages, ['registry.k8s.io/pause:*']);
  t.same(result.config.logging, { reviews: 'all' });
});

t.test('logging.reviews takes findings or all', async (t) => {
  for (const reviews of ['findings', 'all'] as const) {
    const result = buildConfig({ logging: { reviews } });
    t.same(result.ok && result.config.logging, { reviews }, reviews);
  }
  const empty = buildConfig({ logging: {} });
  t.same(empty.ok && empty.config.logging, { reviews: 'findings' }, 'an empty logging section means findings');
});

t.test('runtime: names one runtime and its files; credentialProviderConfig is a path', async (t) => {
  const containerd = buildConfig({ runtime: { containerd: { hostsDir: '/etc/containerd/certs.d' } } });
  t.same(containerd.ok && containerd.config.runtime, { kind: 'containerd', hostsDir: '/etc/containerd/certs.d' });
  const crio = buildConfig({ runtime: { crio: { registriesConf: '/r.conf', registriesConfDir: '/r.d' } } });
  t.same(crio.ok && crio.config.runtime, { kind: 'crio', registriesConf: '/r.conf', registriesConfDir: '/r.d' });
  t.equal(DEFAULT_CONFIG.runtime, undefined, 'no runtime section: each image is asked at its registry');
  const providers = buildConfig({ credentials: { credentialProviderConfig: '/etc/kubernetes/providers.yaml' } });
  t.equal(providers.ok && providers.config.credentials.credentialProviderConfig, '/etc/kubernetes/providers.yaml');
  const oneLine =
    /^config: \/runtime must name one runtime, containerd: \{hostsDir\} or crio: \{registriesConf, registriesConfDir\}; found /;
  for (const [label, runtime, found] of [
    ['both', { containerd: {}, crio: {} }, '"containerd", "crio"'],
    ['none', {}, 'nothing'],
    ['another runtime', { docker: {} }, '"docker"'],
  ] as const) {
    const result = buildConfig({ runtime });
    t.same(result.ok ? [] : result.problems.length, 1, `${label}: one problem`);
    t.match(result.ok ? '' : result.problems[0], oneLine, label);
    t.match(result.ok ? '' : result.problems[0], `found ${found}`, label);
  }
  const typo = buildConfig({ runtime: { containerd: { hostDir: '/x' } } });
  t.same(typo.ok ? [] : typo.problems, ['config: /runtime/containerd has unknown key "hostDir"'], 'only its own');
});

t.test('single problems: each names the key and what is wrong', async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown top-level key', { modes: 'warn' }, /^config: \/ has unknown key "modes"$/],
    ['an unknown nested key', { network: { timeout: '3s' } }, /^config: \/network has unknown key "timeout"$/],
    ['an unknown policy class', { policy: { notfound: 'deny' } }, /^config: \/policy has unknown key "notfound"$/],
    ['a wrong mode', { mode: 'audit' }, /^config: \/mode must be "enforce" or "warn"$/],
    ['a boolean mode', { mode: true }, /^config: \/mode must be "enforce" or "warn"$/],
    [
      'a wrong action',
      { policy: { notFound: 'block' } },
      /^config: \/policy\/notFound must be "deny" or "warn" or "allow"$/,
    ],
    ['a number for a duration', { cache: { ttl: 5 } }, /^config: \/cache\/ttl must be string$/],
    [
      'a bad duration',
      { network: { budget: '5 minutes' } },
      /^config: \/network\/budget "5 minutes" is not a positive duration/,
    ],
    [
      'a zero request rate',
      { network: { requestsPerSecondPerRegistry: 0 } },
      /^config: \/network\/requestsPerSecondPerRegistry must be > 0$/,
    ],
    [
      'an audit interval under a second',
      { audit: { interval: '500ms' } },
      /^config: \/audit\/interval "500ms" is shorter than 1s$/,
    ],
    ['an unknown audit key', { audit: { every: '5m' } }, /^config: \/audit must not have property "every"|every/],
    [
      'a request rate as text',
      { network: { requestsPerSecondPerRegistry: '20/s' } },
      /^config: \/network\/requestsPerSecondPerRegistry must be number$/,
    ],
    [
      'a zero duration',
      { network: { requestTimeout: '0s' } },
      /^config: \/network\/requestTimeout "0s" is not a positive duration/,
    ],
    [
      'a unit-less duration',
      { cache: { negativeTtl: '30' } },
      /^config: \/cache\/negativeTtl "30" is not a positive duration/,
    ],
    ['a string port', { listen: { port: '8443' } }, /^config: \/listen\/port must be integer$/],
    ['a port out of range', { listen: { healthPort: 70000 } }, /^config: \/listen\/healthPort must be <= 65535$/],
    [
      'a string boolean',
      { registries: [{ host: 'r.example.com', plainHttp: 'yes' }] },
      /^config: \/registries\/0\/plainHttp must be boolean$/,
    ],
    [
      'a registry without host',
      { registries: [{ nodeCredentials: true }] },
      /^config: \/registries\/0 must have required properties host$/,
    ],
    [
      'a glob with spaces',
      { exempt: { images: [' registry.k8s.io/*'] } },
      /^config: \/exempt\/images\/0 glob " registry\.k8s\.io\/\*" must be non-empty/,
    ],
    [
      'a glob with ***',
      { registries: [{ host: '***.example.com' }] },
      /^config: \/registries\/0\/host glob "\*\*\*\.example\.com" has "\*\*\*"/,
    ],
    [
      'a bad CIDR',
      { network: { blockedCidrs: ['10.0.0.0/33'] } },
      /^config: \/network\/blockedCidrs\/0 "10\.0\.0\.0\/33" is not a CIDR/,
    ],
    ['a CIDR without prefix', { network: { blockedCidrs: ['10.0.0.1'] } }, /is not a CIDR/],
    ['a hostname CIDR', { network: { blockedCidrs: ['metadata.internal/32'] } }, /is not a CIDR/],
    ['a bad platform', { platforms: ['linux'] }, /^config: \/platforms\/0 "linux" is not os\/arch\[\/variant\]/],
    [
      'kubernetes: "yes"',
      { credentials: { kubernetes: 'yes' } },
      /^config: \/credentials\/kubernetes must be "auto" or boolean$/,
    ],
    [
      'kubernetes: 5',
      { credentials: { kubernetes: 5 } },
      /^config: \/credentials\/kubernetes must be "auto" or boolean$/,
    ],
    [
      'a wrong review log policy',
      { logging: { reviews: 'none' } },
      /^config: \/logging\/reviews must be "findings" or "all"$/,
    ],
    [
      'a boolean review log policy',
      { logging: { reviews: true } },
      /^config: \/logging\/reviews must be "findings" or "all"$/,
    ],
    ['an unknown logging key', { logging: { level: 'debug' } }, /^config: \/logging has unknown key "level"$/],
    ['a list as the whole config', ['mode: warn'], /^config: \/ must be object$/],
  ];
  for (const [name, raw, expected] of cases) {
    const problems = problemsOf(raw);
    t.equal(problems.length, 1, `${name}: exactly one problem (${problems.join(' | ')})`);
    t.match(problems[0], expected, name);
  }
});

t.test('every problem is listed at once, schema and semantic together', async (t) => {
  const problems = problemsOf({
    bogus: true,
    mode: 'x',
    cache: { ttl: 'soon', maxEntries: 0 },
    network: { blockedCidrs: ['nope', '::1/128', '1.2.3.4/40'] },
    exempt: { images: ['ok/*', 'a***'] },
    platforms: ['linux/amd64', 'windows'],
  });
  t.match(problems, [
    /unknown key "bogus"/,
    /\/mode must be/,
    /\/cache\/maxEntries must be >= 1/,
    /\/exempt\/images\/1 glob "a\*\*\*"/,
    /\/network\/blockedCidrs\/0 "nope" is not a CIDR/,
    /\/network\/blockedCidrs\/2 "1\.2\.3\.4\/40" is not a CIDR/,
    /\/platforms\/1 "windows"/,
    /\/cache\/ttl "soon" is not a positive duration/,
  ]);
  t.equal(problems.length, 8);
});

t.test('YAML syntax errors name the file', async (t) => {
  const result = parseConfigText('mode: [warn', '/etc/pullguard/config.yaml');
  t.notOk(result.ok);
  t.match(!result.ok && result.problems[0], /^\/etc\/pullguard\/config\.yaml: not valid YAML/);
});

t.test('policy overrides merge over the defaults; mode warn is kept', async (t) => {
  const result = buildConfig({ mode: 'warn', policy: { latestTag: 'allow', unreachable: 'deny' } });
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(result.config.policy, { ...DEFAULT_POLICY, latestTag: 'allow', unreachable: 'deny' });
  t.equal(result.config.mode, 'warn');
});

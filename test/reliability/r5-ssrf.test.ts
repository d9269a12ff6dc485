/**
 * docs/design.md §7.2 R5: the SSRF guard. Hosts in `network.blockedCidrs` (defaults: the IANA special-purpose ranges
 * that are never a registry, metadata addresses), literal or resolved through DNS (every record, IPv6 forms judged on
 * the IPv4 address they embed), are never contacted unless listed under `registries`; a Bearer realm and a redirect
 * target get the same check; the connection goes to the address that was checked. "Not contacted" is proven by
 * real listening servers that count connections: on Linux 0.0.0.0 and [::] reach them as well as 127.0.0.1 and ::1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createImageResolver, type LookupFunction } from '../../src/resolver/image-resolver.js';
import { buildConfig, type Config } from '../../src/config/load-config.js';
import { parseImageReference, type ImageReference } from '../../src/image/reference.js';
import { startFaultServer } from '../harness/registry/index.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';
import { json, slowRegistryHandler, startLoopbackServer, type LoopbackServer } from './support/loopback-servers.js';
import { countProcessFailures } from './support/process-guards.js';

const failures = countProcessFailures();
t.teardown(() => failures.dispose());

const registry = (address: string) => startLoopbackServer(slowRegistryHandler(0), address);
const v4 = await registry('127.0.0.1');
const v6 = await registry('::1');
const realmServer = await registry('127.0.0.2');
t.teardown(() => Promise.all([v4.close(), v6.close(), realmServer.close()]));

interface Target {
  readonly label: string;
  readonly image: string;
  /** Host glob that lists it under `registries`. */
  readonly listAs: string;
  readonly server?: LoopbackServer;
}

const targets: Target[] = [
  {
    label: 'literal 127.0.0.1:<port> of a listening server',
    image: `${v4.host}/team/app:1.0`,
    listAs: v4.host,
    server: v4,
  },
  {
    label: 'literal [::1]:<port> of a listening server',
    image: `${v6.host}/team/app:1.0`,
    listAs: v6.host,
    server: v6,
  },
  {
    label: 'IPv4-mapped IPv6 [::ffff:7f00:1]:<port>',
    image: `[::ffff:7f00:1]:${v4.port}/team/app:1.0`,
    listAs: `[::ffff:7f00:1]:${v4.port}`,
    server: v4,
  },
  {
    label: 'DNS name localhost:<port> (resolves to loopback)',
    image: `localhost:${v4.port}/team/app:1.0`,
    listAs: `localhost:${v4.port}`,
    server: v4,
  },
  { label: 'cloud metadata 169.254.169.254', image: '169.254.169.254/latest/app:1.0', listAs: '169.254.169.254' },
  {
    label: 'unspecified 0.0.0.0:<port> (reaches 127.0.0.1)',
    image: `0.0.0.0:${v4.port}/team/app:1.0`,
    listAs: `0.0.0.0:${v4.port}`,
    server: v4,
  },
  {
    label: 'unspecified [::]:<port> (reaches ::1)',
    image: `[::]:${v6.port}/team/app:1.0`,
    listAs: `[::]:${v6.port}`,
    server: v6,
  },
];

function findings(answer: { body: any }): { class: string; outcome?: string }[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text) : [];
}

/** The node's own loopback names: a registry there is the node's (docs/runtime.md), never asked, never denied. */
const NODE_LOCAL = /^(localhost|127\.|\[::1\])/;

t.test('blocked hosts are not contacted and are classified blocked → unreachable (warn)', async (t) => {
  const webhook = await startWebhookUnderTest({
    config: { credentials: { kubernetes: false }, network: { budget: '3s', requestTimeout: '1s' } },
  });
  t.teardown(() => webhook.close());
  const before = [v4, v6].map((s) => s.connections());
  for (const target of targets) {
    const answer = await webhook.review(admissionReview(deployment('ssrf', [target.image])));
    t.equal(answer.statusCode, 200, target.label);
    t.equal(answer.body.response.allowed, true, `${target.label}: admitted (unreachable warns)`);
    const expected = NODE_LOCAL.test(target.image)
      ? { class: 'nodeLocal', outcome: 'unreachable' }
      : { class: 'unreachable', outcome: 'blocked' };
    t.match(findings(answer), [expected], `${target.label}: class ${expected.class}, outcome ${expected.outcome}`);
    t.match(answer.body.response.warnings?.join('\n') ?? '', /\S/, `${target.label}: with a warning`);
  }
  t.same(
    [v4, v6].map((s) => s.connections()),
    before,
    'the listening servers saw no connection at all',
  );
  const dotted = await webhook.review(
    admissionReview(deployment('ssrf-dotted', [`[::ffff:127.0.0.1]:${v4.port}/team/app:1.0`])),
  );
  t.not(
    dotted.body.response.allowed === true && findings(dotted).length === 0,
    true,
    'the dotted IPv4-mapped form is never silently admitted',
  );
  t.same(
    [v4, v6].map((s) => s.connections()),
    before,
    'nor contacted',
  );
});

t.test('a Bearer realm on a blocked address is not contacted', async (t) => {
  const challenger = await startFaultServer('blocked-realm', { realm: `http://${realmServer.host}/token` });
  const metadataRealm = await startFaultServer('blocked-realm');
  t.teardown(() => Promise.all([challenger.close(), metadataRealm.close()]));
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: '127.0.0.1:*', plainHttp: true }],
      credentials: { kubernetes: false },
      network: { budget: '3s' },
    },
  });
  t.teardown(() => webhook.close());
  for (const server of [challenger, metadataRealm]) {
    const answer = await webhook.review(admissionReview(deployment('realm', [`${server.host}/team/app:1.0`])));
    t.ok(server.hits() > 0, 'the (listed) registry itself was asked');
    t.equal(answer.body.response.allowed, true, 'admitted with a warning');
    t.match(findings(answer), [{ class: 'unreachable', outcome: 'blocked' }], 'the realm is refused by the guard');
  }
  t.equal(realmServer.connections(), 0, 'the realm server on 127.0.0.2 saw no connection');
});

t.test('the same hosts ARE contacted when listed under registries', async (t) => {
  const webhook = await startWebhookUnderTest({
    config: {
      registries: targets.filter((x) => x.server).map((x) => ({ host: x.listAs, plainHttp: true })),
      credentials: { kubernetes: false },
    },
  });
  t.teardown(() => webhook.close());
  for (const target of targets.filter((x) => x.server)) {
    const server = target.server as LoopbackServer;
    const before = server.requests().length;
    const answer = await webhook.review(admissionReview(deployment('listed', [target.image])));
    t.equal(answer.body.response.allowed, true, target.label);
    t.same(findings(answer), [], `${target.label}: found, no finding`);
    t.ok(server.requests().length > before, `${target.label}: the server was contacted`);
  }
});

t.test(
  'DNS: every record is checked, mapped addresses normalised, and the checked address is the one dialled',
  async (t) => {
    const built = buildConfig({
      registries: [{ host: `allowed.test:${v4.port}`, plainHttp: true }],
      credentials: { kubernetes: false },
    });
    if (!built.ok) throw new Error(built.problems.join('; '));
    const config: Config = built.config;
    const answers: Record<string, readonly { address: string; family: number }[]> = {
      'metadata.test': [{ address: '169.254.169.254', family: 4 }],
      'second-record.test': [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      'mapped.test': [{ address: '::ffff:169.254.169.254', family: 6 }],
      'mapped-hex.test': [{ address: '::ffff:7f00:1', family: 6 }],
      'link-local6.test': [{ address: 'fe80::1', family: 6 }],
      'allowed.test': [{ address: '127.0.0.1', family: 4 }],
    };
    const lookup: LookupFunction = async (hostname) => {
      const found = answers[hostname];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return found;
    };
    const resolver = createImageResolver({ config, lookup });
    t.teardown(() => resolver.close());
    const resolve = (text: string) =>
      resolver.resolve({ reference: parsed(text), credentials: [], signal: AbortSignal.timeout(5000) });
    const before = v4.connections();
    for (const host of ['metadata.test', 'second-record.test', 'mapped.test', 'mapped-hex.test', 'link-local6.test']) {
      t.match(await resolve(`${host}:${v4.port}/team/app:1.0`), { outcome: 'blocked' }, `${host} is blocked`);
    }
    t.equal(v4.connections(), before, 'no connection for any blocked name');
    // allowed.test does not exist in real DNS: reaching the server proves the socket went to the checked address.
    t.match(
      await resolve(`allowed.test:${v4.port}/team/app:1.0`),
      { outcome: 'found' },
      'a listed name resolving to loopback is used',
    );
    t.ok(v4.connections() > before, 'and the connection went to the address the guard checked');
    t.equal(failures.unhandledRejections() + failures.uncaughtExceptions(), 0, failures.describe());
  },
);

t.test('0.0.0.0 and [::] through DNS, a redirect and a token realm: refused, and no credential leaves', async (t) => {
  const answers: Record<string, readonly { address: string; family: number }[]> = {
    'zero.test': [{ address: '0.0.0.0', family: 4 }],
    'zero6.test': [{ address: '::', family: 6 }],
    'mapped-zero.test': [{ address: '::ffff:0.0.0.0', family: 6 }],
    'nat64-loop.test': [{ address: '64:ff9b::7f00:1', family: 6 }],
  };
  const lookup: LookupFunction = async (hostname) => {
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  // Where each attack would land: the loopback servers, reached through 0.0.0.0 / [::].
  const via = {
    'v4 literal': `0.0.0.0:${v4.port}`,
    'v6 literal': `[::]:${v6.port}`,
    'name to 0.0.0.0': `zero.test:${v4.port}`,
    'name to ::': `zero6.test:${v6.port}`,
    'name to ::ffff:0.0.0.0': `mapped-zero.test:${v4.port}`,
    'name to NAT64 of 127.0.0.1': `nat64-loop.test:${v4.port}`,
  };
  // Listed registries on 127.0.0.3: one redirecting every manifest request, one per token realm.
  const redirector = await startLoopbackServer((req, res) => {
    const [, key] = /^\/v2\/(\d+)\//.exec(req.url ?? '') ?? [];
    const host = Object.values(via)[Number(key)];
    if (req.url === '/v2/' || host === undefined) return json(res, 200, {});
    res.writeHead(307, { location: `http://${host}${req.url}`, 'content-length': '0' }).end();
  }, '127.0.0.3');
  const challengers = await Promise.all(
    Object.values(via).map((host) =>
      startLoopbackServer(
        (_req, res) =>
          json(
            res,
            401,
            { errors: [{ code: 'UNAUTHORIZED' }] },
            { 'www-authenticate': `Bearer realm="http://${host}/token",service="r5"` },
          ),
        '127.0.0.3',
      ),
    ),
  );
  t.teardown(() => Promise.all([redirector, ...challengers].map((s) => s.close())));
  const scratch = await mkdtemp(join(tmpdir(), 'pullguard-r5-'));
  t.teardown(() => rm(scratch, { recursive: true, force: true }));
  const dockerConfig = join(scratch, 'config.json');
  const password = `r5-planted-${process.pid}-${Date.now()}`;
  await writeFile(
    dockerConfig,
    JSON.stringify({ auths: Object.fromEntries(challengers.map((c) => [c.host, { username: 'alice', password }])) }),
  );
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: '127.0.0.3:*', plainHttp: true }],
      credentials: { kubernetes: false, dockerConfig },
      network: { budget: '3s', requestTimeout: '1s' },
    },
    lookup,
  });
  t.teardown(() => webhook.close());
  const before = [v4, v6].map((s) => s.connections());
  const labels = Object.keys(via);
  for (const [i, label] of labels.entries()) {
    const literal = await webhook.review(
      admissionReview(deployment('zero', [`${Object.values(via)[i]}/team/app:1.0`])),
    );
    t.match(
      findings(literal),
      [{ class: 'unreachable', outcome: 'blocked' }],
      `${label}: as the registry itself, blocked`,
    );
    const redirected = await webhook.review(
      admissionReview(deployment('redirect', [`${redirector.host}/${i}/app:1.0`])),
    );
    t.match(
      findings(redirected),
      [{ class: 'unreachable', outcome: 'blocked' }],
      `${label}: as a redirect target, blocked`,
    );
    const realm = await webhook.review(
      admissionReview(deployment('realm', [`${(challengers[i] as LoopbackServer).host}/team/app:1.0`])),
    );
    t.match(findings(realm), [{ class: 'unreachable', outcome: 'blocked' }], `${label}: as a token realm, blocked`);
  }
  t.ok(
    redirector.requests().some((r) => r.url.includes('/manifests/')),
    'the redirecting registry was asked',
  );
  t.ok(
    challengers.every((c) => c.requests().length > 0),
    'every challenging registry was asked',
  );
  t.same(
    [v4, v6].map((s) => s.connections()),
    before,
    'the loopback servers behind 0.0.0.0 and [::] saw no connection',
  );
  const sent = [v4, v6].flatMap((s) => s.requests()).filter((r) => r.headers.authorization !== undefined);
  t.same(sent, [], 'and so never a Basic credential meant for a realm');
  t.notOk(webhook.logs().includes(password), 'the password is not logged');
});

function parsed(text: string): ImageReference {
  const result = parseImageReference(text);
  if (!result.ok) throw new Error(`test reference ${text} does not parse: ${result.reason}`);
  return result.reference;
}

/**
 * What the node pulls, end to end through POST /validate: two real Distribution registries, one the mirror and one
 * the upstream, described by real containerd hosts.toml and CRI-O registries.conf files written to a temp dir and
 * read by `runtime:` at start-up (docs/design.md §1.10, docs/runtime.md). Request counts come from each
 * registry's own access log.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';
import { admissionReview, deployment, pod, startWebhookUnderTest } from '../helpers/engine-webhook.js';

const scratch = await mkdtemp(join(tmpdir(), 'pullguard-runtime-'));
t.teardown(() => rm(scratch, { recursive: true, force: true }));

const upstream = await startRegistry({ mode: 'plain' });
const mirror = await startRegistry({ mode: 'plain' });
t.teardown(() => Promise.all([upstream.stop(), mirror.stop()]));

// team/app: 1.0 upstream only, 2.0 on the mirror only, 3.0 nowhere. digests/app: 1.0 on the mirror only.
await pushImage(upstream, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
await pushImage(mirror, { repository: 'team/app', tags: ['2.0'], format: 'oci-manifest', salt: 'mirror' });
const mirrorDigest = await pushImage(mirror, {
  repository: 'digests/app',
  tags: ['1.0'],
  format: 'oci-index',
  platforms: [{ os: 'linux', architecture: 'amd64' }],
});

/** Both registries listed, as a test cluster whose registries run on loopback must: pullguard reaches them. */
const REGISTRIES = [{ host: '127.0.0.1:*', plainHttp: true }];

function messageOf(answer: { body: any }): string {
  return answer.body.response?.status?.message ?? '';
}

function classes(answer: { body: any }): string[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text).map((f: { class: string }) => f.class) : [];
}

async function hostsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'certs.d-'));
  for (const [host, text] of Object.entries(files)) {
    await mkdir(join(dir, host), { recursive: true });
    await writeFile(join(dir, host, 'hosts.toml'), text);
  }
  return dir;
}

async function registriesConf(text: string): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'containers-'));
  await writeFile(join(dir, 'registries.conf'), text);
  return join(dir, 'registries.conf');
}

async function webhookWith(runtime: object) {
  const webhook = await startWebhookUnderTest({
    config: { registries: REGISTRIES, credentials: { kubernetes: false }, runtime },
  });
  t.teardown(() => webhook.close());
  return webhook;
}

async function headsOn(reg: RegistryHandle): Promise<number> {
  return reg.manifestRequests('HEAD');
}

t.test('containerd: the mirror first, then the upstream on a not found, as containerd falls through', async (t) => {
  const dir = await hostsDir({
    [upstream.host]: `server = "http://${upstream.host}"\n\n[host."http://${mirror.host}"]\n  capabilities = ["pull", "resolve"]\n`,
  });
  const webhook = await webhookWith({ containerd: { hostsDir: dir } });
  const image = (tag: string) => `${upstream.host}/team/app:${tag}`;

  const mirrorBefore = await headsOn(mirror);
  const upstreamOnly = await webhook.review(admissionReview(deployment('up', [image('1.0')])));
  t.equal(upstreamOnly.body.response.allowed, true, 'missing on the mirror, present upstream: the node falls through');
  t.ok((await headsOn(mirror)) > mirrorBefore, 'the mirror was asked first');

  const upstreamBefore = await headsOn(upstream);
  const mirrorOnly = await webhook.review(admissionReview(deployment('mirror', [image('2.0')])));
  t.equal(mirrorOnly.body.response.allowed, true, 'present on the mirror only: allowed');
  t.equal(await headsOn(upstream), upstreamBefore, 'found on the mirror: the upstream is not asked');

  const nowhere = await webhook.review(admissionReview(deployment('nowhere', [image('3.0')])));
  t.equal(nowhere.body.response.allowed, false);
  t.same(classes(nowhere), ['notFound']);
  t.match(
    messageOf(nowhere),
    `It is missing on ${mirror.host} (mirror of ${upstream.host}) and on ${upstream.host}.`,
    'says where it was looked for, in the runtime order',
  );
});

t.test('containerd: server pointing at the mirror (air-gapped): the upstream is never asked', async (t) => {
  const dir = await hostsDir({ [upstream.host]: `server = "http://${mirror.host}"\n` });
  const webhook = await webhookWith({ containerd: { hostsDir: dir } });
  const before = await headsOn(upstream);
  const answer = await webhook.review(admissionReview(deployment('gap', [`${upstream.host}/team/app:1.0`])));
  t.equal(answer.body.response.allowed, false, 'present upstream but missing where the node pulls: denied');
  t.match(messageOf(answer), `tag "1.0" does not exist in ${mirror.host}/team/app`);
  t.equal(await headsOn(upstream), before, 'pullguard asked where the node pulls, not the upstream');
  const onMirror = await webhook.review(admissionReview(deployment('gap2', [`${upstream.host}/team/app:2.0`])));
  t.equal(onMirror.body.response.allowed, true);
});

t.test('containerd: a node-local mirror cannot be verified from the webhook: a warning, never a deny', async (t) => {
  const dir = await hostsDir({ _default: '[host."http://localhost:30500"]\n  capabilities = ["pull", "resolve"]\n' });
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: upstream.host, plainHttp: true }],
      credentials: { kubernetes: false },
      runtime: { containerd: { hostsDir: dir } },
    },
  });
  t.teardown(() => webhook.close());
  const answer = await webhook.review(admissionReview(deployment('local', [`${upstream.host}/team/app:3.0`])));
  t.equal(answer.body.response.allowed, true);
  t.same(classes(answer), ['nodeLocal']);
  t.match(answer.body.response.warnings?.[0] ?? '', /localhost:30500 is reachable only from the node/);

  const rewritten = await webhook.review(admissionReview(pod('kuik', ['localhost:7439/team/app:1.0'])));
  t.equal(rewritten.body.response.allowed, true, 'an image rewritten to a node-local cache is admitted unverified');
  t.same(classes(rewritten), ['nodeLocal']);
});

t.test('CRI-O: mirrors, digest-only mirrors, blocked registries, short names and aliases', async (t) => {
  const conf = await registriesConf(
    [
      `unqualified-search-registries = ["${upstream.host}", "${mirror.host}"]`,
      'short-name-mode = "enforcing"',
      '',
      '[aliases]',
      `"app" = "${upstream.host}/team/app"`,
      '',
      '[[registry]]',
      `prefix = "${upstream.host}/team"`,
      `location = "${upstream.host}/team"`,
      '[[registry.mirror]]',
      `location = "${mirror.host}/team"`,
      '',
      '[[registry]]',
      `prefix = "${upstream.host}/digests"`,
      `location = "${upstream.host}/digests"`,
      'mirror-by-digest-only = true',
      '[[registry.mirror]]',
      `location = "${mirror.host}/digests"`,
      '',
      '[[registry]]',
      'prefix = "registry.untrusted.example"',
      'blocked = true',
    ].join('\n'),
  );
  const webhook = await webhookWith({ crio: { registriesConf: conf } });

  const onMirror = await webhook.review(admissionReview(deployment('m', [`${upstream.host}/team/app:2.0`])));
  t.equal(onMirror.body.response.allowed, true, 'found on the mirror');

  const tagOnDigestMirror = await webhook.review(
    admissionReview(deployment('d', [`${upstream.host}/digests/app:1.0`])),
  );
  t.equal(tagOnDigestMirror.body.response.allowed, false, 'a digest-only mirror is not asked for a tag');
  t.match(messageOf(tagOnDigestMirror), `Not asked: ${mirror.host} (mirror-by-digest-only`);
  const digestOnDigestMirror = await webhook.review(
    admissionReview(deployment('dd', [`${upstream.host}/digests/app@${mirrorDigest.digest}`])),
  );
  t.equal(digestOnDigestMirror.body.response.allowed, true, 'the digest-only mirror serves the digest');

  const before = [await headsOn(upstream), await headsOn(mirror)];
  const blocked = await webhook.review(admissionReview(deployment('b', ['registry.untrusted.example/x/y:1'])));
  t.equal(blocked.body.response.allowed, false);
  t.same(classes(blocked), ['blockedRegistry']);
  t.match(messageOf(blocked), 'prefix "registry.untrusted.example"');

  const ambiguous = await webhook.review(admissionReview(deployment('s', ['nginx:1.27'])));
  t.equal(ambiguous.body.response.allowed, false);
  t.same(classes(ambiguous), ['ambiguousShortName']);
  t.match(messageOf(ambiguous), `Fix: write the fully qualified name, e.g. ${upstream.host}/nginx:1.27.`);
  t.same([await headsOn(upstream), await headsOn(mirror)], before, 'refusals need no registry request');

  const aliased = await webhook.review(admissionReview(deployment('a', ['app:2.0'])));
  t.equal(aliased.body.response.allowed, true, 'the alias resolves the short name to a repository with a mirror');
  const aliasedMissing = await webhook.review(admissionReview(deployment('a2', ['app:3.0'])));
  t.equal(aliasedMissing.body.response.allowed, false);
  t.match(messageOf(aliasedMissing), `"app:3.0" (${upstream.host}/team/app:3.0)`, 'names what the alias pulls');
  t.match(
    messageOf(aliasedMissing),
    `It is missing on ${mirror.host} (mirror of ${upstream.host}) and on ${upstream.host}`,
  );
});

t.test('a Windows pod: the platform check reads the index the node would pull, on the mirror', async (t) => {
  const dir = await hostsDir({
    [upstream.host]: `server = "http://${upstream.host}"\n\n[host."http://${mirror.host}"]\n`,
  });
  const webhook = await startWebhookUnderTest({
    config: {
      registries: REGISTRIES,
      credentials: { kubernetes: false },
      platforms: ['linux/amd64', 'windows/amd64'],
      runtime: { containerd: { hostsDir: dir } },
    },
  });
  t.teardown(() => webhook.close());
  const image = `${upstream.host}/digests/app:1.0`;
  const windows = await webhook.review(admissionReview(pod('win', [image], { os: { name: 'windows' } })));
  t.equal(windows.body.response.allowed, false, 'the linux-only index on the mirror cannot run on windows');
  t.same(classes(windows), ['platformMismatch']);
  const linux = await webhook.review(admissionReview(pod('lin', [image], { os: { name: 'linux' } })));
  t.equal(linux.body.response.allowed, true);
});

t.test('runtime files that do not parse stop start-up with the file and line', async (t) => {
  const dir = await hostsDir({ [upstream.host]: 'server = "http://x"\n[host."http://y"\n' });
  await t.rejects(webhookWith({ containerd: { hostsDir: dir } }), {
    code: 'PG_RUNTIME_FILES_INVALID',
    message: new RegExp(`${upstream.host.replace('.', '\\.')}/hosts\\.toml:2: invalid TOML`),
  });
  await t.rejects(webhookWith({ crio: { registriesConf: join(scratch, 'nope.conf') } }), {
    code: 'PG_RUNTIME_FILES_UNREADABLE',
  });
});

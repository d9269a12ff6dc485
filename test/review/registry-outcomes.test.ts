/**
 * Every registry outcome class, end to end through POST /validate, against the real Distribution registry in each
 * auth mode (issue 3). Counts come from the registry's own access log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  dockerConfigJson,
  pushImage,
  startFaultServer,
  startRegistry,
  type RegistryHandle,
} from '../harness/registry/index.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
t.teardown(() => {
  if (unhandled.length > 0) throw new Error(`unhandled rejections: ${unhandled.length}`);
});

const scratch = await mkdtemp(join(tmpdir(), 'pullguard-dockercfg-'));
t.teardown(() => rm(scratch, { recursive: true, force: true }));

async function dockerConfigFile(reg: RegistryHandle, user: string, password?: string): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'cfg-'));
  const file = join(dir, 'config.json');
  const text =
    password === undefined
      ? dockerConfigJson(reg, user)
      : JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } });
  await writeFile(file, text);
  return file;
}

function messageOf(answer: { body: any }): string {
  return answer.body.response?.status?.message ?? '';
}

function auditClasses(answer: { body: any }): string[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text).map((f: { class: string }) => f.class) : [];
}

t.test('plain registry: existence, missing tags, digests and repositories, index formats', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  const app = await pushImage(reg, {
    repository: 'team/app',
    tags: ['1.0.0', '1.1.0', '1.2.0', 'v2'],
    format: 'oci-manifest',
  });
  const multi = await pushImage(reg, {
    repository: 'team/multi',
    tags: ['1.0'],
    format: 'oci-index',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
  await pushImage(reg, {
    repository: 'team/legacy',
    tags: ['1.0'],
    format: 'docker-list',
    platforms: [{ os: 'linux', architecture: 'amd64' }],
  });
  const webhook = await startWebhookUnderTest({
    config: { registries: [{ host: reg.host, plainHttp: true }], credentials: { kubernetes: false } },
  });
  t.teardown(() => webhook.close());

  const ok = await webhook.review(
    admissionReview(
      deployment('ok', [
        `${reg.host}/team/app:1.0.0`,
        `${reg.host}/team/multi:1.0`,
        `${reg.host}/team/legacy:1.0`,
        `${reg.host}/team/app@${app.digest}`,
      ]),
    ),
  );
  t.equal(ok.statusCode, 200);
  t.equal(ok.body.response.allowed, true, 'existing tags, an OCI index, a Docker list and a digest are allowed');
  t.same(ok.body.response.warnings ?? [], [], 'with no warning');
  t.equal(await reg.manifestRequests('GET'), 0, 'existence is checked with HEAD, never GET');

  const missingTag = await webhook.review(admissionReview(deployment('missing', [`${reg.host}/team/app:1.3.0`])));
  t.equal(missingTag.body.response.allowed, false);
  t.equal(missingTag.body.response.status.code, 403);
  t.match(messageOf(missingTag), /^1 of 1 image in Deployment shop\/missing would fail to pull/);
  t.match(messageOf(missingTag), /container "c0" \(spec\.template\.spec\.containers\[0\]\.image\)/);
  t.match(messageOf(missingTag), /tag "1\.3\.0" does not exist/);
  t.match(messageOf(missingTag), /Closest tags: 1\.2\.0/, 'suggests the closest existing tag');

  const missingDigest = await webhook.review(
    admissionReview(deployment('digest', [`${reg.host}/team/app@sha256:${'0'.repeat(64)}`])),
  );
  t.equal(missingDigest.body.response.allowed, false);
  t.match(messageOf(missingDigest), /digest sha256:0{64} does not exist/);

  const missingRepo = await webhook.review(admissionReview(deployment('repo', [`${reg.host}/team/nosuchrepo:1.0`])));
  t.equal(missingRepo.body.response.allowed, false);
  t.match(
    messageOf(missingRepo),
    /repository .*team\/nosuchrepo does not exist\. Fix: check the image name/,
    'says the whole repository is missing',
  );
  t.same(auditClasses(missingRepo), ['notFound']);
  t.ok(multi.digest.startsWith('sha256:'));
});

t.test('caching and coalescing: 100 concurrent reviews of one cold image make one manifest request', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/hot', tags: ['1.0'], format: 'oci-manifest' });
  const webhook = await startWebhookUnderTest({
    config: { registries: [{ host: reg.host, plainHttp: true }], credentials: { kubernetes: false } },
  });
  t.teardown(() => webhook.close());
  const before = await reg.manifestRequests();
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      webhook.review(admissionReview(deployment(`hot-${i}`, [`${reg.host}/team/hot:1.0`]))),
    ),
  );
  t.ok(
    answers.every((a) => a.body.response.allowed === true),
    'all allowed',
  );
  t.equal((await reg.manifestRequests()) - before, 1, 'exactly one manifest request');
  await webhook.review(admissionReview(deployment('again', [`${reg.host}/team/hot:1.0`])));
  t.equal((await reg.manifestRequests()) - before, 1, 'a repeat is served from the cache');
  const metrics = await webhook.metrics();
  t.match(metrics, /pullguard_cache_requests_total\{result="hit"\} [1-9]/);
  t.match(metrics, /pullguard_image_checks_total\{outcome="found",registry="[^"]+"\} [1-9]/);
});

t.test('basic auth over TLS: good, wrong and missing credentials', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/private', tags: ['1.0'], format: 'oci-manifest' });
  const image = `${reg.host}/team/private:1.0`;
  const registries = [{ host: reg.host, caFile: reg.caFile }];

  const good = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: false, dockerConfig: await dockerConfigFile(reg, 'alice') } },
  });
  t.teardown(() => good.close());
  const allowed = await good.review(admissionReview(deployment('good', [image])));
  t.equal(allowed.body.response.allowed, true, 'the right password pulls');

  const planted = 'planted-Wr0ng-pa55word';
  const wrongFile = await dockerConfigFile(reg, 'alice', planted);
  const wrong = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: false, dockerConfig: wrongFile } },
  });
  t.teardown(() => wrong.close());
  const refused = await wrong.review(admissionReview(deployment('wrong', [image])));
  t.equal(refused.body.response.allowed, false);
  t.same(auditClasses(refused), ['unauthorized']);
  t.match(messageOf(refused), /rejected the credentials from docker config|refused access/);
  t.notMatch(refused.raw, planted, 'the password is not in the response');
  t.notMatch(wrong.logs(), planted, 'the password is not in any log line');
  t.notMatch(wrong.logs(), Buffer.from(`alice:${planted}`).toString('base64'), 'nor its auth string');
  t.notMatch(await wrong.metrics(), planted, 'nor in metrics');

  const none = await startWebhookUnderTest({ config: { registries, credentials: { kubernetes: false } } });
  t.teardown(() => none.close());
  const anonymous = await none.review(admissionReview(deployment('anon', [image])));
  t.equal(anonymous.body.response.allowed, false);
  t.match(messageOf(anonymous), /requires authentication and no imagePullSecret of this pod has credentials for it/);
  t.match(
    messageOf(anonymous),
    new RegExp(`kubectl create secret docker-registry regcred --docker-server=${reg.host.replace(/\./g, '\\.')}`),
  );
  t.match(messageOf(anonymous), /spec\.template\.spec\.imagePullSecrets/);
});

t.test('token auth: credentials, wrong password, anonymous, token reuse within a repository', async (t) => {
  const reg = await startRegistry({ mode: 'token' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'team/app', tags: ['1', '2', '3'], format: 'oci-manifest' });
  await pushImage(reg, { repository: 'public/tool', tags: ['1'], format: 'oci-manifest' });
  const registries = [{ host: '127.0.0.1:*', caFile: reg.caFile }];

  const alice = await startWebhookUnderTest({
    config: { registries, credentials: { kubernetes: false, dockerConfig: await dockerConfigFile(reg, 'alice') } },
  });
  t.teardown(() => alice.close());
  const tokensBefore = reg.tokenServer!.requests();
  const ok = await alice.review(
    admissionReview(deployment('tok', [`${reg.host}/team/app:1`, `${reg.host}/team/app:2`, `${reg.host}/team/app:3`])),
  );
  t.equal(ok.body.response.allowed, true, 'alice pulls with a token');
  t.equal(reg.tokenServer!.requests() - tokensBefore, 1, 'one token serves every image of the repository scope');
  const missing = await alice.review(admissionReview(deployment('tok-missing', [`${reg.host}/team/app:9`])));
  t.equal(missing.body.response.allowed, false);
  t.match(messageOf(missing), /tag "9" does not exist/);

  const planted = 'planted-T0ken-pa55';
  const wrong = await startWebhookUnderTest({
    config: {
      registries,
      credentials: { kubernetes: false, dockerConfig: await dockerConfigFile(reg, 'alice', planted) },
    },
  });
  t.teardown(() => wrong.close());
  const refused = await wrong.review(admissionReview(deployment('tok-wrong', [`${reg.host}/team/app:1`])));
  t.equal(refused.body.response.allowed, false);
  t.match(messageOf(refused), /rejected the credentials from docker config/);
  t.notMatch(refused.raw + wrong.logs(), planted);

  const anonymous = await startWebhookUnderTest({ config: { registries, credentials: { kubernetes: false } } });
  t.teardown(() => anonymous.close());
  const publicImage = await anonymous.review(admissionReview(deployment('tok-public', [`${reg.host}/public/tool:1`])));
  t.equal(publicImage.body.response.allowed, true, 'anonymous tokens pull public repositories');
  const privateImage = await anonymous.review(admissionReview(deployment('tok-private', [`${reg.host}/team/app:1`])));
  t.equal(privateImage.body.response.allowed, false, 'anonymous access to a private repository is refused');
  t.same(auditClasses(privateImage), ['unauthorized']);
});

t.test('infrastructure failures warn and never deny', async (t) => {
  const hang = await startFaultServer('hang');
  const limited = await startFaultServer('rate-limited');
  const refusedPort = await closedPort();
  t.teardown(() => Promise.all([hang.close(), limited.close()]));
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: '127.0.0.1:*', plainHttp: true }],
      credentials: { kubernetes: false },
    },
  });
  t.teardown(() => webhook.close());

  const slow = await webhook.review(admissionReview(deployment('hang', [`${hang.host}/team/app:1`])), {
    timeout: '3s',
  });
  t.ok(slow.elapsedMs < 3000, `answered inside the 3s timeout (${Math.round(slow.elapsedMs)} ms)`);
  t.equal(slow.body.response.allowed, true);
  t.same(auditClasses(slow), ['timeout']);
  t.match(
    slow.body.response.warnings.join('\n'),
    /cannot verify .* \(registry timeout after [\d.]+s\); admitted anyway/,
  );

  const refused = await webhook.review(admissionReview(deployment('refused', [`127.0.0.1:${refusedPort}/team/app:1`])));
  t.equal(refused.body.response.allowed, true);
  t.same(auditClasses(refused), ['unreachable']);

  const rate = await webhook.review(admissionReview(deployment('rate', [`${limited.host}/team/app:1`])));
  t.equal(rate.body.response.allowed, true);
  t.same(auditClasses(rate), ['rateLimited']);

  const metadata = await webhook.review(admissionReview(deployment('metadata', ['169.254.169.254/latest/app:1'])));
  t.equal(metadata.body.response.allowed, true);
  t.match(JSON.parse(metadata.body.response.auditAnnotations.findings)[0], {
    class: 'unreachable',
    outcome: 'blocked',
  });
  t.equal(unhandled.length, 0, 'no unhandled rejection');
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('an untagged image is checked as :latest through a review', async (t) => {
  const reg = await startRegistry({ mode: 'plain' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'library/nginx', tags: ['latest'], format: 'oci-manifest' });
  await pushImage(reg, { repository: 'team/nolatest', tags: ['1.0.0'], format: 'oci-manifest' });
  const webhook = await startWebhookUnderTest({
    config: { registries: [{ host: reg.host, plainHttp: true }], credentials: { kubernetes: false } },
  });
  t.teardown(() => webhook.close());

  const untagged = await webhook.review(admissionReview(deployment('web', [`${reg.host}/library/nginx`])));
  t.equal(untagged.statusCode, 200);
  t.equal(untagged.body.response.allowed, true, 'allowed: :latest exists');
  t.notOk(auditClasses(untagged).includes('notFound'), 'not reported missing');
  t.ok(
    (await reg.accessLog()).some((line) => line.uri === '/v2/library/nginx/manifests/latest' && line.status === 200),
    'the registry was asked for manifests/latest',
  );

  const noLatest = await webhook.review(admissionReview(deployment('tool', [`${reg.host}/team/nolatest`])));
  t.equal(noLatest.body.response.allowed, false, 'denied: the repository has no latest tag');
  t.match(messageOf(noLatest), /tag "latest" does not exist/);
  t.match(messageOf(noLatest), /Closest tags: 1\.0\.0/);
});

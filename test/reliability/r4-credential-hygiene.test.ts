/**
 * docs/design.md §7.2 R4: credential hygiene. Planted passwords, `auth` strings and tokens (in a Docker config file and
 * in Kubernetes Secrets served by the fake API) never appear in logs, metrics, responses or thrown errors, whatever
 * path a review takes: found, wrong password, token refused, redirect, 5xx, timeout, undecodable secrets.
 * Credentials never follow a redirect to another host, and a realm that fails the SSRF guard never receives them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { composeEngine } from '../../src/cli/compose-engine.js';
import { buildConfig } from '../../src/config/load-config.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';
import { pushImage, startFaultServer, startRegistry } from '../harness/registry/index.js';
import { admissionReview, pod, startWebhookUnderTest, type ReviewAnswer } from '../helpers/engine-webhook.js';
import { json, slowRegistryHandler, startLoopbackServer } from './support/loopback-servers.js';
import { countProcessFailures } from './support/process-guards.js';

const nonce = randomBytes(6).toString('hex');
const PASSWORD = `planted-Pa55-${nonce}`;
const AUTH = Buffer.from(`alice:${PASSWORD}`).toString('base64');
const BEARER = `planted-bearer-${nonce}`;
const ISSUED = `planted-issued-token-${nonce}`;

const failures = countProcessFailures();
t.teardown(() => failures.dispose());
const scratch = await mkdtemp(join(tmpdir(), 'pullguard-r4-'));
t.teardown(() => rm(scratch, { recursive: true, force: true }));

const basicReg = await startRegistry({ mode: 'basic' });
t.teardown(() => basicReg.stop());
const tokenReg = await startRegistry({ mode: 'token' });
t.teardown(() => tokenReg.stop());
await pushImage(basicReg, { repository: 'team/private', tags: ['1.0'], format: 'oci-manifest' });
await pushImage(tokenReg, { repository: 'team/app', tags: ['1'], format: 'oci-manifest' });

// B (127.0.0.2, listed) serves the manifest A redirects to; it must never see an Authorization header.
const redirectTarget = await startLoopbackServer(slowRegistryHandler(0), '127.0.0.2');
const redirector = await startLoopbackServer((req, res) => {
  if (!req.headers.authorization)
    return json(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': 'Basic realm="r4"' });
  if (req.url === '/v2/') return json(res, 200, {});
  res.writeHead(307, { location: `${redirectTarget.url}${req.url}`, 'content-length': '0' }).end();
});
// A Bearer registry whose realm issues a planted token; the manifest then fails with a 500.
const tokenIssuer = await startLoopbackServer((_req, res) => json(res, 200, { token: ISSUED, expires_in: 300 }));
const bearerRegistry = await startLoopbackServer((req, res) => {
  if (req.headers.authorization === `Bearer ${ISSUED}`) return json(res, 500, { errors: [{ code: 'UNKNOWN' }] });
  json(
    res,
    401,
    { errors: [{ code: 'UNAUTHORIZED' }] },
    { 'www-authenticate': `Bearer realm="${tokenIssuer.url}/token",service="r4"` },
  );
});
const realmSink = await startLoopbackServer((_req, res) => json(res, 200, { token: 'x' }), '127.0.0.2');
const blockedRealm = await startFaultServer('blocked-realm', { realm: `http://${realmSink.host}/token` });
const status500 = await startFaultServer('status-500');
const hang = await startFaultServer('hang');
t.teardown(() =>
  Promise.all(
    [redirectTarget, redirector, tokenIssuer, bearerRegistry, realmSink, blockedRealm, status500, hang].map((s) =>
      s.close(),
    ),
  ),
);

const planted = [PASSWORD, AUTH, BEARER, ISSUED, ...Object.values(basicReg.users), ...Object.values(tokenReg.users)];
planted.push(
  ...Object.entries(basicReg.users).map(([user, password]) => Buffer.from(`${user}:${password}`).toString('base64')),
);

const plantedEntry = { auth: AUTH, identitytoken: BEARER, registrytoken: BEARER };
const staticConfig = join(scratch, 'config.json');
await writeFile(
  staticConfig,
  JSON.stringify({
    auths: Object.fromEntries(
      [redirector, bearerRegistry, blockedRealm, status500, hang].map((s) => [s.host, plantedEntry]),
    ),
  }),
);

const kube = await startFakeKubeApi();
t.teardown(() => kube.close());
const secret = (name: string, dockerconfigjson: string) =>
  kube.addSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'shop', name },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': dockerconfigjson },
  });
kube.addNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
secret(
  'good',
  JSON.stringify({ auths: { [basicReg.host]: { username: 'alice', password: basicReg.users['alice'] } } }),
);
secret('wrong-basic', JSON.stringify({ auths: { [basicReg.host]: plantedEntry } }));
secret(
  'wrong-token',
  JSON.stringify({ auths: { [tokenReg.host]: { username: 'alice', password: PASSWORD, identitytoken: BEARER } } }),
);
secret('broken-json', `{"auths":{"${basicReg.host}":{"username":"alice","password":"${PASSWORD}"`);
secret('broken-auth', JSON.stringify({ auths: { [basicReg.host]: { auth: `!!${PASSWORD}!!` } } }));

const webhook = await startWebhookUnderTest({
  config: {
    registries: [
      { host: basicReg.host, caFile: basicReg.caFile },
      { host: tokenReg.host, caFile: tokenReg.caFile },
      { host: redirectTarget.host, plainHttp: true },
      { host: '127.0.0.1:*', plainHttp: true },
    ],
    credentials: { kubernetes: true, dockerConfig: staticConfig },
    network: { requestTimeout: '1s' },
  },
  kubeconfigPath: kube.kubeconfigPath,
});
t.teardown(() => webhook.close());

const answers: ReviewAnswer[] = [];
async function review(
  image: string,
  secrets: string[] = [],
  timeout = '10s',
): Promise<{ allowed: boolean; classes: string[] }> {
  const answer = await webhook.review(
    admissionReview(pod('r4', [image], { imagePullSecrets: secrets.map((name) => ({ name })) })),
    { timeout },
  );
  answers.push(answer);
  const findings = answer.body.response?.auditAnnotations?.findings;
  return {
    allowed: answer.body.response?.allowed,
    classes: findings
      ? JSON.parse(findings)
          .map((f: { class: string }) => f.class)
          .sort()
      : [],
  };
}

t.test('every credential path gives its own outcome', async (t) => {
  t.same(
    await review(`${basicReg.host}/team/private:1.0`, ['good']),
    { allowed: true, classes: [] },
    'found with the right password',
  );
  t.same(
    await review(`${basicReg.host}/team/private:1.0`, ['wrong-basic']),
    { allowed: false, classes: ['unauthorized'] },
    'Basic: wrong password',
  );
  t.same(
    await review(`${tokenReg.host}/team/app:1`, ['wrong-token']),
    { allowed: false, classes: ['unauthorized'] },
    'Bearer: the token endpoint refuses',
  );
  t.same(
    (await review(`${basicReg.host}/team/private:1.0`, ['broken-json'])).classes.includes('invalidPullSecret'),
    true,
    'undecodable secret JSON',
  );
  t.same(
    (await review(`${basicReg.host}/team/private:1.0`, ['broken-auth'])).classes.includes('invalidPullSecret'),
    true,
    'undecodable auth',
  );
  t.same(
    await review(`${redirector.host}/team/app:1.0`),
    { allowed: true, classes: [] },
    'found through a redirect to another host',
  );
  t.same(
    await review(`${bearerRegistry.host}/team/app:1.0`),
    { allowed: true, classes: ['unreachable'] },
    'a planted issued token, then a 500',
  );
  t.same(await review(`${status500.host}/team/app:1.0`), { allowed: true, classes: ['unreachable'] }, '5xx');
  t.same(await review(`${hang.host}/team/app:1.0`, [], '3s'), { allowed: true, classes: ['timeout'] }, 'timeout');
  t.same(
    await review(`${blockedRealm.host}/team/app:1.0`),
    { allowed: true, classes: ['unreachable'] },
    'a realm the guard refuses',
  );
});

t.test('credentials go only where their key matches, never across a redirect, never to a refused realm', async (t) => {
  const basic = `Basic ${AUTH}`;
  t.ok(
    redirector.requests().some((r) => r.headers.authorization === basic),
    'the registry whose key matches got the credentials',
  );
  t.ok(redirectTarget.requests().length > 0, 'the redirect was followed');
  t.same(
    redirectTarget
      .requests()
      .filter((r) => r.headers.authorization !== undefined)
      .map((r) => r.url),
    [],
    'the other host never saw an Authorization header',
  );
  t.ok(
    tokenIssuer.requests().every((r) => r.headers.authorization === undefined || r.headers.authorization === basic),
    "the realm got only its registry's credentials",
  );
  t.equal(realmSink.connections(), 0, 'the blocked realm was never contacted');
  t.ok(blockedRealm.hits() > 0, 'while its registry was');
});

t.test('no planted secret in responses, logs, metrics or errors', async (t) => {
  const logs = webhook.logs();
  const metrics = await webhook.metrics();
  t.ok(answers.length >= 10 && logs.length > 0);
  for (const secretText of planted) {
    t.notOk(
      answers.some((a) => a.raw.includes(secretText)),
      `not in any response: ${secretText.slice(0, 6)}…`,
    );
    t.notOk(logs.includes(secretText), `not in the logs: ${secretText.slice(0, 6)}…`);
    t.notOk(metrics.includes(secretText), `not in the metrics: ${secretText.slice(0, 6)}…`);
  }
});

t.test('start-up errors about a broken Docker config do not quote it', async (t) => {
  const cases = {
    'truncated JSON': `{"auths":{"registry.example.com":{"username":"alice","password":"${PASSWORD}"`,
    'undecodable auth': JSON.stringify({ auths: { 'registry.example.com': { auth: `!!${PASSWORD}!!` } } }),
    'auth without a colon': JSON.stringify({
      auths: { 'registry.example.com': { auth: Buffer.from(PASSWORD).toString('base64') } },
    }),
    'wrong type': JSON.stringify({ auths: { 'registry.example.com': { username: 1, password: [PASSWORD] } } }),
  };
  for (const [label, text] of Object.entries(cases)) {
    const file = join(scratch, `${label.replace(/\W/g, '-')}.json`);
    await writeFile(file, text);
    const built = buildConfig({ credentials: { dockerConfig: file, kubernetes: false } });
    if (!built.ok) throw new Error(built.problems.join('; '));
    let message = '';
    try {
      const engine = await composeEngine({ config: built.config });
      await engine.close();
    } catch (error) {
      message = `${(error as Error).message} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
    }
    t.notMatch(message, PASSWORD, `${label}: the error does not quote the password`);
    t.notMatch(message, Buffer.from(PASSWORD).toString('base64'), `${label}: nor its base64`);
  }
  t.equal(failures.unhandledRejections() + failures.uncaughtExceptions(), 0, failures.describe());
});

/**
 * `pullguard check` against the real Distribution registry (test/harness/registry): the same engine as the webhook,
 * so an image that exists passes, a missing tag is denied with the webhook's not-found message, a foreign platform
 * is a mismatch, and credentials come from the user's Docker config.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { pushImage, startRegistry, type PushedImage, type RegistryHandle } from '../harness/registry/index.js';
import { fakeIo } from './fake-io.js';
import { parseRecords } from './record-schema.js';
import { runPullguard } from './run-binary.js';
import { startFakeKubeApi } from '../harness/fake-kube-api/fake-kube-api.js';

function deployment(name: string, images: readonly string[]): string {
  const containers = images
    .map((image, i) => `        - name: c${i}\n          image: ${JSON.stringify(image)}\n`)
    .join('');
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;
}

let dir: string;
let plain: RegistryHandle;
let multiArch: PushedImage;

t.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullguard-check-registry-'));
  plain = await startRegistry({ mode: 'plain' });
  multiArch = await pushImage(plain, {
    repository: 'team/app',
    tags: ['v1', 'v1.1'],
    format: 'oci-index',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
  });
  // Loopback is in the default network.blockedCidrs: listing the host under registries: lets pullguard contact it.
  await writeFile(
    join(dir, 'plain.yaml'),
    `registries:\n  - host: "127.0.0.1:*"\n    plainHttp: true\nnetwork:\n  budget: 5s\n  requestTimeout: 2s\n`,
  );
});
t.teardown(async () => {
  await plain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

t.test('an image that exists is allowed (exit 0), with its digest', async (t) => {
  await writeFile(
    join(dir, 'good.yaml'),
    deployment('web', [`${plain.host}/team/app:v1`, `${plain.host}/team/app:v1.1`]),
  );
  const io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'good.yaml', '--config', 'plain.yaml', '-o', 'json'], io), 0, io.err());
  const records = parseRecords(t, io.out());
  t.same(
    records.map((r) => [r.reference, r.outcome, r.class, r.verdict, r.digest]),
    [
      [`${plain.host}/team/app:v1`, 'found', null, 'allow', multiArch.digest],
      [`${plain.host}/team/app:v1.1`, 'found', null, 'allow', multiArch.digest],
    ],
  );
});

t.test('a missing tag is denied (exit 1) with the not-found message of the webhook', async (t) => {
  await writeFile(
    join(dir, 'missing.yaml'),
    deployment('web', [`${plain.host}/team/app:v1`, `${plain.host}/team/app:v9`, `${plain.host}/team/nope:1.0`]),
  );
  let io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'missing.yaml', '--config', 'plain.yaml', '-o', 'json'], io), 1);
  const [found, tag, repo] = parseRecords(t, io.out());
  t.same([found?.outcome, found?.verdict], ['found', 'allow']);
  t.same(
    [tag?.outcome, tag?.class, tag?.verdict, tag?.container, tag?.path],
    ['not-found', 'notFound', 'deny', 'c1', 'spec.template.spec.containers[1].image'],
  );
  t.match(
    tag?.message,
    new RegExp(`^tag "v9" does not exist in ${plain.host.replace(/\./g, '\\.')}/team/app\\. Closest tags: .*v1.*Fix: `),
  );
  t.same([repo?.outcome, repo?.class, repo?.verdict], ['not-found', 'notFound', 'deny']);

  io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'missing.yaml', '--config', 'plain.yaml'], io), 1);
  t.match(
    io.out(),
    /DENY {2}Deployment shop\/web \(line 1\)\n {8}2 of 3 images in Deployment shop\/web would fail to pull \(ErrImagePull\/ImagePullBackOff\):\n {8}- container "c1" \(spec\.template\.spec\.containers\[1\]\.image\): .*tag "v9" does not exist/,
  );
  t.match(io.out(), /\n1 object, 3 images: 2 denied, 0 warnings\n$/);
});

t.test("runtime: the nodes' CRI-O files apply to check too: blocked registries and short names", async (t) => {
  await writeFile(
    join(dir, 'registries.conf'),
    'unqualified-search-registries = ["registry.fedoraproject.org", "docker.io"]\nshort-name-mode = "enforcing"\n' +
      '[[registry]]\nprefix = "registry.untrusted.example"\nblocked = true\n',
  );
  await writeFile(
    join(dir, 'crio.yaml'),
    `registries:\n  - host: "127.0.0.1:*"\n    plainHttp: true\nruntime:\n  crio:\n    registriesConf: ${join(dir, 'registries.conf')}\n`,
  );
  await writeFile(
    join(dir, 'crio-images.yaml'),
    deployment('web', [`${plain.host}/team/app:v1`, 'registry.untrusted.example/x:1', 'redis:7']),
  );
  const io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'crio-images.yaml', '--config', 'crio.yaml', '-o', 'json'], io), 1, io.err());
  const [found, blocked, short] = parseRecords(t, io.out());
  t.same([found?.class, found?.verdict], [undefined, 'allow']);
  t.same([blocked?.class, blocked?.verdict], ['blockedRegistry', 'deny']);
  t.same([short?.class, short?.verdict], ['ambiguousShortName', 'deny']);
  t.match(short?.message, 'e.g. docker.io/library/redis:7');
});

t.test('runtime: a containerd mirror that has the image is where the node finds it (foundOn)', async (t) => {
  await mkdir(join(dir, 'certs.d', 'upstream.example:5000'), { recursive: true });
  await writeFile(
    join(dir, 'certs.d', 'upstream.example:5000', 'hosts.toml'),
    `[host."http://${plain.host}"]\n  capabilities = ["pull", "resolve"]\n`,
  );
  await writeFile(
    join(dir, 'containerd.yaml'),
    `registries:\n  - host: "127.0.0.1:*"\n    plainHttp: true\nruntime:\n  containerd:\n    hostsDir: ${join(dir, 'certs.d')}\n`,
  );
  await writeFile(join(dir, 'mirrored.yaml'), deployment('web', ['upstream.example:5000/team/app:v1']));
  const io = fakeIo({ cwd: dir });
  t.equal(await checkCli(['-f', 'mirrored.yaml', '--config', 'containerd.yaml', '-o', 'json'], io), 0, io.err());
  const [record] = parseRecords(t, io.out());
  t.same(
    [record?.outcome, record?.verdict, record?.foundOn],
    ['found', 'allow', `${plain.host} (mirror of upstream.example:5000)`],
  );
});

t.test('--platform: a multi-arch image with no variant for the platform is denied', async (t) => {
  await writeFile(join(dir, 'platform.yaml'), deployment('web', [`${plain.host}/team/app:v1`]));
  const run = async (platform: string) => {
    const io = fakeIo({ cwd: dir });
    const code = await checkCli(
      ['-f', 'platform.yaml', '--config', 'plain.yaml', '-o', 'json', '--platform', platform],
      io,
    );
    return { code, record: parseRecords(t, io.out())[0] };
  };
  const arm = await run('linux/arm64');
  t.same([arm.code, arm.record?.class, arm.record?.verdict], [0, null, 'allow'], 'arm64 has a variant');
  const s390x = await run('linux/s390x');
  t.same(
    [s390x.code, s390x.record?.outcome, s390x.record?.class, s390x.record?.verdict],
    [1, 'found', 'platformMismatch', 'deny'],
    's390x has none',
  );
  const both = await run('linux/amd64,linux/s390x');
  t.same(
    [both.code, both.record?.class, both.record?.verdict],
    [0, 'platformPartial', 'warn'],
    'some platforms only: a warning',
  );
});

t.test(
  "without a registries: entry a loopback registry is the node's own (nodeLocal): a warning, never asked",
  async (t) => {
    await writeFile(join(dir, 'blocked.yaml'), deployment('web', [`${plain.host}/team/app:v9`]));
    const io = fakeIo({ cwd: dir });
    t.equal(await checkCli(['-f', 'blocked.yaml', '-o', 'json'], io), 0);
    const [record] = parseRecords(t, io.out());
    t.same([record?.outcome, record?.class, record?.verdict], ['unreachable', 'nodeLocal', 'warn']);
  },
);

t.test('the built binary gives the same exit codes against the registry', async (t) => {
  const good = await runPullguard(['check', '-f', 'good.yaml', '--config', 'plain.yaml'], { cwd: dir });
  t.equal(good.code, 0, good.stderr);
  t.match(good.stdout, /OK {4}Deployment shop\/web/);
  const missing = await runPullguard(['check', '-f', 'missing.yaml', '-o', 'json'], {
    cwd: dir,
    env: { PULLGUARD_CONFIG: 'plain.yaml' },
  });
  t.equal(missing.code, 1, missing.stderr);
  t.equal(JSON.parse(missing.stdout).filter((r: { verdict: string }) => r.verdict === 'deny').length, 2);
});

t.test('private registry (basic auth over TLS)', async (t) => {
  const reg = await startRegistry({ mode: 'basic' });
  t.teardown(() => reg.stop());
  await pushImage(reg, { repository: 'private/app', tags: ['1.0'], format: 'docker-manifest' });
  await writeFile(
    join(dir, 'basic.yaml'),
    `registries:\n  - host: ${JSON.stringify(reg.host)}\n    caFile: ${JSON.stringify(reg.caFile)}\nnetwork:\n  budget: 5s\n`,
  );
  await writeFile(join(dir, 'private.yaml'), deployment('web', [`${reg.host}/private/app:1.0`]));
  const auth = Buffer.from(`alice:${reg.users['alice']}`).toString('base64');
  const dockerConfigJson = JSON.stringify({ auths: { [`https://${reg.host}`]: { auth } } });
  const password = reg.users['alice'] as string;

  t.test('credentials come from the user Docker config ($DOCKER_CONFIG), matched by the keyring rules', async (t) => {
    const docker = join(dir, 'docker');
    await mkdir(docker, { recursive: true });
    await writeFile(join(docker, 'config.json'), dockerConfigJson);
    let io = fakeIo({ cwd: dir, env: { DOCKER_CONFIG: docker } });
    t.equal(await checkCli(['-f', 'private.yaml', '--config', 'basic.yaml', '-o', 'json'], io), 0, io.err());
    t.same(
      parseRecords(t, io.out()).map((r) => [r.outcome, r.verdict]),
      [['found', 'allow']],
    );

    io = fakeIo({ cwd: dir, homeDir: join(dir, 'no-home') });
    t.equal(
      await checkCli(['-f', 'private.yaml', '--config', 'basic.yaml', '-o', 'json'], io),
      1,
      'no credentials: refused',
    );
    const [record] = parseRecords(t, io.out());
    t.same([record?.outcome, record?.class, record?.verdict], ['unauthorized', 'unauthorized', 'deny']);
    t.notMatch(io.out() + io.err(), password, 'the password never shows');
  });

  t.test('--kubeconfig: pull secrets from the cluster; a missing one is a pod-level record', async (t) => {
    const api = await startFakeKubeApi();
    t.teardown(() => api.close());
    api.addSecret({
      metadata: { name: 'regcred', namespace: 'shop' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(dockerConfigJson).toString('base64') },
    });
    const withSecrets = (names: string[]) =>
      deployment('web', [`${reg.host}/private/app:1.0`]).replace(
        '      containers:',
        `      imagePullSecrets:\n${names.map((n) => `        - name: ${n}\n`).join('')}      containers:`,
      );
    await writeFile(join(dir, 'secrets.yaml'), withSecrets(['gone', 'regcred']));
    const io = fakeIo({ cwd: dir, homeDir: join(dir, 'no-home') });
    t.equal(
      await checkCli(
        ['-f', 'secrets.yaml', '--config', 'basic.yaml', '--kubeconfig', api.kubeconfigPath, '-o', 'json'],
        io,
      ),
      0,
      io.err(),
    );
    const [image, missing] = parseRecords(t, io.out());
    t.same([image?.outcome, image?.verdict], ['found', 'allow'], 'the secret from the cluster opens the registry');
    t.same(
      [missing?.container, missing?.image, missing?.path, missing?.subject, missing?.class, missing?.verdict],
      [null, null, 'spec.template.spec.imagePullSecrets[0]', 'pull secret shop/gone', 'missingPullSecret', 'warn'],
    );
    t.notMatch(io.out() + io.err(), password, 'the password never shows');
    t.notOk(
      api.requests().some((r) => r.path.endsWith('/secrets')),
      'secrets are never listed',
    );
  });

  t.test('without --kubeconfig, listed pull secrets are unread: a refusal is uncertain, so it warns', async (t) => {
    await writeFile(
      join(dir, 'unread.yaml'),
      deployment('web', [`${reg.host}/private/app:1.0`]).replace(
        '      containers:',
        '      imagePullSecrets: [{name: regcred}]\n      containers:',
      ),
    );
    const io = fakeIo({ cwd: dir, homeDir: join(dir, 'no-home') });
    t.equal(await checkCli(['-f', 'unread.yaml', '--config', 'basic.yaml', '-o', 'json'], io), 0, io.err());
    const [record] = parseRecords(t, io.out());
    t.same([record?.outcome, record?.verdict], ['unauthorized', 'warn']);
  });
});

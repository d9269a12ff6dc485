/**
 * `pullguard serve` (without --dev) refusing to start: the commonest first-run mistakes (no certificate files, a
 * config or kubeconfig that is missing or broken, a port already taken) are each one line on stderr naming the file
 * and the fix, with the catalogue's exit code (docs/errors.md), never a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { freePort } from '../harness/registry/free-port.js';
import { ensureFreshBuild, generateCerts, MAIN, NODE } from '../helpers/built-server.js';

t.before(ensureFreshBuild);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to completion (a server that started would be killed by the timeout, and fail the test). */
function pullguard(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      NODE,
      [MAIN, ...args],
      { cwd, timeout: 30_000, env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: unknown }).code as number | null) : 0, stdout, stderr });
      },
    );
  });
}

/** The contract of every start-up failure: one line, no stack frame, the expected exit code and words. */
function assertOneLine(t: Test, run: Run, exitCode: number, words: RegExp): void {
  t.equal(run.code, exitCode, 'exit code');
  t.match(run.stderr, /^pullguard: [^\n]+\n$/, 'stderr is exactly one line');
  t.notMatch(run.stderr, /\n {4}at /, 'no stack frames');
  t.match(run.stderr, words, 'names the problem and the fix');
}

/** `pullguard certs --out <dir>` (the helper runs it inside the folder, so it must exist). */
async function certsIn(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await generateCerts(dir);
}

async function scratch(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-startup-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A config on free ports, with `extra` merged at the top level. */
async function configIn(dir: string, extra: object = {}): Promise<string> {
  const file = join(dir, 'config.json');
  const listen = { host: '127.0.0.1', port: await freePort(), healthPort: await freePort() };
  await writeFile(file, JSON.stringify({ listen, credentials: { kubernetes: false }, ...extra }));
  return file;
}

t.test('certificate files missing: one line naming the file and how to create the pair, exit 1', async (t) => {
  const dir = await scratch(t);
  const run = await pullguard(['serve', '--config', await configIn(dir)], dir);
  assertOneLine(
    t,
    run,
    1,
    /TLS certificate file certs\/tls\.crt does not exist; create the pair with: pullguard certs --out certs /,
  );

  const keyOnly = await configIn(dir, {
    tls: { certFile: join(dir, 'pair', 'tls.crt'), keyFile: join(dir, 'pair', 'tls.key') },
  });
  await certsIn(join(dir, 'pair'));
  await rm(join(dir, 'pair', 'tls.key'));
  assertOneLine(
    t,
    await pullguard(['serve', '--config', keyOnly], dir),
    1,
    new RegExp(`TLS key file ${join(dir, 'pair', 'tls.key')} does not exist; create the pair`),
  );
});

t.test('certificate files unreadable or not a pair: one line with the paths, exit 1', async (t) => {
  const dir = await scratch(t);
  await mkdir(join(dir, 'certs', 'tls.crt'), { recursive: true }); // a directory where the file should be
  await writeFile(join(dir, 'certs', 'tls.key'), 'not a key');
  assertOneLine(
    t,
    await pullguard(['serve', '--config', await configIn(dir)], dir),
    1,
    /cannot read TLS certificate file certs\/tls\.crt \(EISDIR\); make it readable/,
  );

  await rm(join(dir, 'certs'), { recursive: true });
  await mkdir(join(dir, 'certs'));
  await writeFile(join(dir, 'certs', 'tls.crt'), 'not a certificate');
  await writeFile(join(dir, 'certs', 'tls.key'), 'not a key');
  assertOneLine(
    t,
    await pullguard(['serve', '--config', await configIn(dir)], dir),
    1,
    /TLS certificate file does not hold a PEM certificate \(certs\/tls\.crt, certs\/tls\.key\); replace the pair: create the pair with: pullguard certs/,
  );
});

t.test('config file missing or invalid: one line naming the file, exit 1', async (t) => {
  const dir = await scratch(t);
  assertOneLine(
    t,
    await pullguard(['serve', '--config', 'nope.yaml'], dir),
    1,
    /nope\.yaml: cannot read the config file \(ENOENT\); check --config or PULLGUARD_CONFIG/,
  );
  assertOneLine(
    t,
    await pullguard(['serve'], dir, { PULLGUARD_CONFIG: 'gone.yaml' }),
    1,
    /gone\.yaml: cannot read the config file/,
  );

  await writeFile(join(dir, 'bad.yaml'), 'policy:\n  latestTag: maybe\nbogus: 1\n');
  assertOneLine(
    t,
    await pullguard(['serve', '--config', 'bad.yaml'], dir),
    1,
    /invalid config: bad\.yaml: \/ has unknown key "bogus"; bad\.yaml: \/policy\/latestTag /,
  );
  await writeFile(join(dir, 'broken.yaml'), 'mode: [\n');
  assertOneLine(
    t,
    await pullguard(['serve', '--config', 'broken.yaml'], dir),
    1,
    /invalid config: broken\.yaml: not valid YAML/,
  );
});

t.test(
  'kubeconfig missing or broken with credentials.kubernetes: true: one line naming the file, exit 1',
  async (t) => {
    const dir = await scratch(t);
    await certsIn(join(dir, 'certs'));
    const config = await configIn(dir, { credentials: { kubernetes: true } });
    const missing = join(dir, 'missing-kubeconfig');
    assertOneLine(
      t,
      await pullguard(['serve', '--config', config], dir, { KUBECONFIG: missing }),
      1,
      new RegExp(
        `no Kubernetes API access was found: .*no kubeconfig at ${missing}, ${join(dir, '.kube', 'config')}; point KUBECONFIG at one`,
      ),
    );
    const broken = join(dir, 'broken-kubeconfig');
    await writeFile(broken, 'users:\n- name: u\n  user: {token: "secret-token"\n  : : :\n');
    const run = await pullguard(['serve', '--config', config], dir, { KUBECONFIG: broken });
    assertOneLine(
      t,
      run,
      1,
      new RegExp(`kubeconfig ${broken} is not valid YAML \\(line \\d+\\); fix the file or use another kubeconfig`),
    );
    t.notMatch(run.stderr, /secret-token/, 'never quotes the file');
  },
);

t.test('credential provider config unreadable or invalid: one line naming the file and field, exit 1', async (t) => {
  const dir = await scratch(t);
  await certsIn(join(dir, 'certs'));
  const missing = await configIn(dir, { credentials: { kubernetes: false, credentialProviderConfig: 'nope.yaml' } });
  assertOneLine(
    t,
    await pullguard(['serve', '--config', missing], dir),
    1,
    /cannot read credential provider config nope\.yaml \(ENOENT\); check credentials\.credentialProviderConfig/,
  );
  await writeFile(
    join(dir, 'providers.yaml'),
    'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n  - name: p\n    matchImages: [x.test]\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n    env: [{name: TOKEN, value: planted-token}]\n',
  );
  const invalid = await configIn(dir, {
    credentials: { kubernetes: false, credentialProviderConfig: 'providers.yaml' },
  });
  const run = await pullguard(['serve', '--config', invalid], dir);
  assertOneLine(
    t,
    run,
    1,
    /invalid credential provider config \(credentials\.credentialProviderConfig\): providers\.yaml: providers\[0\]\.defaultCacheDuration: is required/,
  );
  t.notMatch(run.stderr, /planted-token/, 'never quotes env values');
});

t.test('a port already taken: one line with the address and the keys to change, exit 1', async (t) => {
  const dir = await scratch(t);
  await certsIn(join(dir, 'certs'));
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())));
  const port = (taken.address() as { port: number }).port;
  const config = join(dir, 'taken.json');
  await writeFile(
    config,
    JSON.stringify({
      listen: { host: '127.0.0.1', port, healthPort: await freePort() },
      credentials: { kubernetes: false },
    }),
  );
  assertOneLine(
    t,
    await pullguard(['serve', '--config', config], dir),
    1,
    new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\); free the port or change listen\\.port`),
  );
});

t.test('usage errors: one line, exit 2', async (t) => {
  const dir = await scratch(t);
  assertOneLine(
    t,
    await pullguard(['serve', '--bogus'], dir),
    2,
    /serve: Unknown option '--bogus'.*; see pullguard --help/,
  );
  assertOneLine(t, await pullguard(['frobnicate'], dir), 2, /unknown command "frobnicate"; see pullguard --help/);
  assertOneLine(
    t,
    await pullguard(['serve', '--config', await configIn(dir)], dir, { LOG_LEVEL: 'loud' }),
    2,
    /LOG_LEVEL "loud" is not a log level: use fatal, /,
  );
  assertOneLine(t, await pullguard(['certs', '--days', 'ten'], dir), 2, /--days must be a whole number of days/);
  assertOneLine(
    t,
    await pullguard(['certs', '--san', 'a b', '--out', join(dir, 'out')], dir),
    2,
    /Invalid --san "a b"/,
  );
});

t.test('PULLGUARD_DEBUG=1 adds the stack and the cause chain after the line', async (t) => {
  const dir = await scratch(t);
  const run = await pullguard(['serve', '--config', 'nope.yaml'], dir, { PULLGUARD_DEBUG: '1' });
  t.equal(run.code, 1);
  t.match(run.stderr, /^pullguard: nope\.yaml: cannot read the config file \(ENOENT\)[^\n]*\n/);
  t.match(run.stderr, /PG_CONFIG_UNREADABLE/);
  t.match(run.stderr, /\n {4}at /, 'the stack');
  t.match(run.stderr, /\[cause\]: .*ENOENT/s, 'the original error');
});

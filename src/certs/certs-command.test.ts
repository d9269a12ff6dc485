import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { runCertsCommand } from './certs-command.js';

const decode = (b64: unknown) => Buffer.from(String(b64), 'base64').toString('utf8');

t.test('writes the files and prints the caBundle as the last line', async (t) => {
  const out = join(t.testdir(), 'certs');
  const lines: string[] = [];
  const result = await runCertsCommand({ out, sans: ['localhost', '127.0.0.1'] }, { stdout: (l) => lines.push(l) });
  const caPem = await readFile(join(out, 'ca.crt'), 'utf8');
  t.equal(lines.at(-1), Buffer.from(caPem).toString('base64'));
  t.equal(result.caBundle, lines.at(-1));
  t.match(lines.join('\n'), /tls\.key/);
  t.match(lines.join('\n'), /pullguard\.pullguard\.svc/);
  const cert = new X509Certificate(await readFile(join(out, 'tls.crt')));
  t.equal(cert.checkHost('pullguard.pullguard.svc'), 'pullguard.pullguard.svc');
  t.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  t.equal(cert.checkHost('localhost'), 'localhost');
  t.ok(cert.verify(new X509Certificate(caPem).publicKey));
  t.equal((await stat(join(out, 'tls.key'))).mode & 0o777, 0o600);
});

t.test('--manifests writes a kubernetes.io/tls Secret and a caBundle patch that parse as YAML', async (t) => {
  const out = t.testdir();
  const lines: string[] = [];
  const result = await runCertsCommand(
    { service: 'hook', namespace: 'ops', out, days: 30, manifests: true },
    { stdout: (l) => lines.push(l) },
  );
  const secretDocs = parseAllDocuments(await readFile(join(out, 'secret.yaml'), 'utf8'));
  t.equal(secretDocs.length, 1);
  const secret = secretDocs[0]?.toJS();
  t.match(secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: 'pullguard-tls', namespace: 'ops' },
  });
  t.equal(decode(secret.data['tls.crt']), await readFile(join(out, 'tls.crt'), 'utf8'));
  t.equal(decode(secret.data['tls.key']), await readFile(join(out, 'tls.key'), 'utf8'));
  t.equal(decode(secret.data['ca.crt']), await readFile(join(out, 'ca.crt'), 'utf8'));
  t.same(Object.keys(secret.data).sort(), ['ca.crt', 'tls.crt', 'tls.key']);

  const patch = parseAllDocuments(await readFile(join(out, 'webhook-cabundle-patch.yaml'), 'utf8'))[0]?.toJS();
  t.same(patch, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'pullguard' },
    webhooks: [{ name: 'images.pullguard.io', clientConfig: { caBundle: result.caBundle } }],
  });
  t.equal(decode(result.caBundle), await readFile(join(out, 'ca.crt'), 'utf8'));
  const cert = new X509Certificate(await readFile(join(out, 'tls.crt')));
  t.equal(cert.checkHost('hook.ops.svc'), 'hook.ops.svc');
  t.ok(cert.validToDate.getTime() - Date.now() < 31 * 86_400_000);
  t.match(lines.join('\n'), /secret\.yaml/);
});

t.test('a bad flag fails before anything is written', async (t) => {
  const out = join(t.testdir(), 'never');
  await t.rejects(runCertsCommand({ out, sans: ['not a name'] }, { stdout: () => {} }), {
    code: 'PG_CERTS_INVALID_SAN',
  });
  await t.rejects(stat(out), { code: 'ENOENT' });
});

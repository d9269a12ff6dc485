import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { generateCertificates } from './generate-certificates.js';
import { writeCertificates } from './write-certificates.js';

const certs = generateCertificates();
const mode = async (path: string) => (await stat(path)).mode & 0o777;

t.test('writes ca.crt, tls.crt and tls.key into a new directory, the key 0600', async (t) => {
  const out = join(t.testdir(), 'nested', 'certs');
  const files = await writeCertificates(certs, { out });
  t.same(files, { caFile: join(out, 'ca.crt'), certFile: join(out, 'tls.crt'), keyFile: join(out, 'tls.key') });
  t.same((await readdir(out)).sort(), ['ca.crt', 'tls.crt', 'tls.key'], 'no temporary files left');
  t.equal(await mode(files.keyFile), 0o600);
  t.equal(await mode(files.certFile), 0o644);
  t.equal(await readFile(files.caFile, 'utf8'), certs.caPem);
  const cert = new X509Certificate(await readFile(files.certFile));
  t.ok(cert.checkPrivateKey(createPrivateKey(await readFile(files.keyFile))));
});

t.test('an existing world-readable key file is replaced by a 0600 one', async (t) => {
  const out = t.testdir({ 'tls.key': 'old', 'tls.crt': 'old' });
  await writeFile(join(out, 'tls.key'), 'old', { mode: 0o644 });
  const files = await writeCertificates(certs, { out });
  t.equal(await mode(files.keyFile), 0o600);
  t.equal(await readFile(files.keyFile, 'utf8'), certs.keyPem);
});

t.test('with manifests: the Secret is 0600, the caBundle patch is written too', async (t) => {
  const out = t.testdir();
  const files = await writeCertificates(certs, { out, namespace: 'ops', manifests: true });
  t.equal(files.secretFile, join(out, 'secret.yaml'));
  t.equal(files.patchFile, join(out, 'webhook-cabundle-patch.yaml'));
  t.equal(await mode(join(out, 'secret.yaml')), 0o600);
  t.equal(await mode(join(out, 'webhook-cabundle-patch.yaml')), 0o644);
  t.match(await readFile(join(out, 'secret.yaml'), 'utf8'), /namespace: ops/);
});

import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ensureCertificates } from './ensure-certificates.js';
import { generateCertificates } from './generate-certificates.js';
import { writeCertificates } from './write-certificates.js';

t.test('generates development certificates for localhost when there are none, then reuses them', async (t) => {
  const out = t.testdir();
  const first = await ensureCertificates({ out });
  t.equal(first.generated, true);
  const cert = new X509Certificate(await readFile(first.certFile));
  t.equal(cert.checkHost('localhost'), 'localhost');
  t.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  t.equal(cert.checkIP('::1'), '::1');
  const second = await ensureCertificates({ out });
  t.equal(second.generated, false);
  t.equal(await readFile(second.certFile, 'utf8'), await readFile(first.certFile, 'utf8'));
});

t.test('replaces an expired or mismatched pair', async (t) => {
  const out = t.testdir();
  const old = generateCertificates({ days: 1, now: new Date('2020-01-01T00:00:00Z') });
  await writeCertificates(old, { out });
  t.equal((await ensureCertificates({ out })).generated, true, 'expired');
  const other = generateCertificates();
  await writeCertificates(other, { out });
  await writeCertificates({ ...other, keyPem: generateCertificates().keyPem }, { out });
  t.equal((await ensureCertificates({ out })).generated, true, 'mismatched');
  t.not(await readFile(join(out, 'tls.crt'), 'utf8'), other.certPem);
});

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import forge from 'node-forge';
import t from 'tap';
import { CertsError } from './certs-error.js';
import { generateCertificates } from './generate-certificates.js';

const NOW = new Date('2030-01-02T03:04:05Z');
const certs = generateCertificates({ extraSans: ['localhost', '127.0.0.1', '::1'], now: NOW });
const leaf = new X509Certificate(certs.certPem);
const ca = new X509Certificate(certs.caPem);

t.test('the serving certificate chains to the CA and is valid for the service names', async (t) => {
  t.ok(leaf.verify(ca.publicKey), 'signed by the CA');
  t.notOk(ca.verify(leaf.publicKey), 'not the other way round');
  t.ok(ca.verify(ca.publicKey), 'CA is self-signed');
  t.equal(leaf.issuer, ca.subject);
  t.equal(leaf.subject, 'CN=pullguard.pullguard.svc');
  for (const host of [
    'pullguard',
    'pullguard.pullguard',
    'pullguard.pullguard.svc',
    'pullguard.pullguard.svc.cluster.local',
    'localhost',
  ]) {
    t.equal(leaf.checkHost(host, { subject: 'never' }), host, host);
  }
  t.equal(leaf.checkHost('other.pullguard.svc'), undefined);
  t.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
  t.equal(leaf.checkIP('::1'), '::1');
  t.equal(leaf.checkIP('10.0.0.1'), undefined);
  t.same(certs.sans, [
    'pullguard',
    'pullguard.pullguard',
    'pullguard.pullguard.svc',
    'pullguard.pullguard.svc.cluster.local',
    'localhost',
    '127.0.0.1',
    '::1',
  ]);
});

t.test('the key matches the certificate and is RSA 2048', async (t) => {
  const key = createPrivateKey(certs.keyPem);
  t.ok(leaf.checkPrivateKey(key));
  t.notOk(ca.checkPrivateKey(key));
  t.equal(key.asymmetricKeyType, 'rsa');
  t.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
  t.equal(ca.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  t.equal(Buffer.from(certs.caBundle, 'base64').toString('utf8'), certs.caPem);
});

t.test('extensions: CA can sign certificates, the leaf is a serverAuth end entity', async (t) => {
  t.equal(ca.ca, true);
  t.equal(leaf.ca, false);
  t.same(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extKeyUsage serverAuth only');
  const forgeCa = forge.pki.certificateFromPem(certs.caPem);
  const forgeLeaf = forge.pki.certificateFromPem(certs.certPem);
  t.match(forgeCa.getExtension('keyUsage'), { keyCertSign: true, critical: true });
  t.match(forgeCa.getExtension('basicConstraints'), { cA: true, critical: true });
  t.match(forgeLeaf.getExtension('keyUsage'), { digitalSignature: true, keyEncipherment: true, keyCertSign: false });
  t.match(forgeLeaf.getExtension('basicConstraints'), { cA: false });
  const sha256WithRsa = '1.2.840.113549.1.1.11';
  t.equal(forgeLeaf.siginfo.algorithmOid, sha256WithRsa);
  t.equal(forgeCa.siginfo.algorithmOid, sha256WithRsa);
});

t.test('validity starts a minute early and lasts `days`', async (t) => {
  t.equal(leaf.validFromDate.getTime(), NOW.getTime() - 60_000);
  t.equal(leaf.validToDate.getTime(), NOW.getTime() + 365 * 86_400_000);
  const short = new X509Certificate(generateCertificates({ days: 7, now: NOW }).certPem);
  t.equal(short.validToDate.getTime(), NOW.getTime() + 7 * 86_400_000);
});

t.test('serials are random, positive and minimally encoded', async (t) => {
  const other = new X509Certificate(generateCertificates({ now: NOW }).certPem);
  t.not(other.serialNumber, leaf.serialNumber);
  for (const serial of [leaf.serialNumber, ca.serialNumber, other.serialNumber]) {
    t.match(serial, /^[4-7][0-9A-F]{31}$/, 'high bit clear, no leading zero byte');
  }
});

t.test('custom service, namespace and SANs', async (t) => {
  const custom = generateCertificates({
    service: 'hook',
    namespace: 'ops',
    extraSans: ['hook.example.com', '192.0.2.7'],
  });
  const cert = new X509Certificate(custom.certPem);
  t.equal(cert.checkHost('hook.ops.svc'), 'hook.ops.svc');
  t.equal(cert.checkHost('hook.example.com'), 'hook.example.com');
  t.equal(cert.checkIP('192.0.2.7'), '192.0.2.7');
  t.equal(cert.checkHost('pullguard.pullguard.svc'), undefined);
});

t.test('bad days are rejected', async (t) => {
  for (const days of [0, -1, 1.5, 3651, Number.NaN]) {
    t.throws(
      () => generateCertificates({ days }),
      new CertsError('PG_CERTS_INVALID_DAYS', `Invalid --days ${String(days)}: expected a whole number from 1 to 3650`),
      String(days),
    );
  }
});

t.test('a TLS client that trusts only the CA completes a handshake for pullguard.pullguard.svc', async (t) => {
  const live = generateCertificates();
  const server = tls.createServer({ key: live.keyPem, cert: live.certPem, minVersion: 'TLSv1.2' }, (socket) =>
    socket.end('ok'),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const dial = (servername: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: live.caPem }, () => {
        socket.once('data', (d) => {
          socket.destroy();
          resolve(String(d));
        });
      });
      socket.once('error', reject);
    });
  t.equal(await dial('pullguard.pullguard.svc'), 'ok');
  await t.rejects(dial('elsewhere.pullguard.svc'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
});

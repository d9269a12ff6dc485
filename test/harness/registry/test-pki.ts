import crypto from 'node:crypto';
import forge from 'node-forge';

/** PEM material generated at run time for the harness (never committed). */
export interface TestPki {
  /** Test CA certificate; trust this to talk to the registry and the token server. */
  readonly caPem: string;
  /** Server certificate (SANs localhost, 127.0.0.1) signed by the CA, and its key. */
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  /** Self-signed certificate whose key signs registry tokens (the registry's rootcertbundle). */
  readonly tokenCertPem: string;
  readonly tokenKeyPem: string;
}

let cached: TestPki | undefined;

/**
 * Returns the process-wide test PKI, generating it on first use.
 * Why cached: RSA key generation and forge signing cost ~100 ms each; one CA per test process is enough.
 * Keys come from node:crypto (native, fast); node-forge only builds and signs the X.509 certificates.
 */
export function testPki(): TestPki {
  cached ??= generatePki();
  return cached;
}

function generatePki(): TestPki {
  const caKeys = rsaKeyPair();
  const serverKeys = rsaKeyPair();
  const tokenKeys = rsaKeyPair();

  const caSubject = [{ name: 'commonName', value: 'pullguard test CA' }];
  const ca = baseCertificate(caKeys.publicKey, caSubject, caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const server = baseCertificate(serverKeys.publicKey, [{ name: 'commonName', value: 'localhost' }], caSubject);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  const tokenSubject = [{ name: 'commonName', value: 'pullguard test token signer' }];
  const token = baseCertificate(tokenKeys.publicKey, tokenSubject, tokenSubject);
  token.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
  ]);
  token.sign(tokenKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    serverCertPem: forge.pki.certificateToPem(server),
    serverKeyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
    tokenCertPem: forge.pki.certificateToPem(token),
    tokenKeyPem: forge.pki.privateKeyToPem(tokenKeys.privateKey),
  };
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const pair = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey),
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey),
  };
}

function baseCertificate(
  publicKey: forge.pki.rsa.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Leading 01 keeps the DER integer positive (Go rejects negative serial numbers).
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 2 * 24 * 60 * 60 * 1000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

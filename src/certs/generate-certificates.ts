/**
 * Generates a private CA and a serving certificate signed by it, for the webhook's Service (docs/design.md §4.3;
 * the API server's side: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/).
 * Pure: nothing is written; `write-certificates.ts` does that.
 *
 * RSA keys come from Node's native `crypto.generateKeyPairSync` (milliseconds, where pure-JS forge takes seconds)
 * and are imported into node-forge, which builds and signs the X.509 certificates (Node has no signing API).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { CertsError } from './certs-error.js';
import { ipToBytes, subjectAltNames } from './subject-alt-names.js';

/** Inputs of `generateCertificates`. */
export interface GenerateCertificatesOptions {
  /** The webhook's Service name (default `pullguard`). */
  readonly service?: string;
  /** The Service's namespace (default `pullguard`). */
  readonly namespace?: string;
  /** Validity of both the CA and the serving certificate, in days (default 365, at most 3650). */
  readonly days?: number;
  /** Extra SANs: DNS names or IP literals (IPv4 or IPv6). */
  readonly extraSans?: readonly string[];
  /** The clock, for tests. */
  readonly now?: Date;
}

/** The generated material, all PEM except `caBundle` (base64 of `caPem`, as a webhook `clientConfig.caBundle`). */
export interface GeneratedCertificates {
  readonly caPem: string;
  readonly certPem: string;
  /** PKCS#8 PEM of the serving key. */
  readonly keyPem: string;
  readonly caBundle: string;
  /** Every SAN of the serving certificate: DNS names first, then IPs. */
  readonly sans: readonly string[];
  readonly notAfter: Date;
}

const MAX_DAYS = 3650;
/** Defaults of `pullguard certs`: the names the manifests use. */
export const CERTS_DEFAULTS = { service: 'pullguard', namespace: 'pullguard', out: 'certs', days: 365 } as const;

// Backdated so that an API server whose clock runs a little behind accepts a brand-new certificate.
const BACKDATE_MS = 60_000;
const DAY_MS = 86_400_000;
const SAN_DNS = 2;
const SAN_IP = 7;

/** Creates a CA and a serving certificate for `service.namespace.svc`; throws `CertsError` on bad input. */
export function generateCertificates(options: GenerateCertificatesOptions = {}): GeneratedCertificates {
  const service = options.service ?? CERTS_DEFAULTS.service;
  const namespace = options.namespace ?? CERTS_DEFAULTS.namespace;
  const days = options.days ?? CERTS_DEFAULTS.days;
  assertValidDays(days);
  const sans = subjectAltNames(service, namespace, options.extraSans ?? []);
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(now.getTime() + days * DAY_MS);

  const caKeys = rsaKeyPair();
  const caSubject = [
    { name: 'commonName', value: `${service}.${namespace} webhook CA` },
    { name: 'organizationName', value: 'pullguard' },
  ];
  const ca = signedCertificate(
    { keys: caKeys, signer: caKeys, subject: caSubject, issuer: caSubject, notBefore, notAfter },
    [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  );
  const leafKeys = rsaKeyPair();
  const leafSubject = [{ name: 'commonName', value: `${service}.${namespace}.svc` }];
  const leaf = signedCertificate(
    { keys: leafKeys, signer: caKeys, subject: leafSubject, issuer: caSubject, notBefore, notAfter },
    [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...sans.dns.map((value) => ({ type: SAN_DNS, value })),
          ...sans.ips.map((ip) => ({ type: SAN_IP, value: forge.util.binary.raw.encode(ipToBytes(ip)) })),
        ],
      },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ],
  );

  const caPem = forge.pki.certificateToPem(ca);
  return {
    caPem,
    certPem: forge.pki.certificateToPem(leaf),
    keyPem: leafKeys.pem,
    caBundle: Buffer.from(caPem, 'utf8').toString('base64'),
    sans: [...sans.dns, ...sans.ips],
    notAfter,
  };
}

/** Throws `PG_CERTS_INVALID_DAYS` unless `days` is a whole number from 1 to 3650. */
export function assertValidDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new CertsError(
      'PG_CERTS_INVALID_DAYS',
      `Invalid --days ${String(days)}: expected a whole number from 1 to ${MAX_DAYS}`,
    );
  }
}

interface CertificateParts {
  readonly keys: RsaKeyPair;
  /** Whose private key signs it: the CA's, or its own keys for the self-signed CA. */
  readonly signer: RsaKeyPair;
  readonly subject: forge.pki.CertificateField[];
  readonly issuer: forge.pki.CertificateField[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function signedCertificate(parts: CertificateParts, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = parts.keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = parts.notBefore;
  cert.validity.notAfter = parts.notAfter;
  cert.setSubject(parts.subject);
  cert.setIssuer(parts.issuer);
  cert.setExtensions(extensions);
  // The default digest is SHA-1: always pass SHA-256.
  cert.sign(parts.signer.privateKey, forge.md.sha256.create());
  return cert;
}

interface RsaKeyPair {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly pem: string;
}

function rsaKeyPair(): RsaKeyPair {
  const { privateKey: pem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e), pem };
}

/**
 * A random, positive, minimally encoded 128-bit serial (RFC 5280 §4.1.2.2): the top bit is cleared so the DER
 * INTEGER is positive, and the next one set so it needs no leading zero byte.
 */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/**
 * Whether the certificates already stored in the webhook's Secret can stay (docs/design.md §4.3): `ca.crt` is a CA,
 * `tls.crt` is signed by it and belongs to `tls.key`, it names every SAN wanted, and it is renewed once two thirds
 * of its lifetime have passed (with the usual lifetimes, a year or ten, that leaves months to spare, never less than
 * 30 days from 90 days up). Nothing here prints or returns the key.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { canonicalIp } from './subject-alt-names.js';

/** The PEM texts of the Secret's three keys, as read (any may be missing). */
export interface StoredCertificates {
  readonly caPem?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
}

export type StoredAssessment =
  | { readonly usable: true; readonly caPem: string; readonly notAfter: Date; readonly sans: readonly string[] }
  | { readonly usable: false; readonly reason: string };

/** Keeps a certificate until this share of its lifetime has passed. */
const RENEW_AFTER_SHARE = 2 / 3;

/** Checks `stored` against the SANs wanted (`dns` lower-case, `ips` canonical) at `now`. */
export function assessStoredCertificates(
  stored: StoredCertificates,
  wanted: { readonly dns: readonly string[]; readonly ips: readonly string[] },
  now: Date,
): StoredAssessment {
  const missing = (['ca.crt', 'tls.crt', 'tls.key'] as const).filter(
    (key) => ({ 'ca.crt': stored.caPem, 'tls.crt': stored.certPem, 'tls.key': stored.keyPem })[key] === undefined,
  );
  if (missing.length > 0) return unusable(`it has no ${missing.join(', ')}`);
  const ca = certificate(stored.caPem ?? '');
  const cert = certificate(stored.certPem ?? '');
  if (ca === undefined || !ca.ca) return unusable('ca.crt does not hold a PEM CA certificate');
  if (cert === undefined) return unusable('tls.crt does not hold a PEM certificate');
  if (!keyMatches(cert, stored.keyPem ?? '')) return unusable('tls.key is not the key of tls.crt');
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return unusable('tls.crt is not signed by ca.crt');
  const present = presentSans(cert);
  const absent = [...wanted.dns, ...wanted.ips].filter((san) => !present.has(san));
  if (absent.length > 0) return unusable(`tls.crt does not name ${absent.join(', ')}`);
  for (const [name, x509] of [
    ['tls.crt', cert],
    ['ca.crt', ca],
  ] as const) {
    const from = x509.validFromDate.getTime();
    const to = x509.validToDate.getTime();
    if (now.getTime() < from) return unusable(`${name} is not valid before ${x509.validFromDate.toISOString()}`);
    if (now.getTime() >= from + (to - from) * RENEW_AFTER_SHARE)
      return unusable(`${name} is due for renewal (valid until ${x509.validToDate.toISOString()})`);
  }
  return { usable: true, caPem: stored.caPem ?? '', notAfter: cert.validToDate, sans: [...present] };
}

function unusable(reason: string): StoredAssessment {
  return { usable: false, reason };
}

function certificate(pem: string): X509Certificate | undefined {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false; // deliberately no detail: OpenSSL errors about key material are not worth echoing
  }
}

/** The certificate's SANs as `subjectAltNames` writes them: DNS names lower-case, IPs canonical. */
function presentSans(cert: X509Certificate): Set<string> {
  const sans = new Set<string>();
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) sans.add(entry.slice(4).toLowerCase());
    else if (entry.startsWith('IP Address:')) sans.add(canonicalIp(entry.slice(11)));
  }
  return sans;
}

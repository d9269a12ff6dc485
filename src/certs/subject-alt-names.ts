/**
 * Which names the serving certificate must carry. The API server dials `<service>.<namespace>.svc` and checks the
 * certificate's DNS subjectAltNames (Go ignores the CN for host matching); the shorter and longer forms are added
 * for in-cluster clients that use them. Pure.
 */
import { isIP } from 'node:net';
import { CertsError } from './certs-error.js';

/** The SANs of a serving certificate, split by type as X.509 encodes them. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

// RFC 1123 labels, lower case as Kubernetes requires for Service and Namespace names.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// A SAN host name: labels of letters, digits and hyphens, optionally a leading `*.` wildcard label.
const SAN_DNS =
  /^(\*\.)?([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;

/** Throws `PG_CERTS_INVALID_NAME` unless `value` is a valid Kubernetes Service or Namespace name. */
function assertKubernetesName(what: 'service' | 'namespace', value: string): void {
  if (!DNS_LABEL.test(value)) {
    throw new CertsError(
      'PG_CERTS_INVALID_NAME',
      `Invalid ${what} name "${value}": use lower-case letters, digits and "-", at most 63 characters`,
    );
  }
}

/**
 * The SANs for `service` in `namespace`, plus `extras` (DNS names or IPv4/IPv6 literals, brackets allowed around
 * IPv6), de-duplicated, in a stable order: the four service names first.
 */
export function subjectAltNames(service: string, namespace: string, extras: readonly string[] = []): SubjectAltNames {
  assertKubernetesName('service', service);
  assertKubernetesName('namespace', namespace);
  const dns = [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
  const ips: string[] = [];
  for (const raw of extras) {
    const value = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (isIP(value) !== 0) {
      const canonical = canonicalIp(value);
      if (!ips.includes(canonical)) ips.push(canonical);
    } else if (value.length <= 253 && SAN_DNS.test(value)) {
      const lower = value.toLowerCase();
      if (!dns.includes(lower)) dns.push(lower);
    } else {
      throw new CertsError('PG_CERTS_INVALID_SAN', `Invalid --san "${raw}": expected a DNS name or an IP address`);
    }
  }
  return { dns, ips };
}

/** The canonical text of an IP literal (IPv6 compressed and lower-case, IPv4 as is). */
export function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/**
 * The 4 or 16 network-order bytes of an IP literal. Written here because node-forge's own IPv6 parser mishandles
 * some compressed forms (`::ffff:1.2.3.4`, `1::`); the URL parser normalizes them first.
 */
export function ipToBytes(ip: string): Uint8Array {
  const family = isIP(ip);
  if (family === 4) return Uint8Array.from(ip.split('.').map(Number));
  if (family !== 6) throw new CertsError('PG_CERTS_INVALID_SAN', `Invalid IP address "${ip}"`);
  const canonical = canonicalIp(ip);
  const [head = '', tail] = canonical.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups].map((g) => Number.parseInt(g, 16));
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * The SSRF guard. Pod authors pick registry hosts (and registries pick token realms and redirect targets), so before
 * any connection the host is resolved, EVERY address is checked against `network.blockedCidrs` (an IPv6 address
 * also on the IPv4 address it embeds, see embedded-ipv4.ts), and the socket then goes to the address that was
 * checked (no second DNS lookup an attacker could rebind). The unspecified addresses (0.0.0.0/8, ::), which reach
 * the local host, are refused whatever the config says. Hosts the admin listed under `registries` are their
 * explicit choice and are always allowed; the built-in node-credential globs are not such a choice.
 */
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { compileHostGlob } from '../../runtime/glob.js';
import { embeddedIpv4 } from './embedded-ipv4.js';
import { RegistryError } from './registry-error.js';

/** One resolved address, as `dns.lookup(…, {all: true})` returns them. */
export interface LookupAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to all of its addresses (injectable so tests can point names anywhere). */
export type LookupFunction = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The address a connection may go to. */
export interface CheckedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export interface SsrfGuard {
  /**
   * Resolves `hostname` and checks every address; returns them in resolver order, so a connection can go to the
   * next one when one fails. `host` is host[:port] as the URL has it, matched against the configured registry
   * globs. Throws RegistryError `blocked` (with the refused address) or lets DNS errors through.
   */
  checkAll(host: string, hostname: string): Promise<readonly CheckedAddress[]>;
  /** Whether host[:port] is listed under `registries` (and so exempt from the block list). */
  isListed(host: string): boolean;
}

export interface SsrfGuardOptions {
  readonly blockedCidrs: readonly string[];
  /** Host globs of the `registries:` entries the admin wrote (never the built-in ones). */
  readonly listedHosts: readonly string[];
  readonly lookup?: LookupFunction;
}

/** The system resolver, every record, in the order the resolver gives them. */
const systemLookup: LookupFunction = (hostname) => dns.lookup(hostname, { all: true, order: 'verbatim' });

export function createSsrfGuard(options: SsrfGuardOptions): SsrfGuard {
  const blockList = buildBlockList(options.blockedCidrs);
  const listed = options.listedHosts.map(compileHostGlob);
  const lookup = options.lookup ?? systemLookup;
  const isListed = (host: string) => listed.some((matches) => matches(host));

  const checkAll = async (host: string, hostname: string): Promise<readonly CheckedAddress[]> => {
    const name = stripBrackets(hostname);
    const literalFamily = isIP(name);
    const resolved = literalFamily !== 0 ? [{ address: name, family: literalFamily }] : await lookup(name);
    const addresses = resolved.map((a) => normalizeAddress(a.address)).filter((a) => a !== undefined);
    const first = addresses[0];
    if (first === undefined) {
      throw new RegistryError('dns', { host, detail: 'DNS lookup returned no usable address' });
    }
    if (!isListed(host)) {
      const refused = addresses.find((a) => isBlocked(blockList, a));
      if (refused) {
        throw new RegistryError('blocked', { host, address: refused.address, detail: 'address is in a blocked range' });
      }
    }
    return addresses;
  };
  return {
    isListed,
    checkAll,
  };
}

/** Whether an address (any notation, IPv4-mapped IPv6 included) falls into one of the CIDRs. Pure; for tests. */
export function isAddressBlocked(blockedCidrs: readonly string[], address: string): boolean {
  const normalized = normalizeAddress(address);
  return normalized !== undefined && isBlocked(buildBlockList(blockedCidrs), normalized);
}

/**
 * Canonical form of an IP address: brackets and zone id dropped, IPv6 compressed and lower-cased, and IPv4-mapped
 * IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) turned into the IPv4 address it really is. Undefined if not an IP.
 */
export function normalizeAddress(address: string): CheckedAddress | undefined {
  const bare = stripBrackets(address).replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return { address: bare, family: 4 };
  if (family !== 6) return undefined;
  // The WHATWG URL parser serialises IPv6 canonically (RFC 5952), which makes the mapped form easy to spot.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped) {
    const high = parseInt(mapped[1] as string, 16);
    const low = parseInt(mapped[2] as string, 16);
    return { address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, family: 4 };
  }
  return { address: canonical, family: 6 };
}

function isBlocked(blockList: BlockList, address: CheckedAddress): boolean {
  if (address.family === 4) return blockList.check(address.address, 'ipv4');
  return (
    blockList.check(address.address, 'ipv6') || embeddedIpv4(address.address).some((v4) => blockList.check(v4, 'ipv4'))
  );
}

/** Never a registry, whatever `network.blockedCidrs` says: on Linux a connection to these reaches the local host. */
const ALWAYS_BLOCKED = ['0.0.0.0/8', '::/128'];

function buildBlockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of ALWAYS_BLOCKED) addCidr(list, cidr);
  for (const cidr of cidrs) addCidr(list, cidr);
  return list;
}

function addCidr(list: BlockList, cidr: string): void {
  const [address = '', bits = ''] = cidr.split('/');
  const family = isIP(address);
  if (family === 0) return; // config validation already rejected it
  list.addSubnet(address, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The IPv4 addresses an IPv6 address stands for, where the form is defined: a connection to such an address ends
 * up at (or is tunnelled to) the IPv4 host, so the SSRF guard must judge that host too. Pure.
 *
 * - `::a.b.c.d` IPv4-compatible (`::/96`, RFC 4291 §2.5.5.1, deprecated but still routed by some stacks);
 * - `::ffff:a.b.c.d` IPv4-mapped (`::ffff:0:0/96`, RFC 4291 §2.5.5.2);
 * - `::ffff:0:a.b.c.d` IPv4-translated (`::ffff:0:0:0/96`, RFC 2765 §2.1);
 * - `64:ff9b::a.b.c.d` NAT64 well-known prefix (`64:ff9b::/96`, RFC 6052 §2.1);
 * - `64:ff9b:1::/48` NAT64 local-use prefix (RFC 8215): the operator picks the prefix length, so only the /96
 *   layout (the DNS64 default: the address in the last 32 bits) is decodable; other layouts need the range listed
 *   in `network.blockedCidrs`;
 * - `2002:AABB:CCDD::/48` 6to4 (RFC 3056 §2): the address in bits 16–47;
 * - `2001:0::/32` Teredo (RFC 4380 §4): the client's address, obfuscated (XOR 0xffffffff) in the last 32 bits.
 */

/** Embedded IPv4 addresses (dotted) of a valid IPv6 address; empty when it embeds none. */
export function embeddedIpv4(ipv6: string): string[] {
  const g = ipv6Groups(ipv6);
  if (g === undefined) return [];
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const found: string[] = [];
  const zero = (...groups: number[]) => groups.every((x) => x === 0);
  if (zero(g0, g1, g2, g3, g4) && (g5 === 0 || g5 === 0xffff)) found.push(dotted(g6, g7)); // compatible, mapped
  if (zero(g0, g1, g2, g3) && g4 === 0xffff && g5 === 0) found.push(dotted(g6, g7)); // translated
  if (g0 === 0x64 && g1 === 0xff9b && (zero(g2, g3, g4, g5) || g2 === 1)) found.push(dotted(g6, g7)); // NAT64
  if (g0 === 0x2002) found.push(dotted(g1, g2)); // 6to4
  if (g0 === 0x2001 && g1 === 0) found.push(dotted(g6 ^ 0xffff, g7 ^ 0xffff)); // Teredo client
  return found;
}

/** The eight 16-bit groups of an IPv6 address (any valid notation, dotted tail included), or undefined. */
export function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const octets = tail.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    const [a, b, c, d] = octets as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!groups.every((x) => /^[0-9a-f]{1,4}$/.test(x))) return undefined;
  return groups.map((x) => parseInt(x, 16));
}

function dotted(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

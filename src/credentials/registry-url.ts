/**
 * Just enough of Go's `net/url.Parse` and `net.SplitHostPort` to read registry keys the way the kubelet keyring
 * does. The WHATWG `URL` class is unusable here: it lowercases hosts (the keyring is case-sensitive) and rejects
 * glob characters such as `[` in host names.
 */

/** Host (with port, case preserved) and unescaped path of an `http(s)://` URL; undefined where Go's Parse fails. */
export function parseGoHttpsUrl(url: string): { host: string; path: string } | undefined {
  // Go rejects ASCII control characters anywhere in a URL.
  if (/[\u0000-\u001f\u007f]/.test(url)) return undefined;
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return undefined;
  let rest = url.slice(schemeEnd + 3);
  rest = cutAt(rest, '#');
  rest = cutAt(rest, '?');
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? '' : rest.slice(slash);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (!validGoHost(host)) return undefined;
  const path = unescapePath(rawPath);
  return path === undefined ? undefined : { host, path };
}

/** net.SplitHostPort, falling back to (whole host, "") on error as the kubelet's splitURL does. */
export function splitGoHostPort(hostPort: string): { host: string; port: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close > 0 && hostPort[close + 1] === ':' && !hostPort.slice(close + 2).includes(':')) {
      return { host: hostPort.slice(1, close), port: hostPort.slice(close + 2) };
    }
    return { host: hostPort, port: '' };
  }
  const first = hostPort.indexOf(':');
  if (first < 0 || first !== hostPort.lastIndexOf(':')) return { host: hostPort, port: '' };
  return { host: hostPort.slice(0, first), port: hostPort.slice(first + 1) };
}

function cutAt(text: string, separator: string): string {
  const at = text.indexOf(separator);
  return at < 0 ? text : text.slice(0, at);
}

// Characters Go accepts unescaped in a host (shouldEscape(c, encodeHost) is false), plus all non-ASCII.
const GO_HOST = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"\u0080-\uffff]*$/;

function validGoHost(host: string): boolean {
  if (!GO_HOST.test(host)) return false;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    return close > 0 && validOptionalPort(host.slice(close + 1));
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 || validOptionalPort(host.slice(colon));
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function unescapePath(path: string): string | undefined {
  if (!path.includes('%')) return path;
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return undefined;
  try {
    return decodeURIComponent(path);
  } catch {
    // Percent-encoded bytes that are not UTF-8: Go keeps the raw bytes; we cannot match those anyway.
    return undefined;
  }
}

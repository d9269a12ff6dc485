/**
 * Globs for exempt images and registry hosts. Everything but the wildcards is literal, so `.` and `[` need no
 * escaping; `**` matches any run of characters.
 *
 * - Image globs (`exempt.images`, on canonical references): `*` matches any run of characters except `/`, `?` one
 *   character.
 * - Host globs (`registries[].host`, on host[:port]): `*` and `?` stay within one DNS label, so they never match a
 *   `.` (nor the `:` before a port, nor `/`): `*.example.com` lists `a.example.com`, never `a.b.example.com`. A listed
 *   host passes the SSRF guard, so a glob must not reach names deeper than the admin wrote.
 */
export type GlobMatcher = (text: string) => boolean;

type GlobMode = 'image' | 'host';

/** Why a glob is unusable, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() !== glob || glob === '') return 'must be non-empty with no surrounding spaces';
  if (/\*{3,}/.test(glob)) return 'has "***"; use * or **';
  if (/[\s\u0000-\u001f]/.test(glob)) return 'contains whitespace or control characters';
  return undefined;
}

/** What a single `*` or `?` may match in each mode. */
const ONE_CHAR: Readonly<Record<GlobMode, string>> = { image: '[^/]', host: '[^./:]' };

/** An `exempt.images` glob. */
export function compileGlob(glob: string): GlobMatcher {
  return compile(glob, 'image');
}

/** A `registries[].host` glob. */
export function compileHostGlob(glob: string): GlobMatcher {
  return compile(glob, 'host');
}

function compile(glob: string, mode: GlobMode): GlobMatcher {
  const one = ONE_CHAR[mode];
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += `${one}*`;
    else if (ch === '?') source += mode === 'image' ? '.' : one;
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (text) => regex.test(text);
}

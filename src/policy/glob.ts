/**
 * Globs for exempt images and registry hosts: `*` matches any run of characters except `/`, `**` also matches `/`,
 * `?` matches one character. Everything else is literal, so `.` and `[` need no escaping.
 */
export type GlobMatcher = (text: string) => boolean;

/** Why a glob is unusable, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() !== glob || glob === '') return 'must be non-empty with no surrounding spaces';
  if (/\*{3,}/.test(glob)) return 'has "***"; use * or **';
  if (/[\s\u0000-\u001f]/.test(glob)) return 'contains whitespace or control characters';
  return undefined;
}

export function compileGlob(glob: string): GlobMatcher {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (text) => regex.test(text);
}

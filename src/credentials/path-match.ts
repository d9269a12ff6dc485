/**
 * A faithful port of Go's `path.Match` (identical to `filepath.Match` on Linux), which the kubelet keyring uses to
 * match each host label of a registry key against the image's label (pkg/credentialprovider/keyring.go `URLsMatch`).
 *
 * Pattern syntax: `*` any run of non-`/` characters, `?` one non-`/` character, `[abc]`, `[a-z]`, `[^a-z]` classes,
 * `\x` a literal x. A malformed pattern (`[`, `[]`, trailing `\`) never matches, as in the kubelet (it treats
 * `ErrBadPattern` as "no match").
 */

/** Whether `name` matches the Go `path.Match` pattern; `false` for a malformed pattern. */
export function pathMatch(pattern: string, name: string): boolean {
  return goMatch(Array.from(pattern), Array.from(name)) === true;
}

/** Go's three answers: match, no match, or `ErrBadPattern`. */
export type MatchResult = true | false | 'bad-pattern';

/** Like {@link pathMatch}, but tells a malformed pattern apart from a mismatch. */
export function pathMatchResult(pattern: string, name: string): MatchResult {
  return goMatch(Array.from(pattern), Array.from(name));
}
type Chars = readonly string[];

function goMatch(patternIn: Chars, nameIn: Chars): MatchResult {
  let pattern = patternIn;
  let name = nameIn;
  patternLoop: while (pattern.length > 0) {
    const scanned = scanChunk(pattern);
    const { star, chunk } = scanned;
    pattern = scanned.rest;
    if (star && chunk.length === 0) return !name.includes('/'); // trailing * matches the rest unless it has a /
    const here = matchChunk(chunk, name);
    if (here.ok && (here.rest.length === 0 || pattern.length > 0)) {
      name = here.rest;
      continue;
    }
    if (here.bad) return 'bad-pattern';
    if (star) {
      // Let the star swallow i+1 characters, never a '/'.
      for (let i = 0; i < name.length && name[i] !== '/'; i++) {
        const skipped = matchChunk(chunk, name.slice(i + 1));
        if (skipped.ok) {
          if (pattern.length === 0 && skipped.rest.length > 0) continue; // last chunk must use up the name
          name = skipped.rest;
          continue patternLoop;
        }
        if (skipped.bad) return 'bad-pattern';
      }
    }
    // Before answering "no", make sure the rest of the pattern is well-formed (Go does the same).
    while (pattern.length > 0) {
      const next = scanChunk(pattern);
      pattern = next.rest;
      if (matchChunk(next.chunk, []).bad) return 'bad-pattern';
    }
    return false;
  }
  return name.length === 0;
}

function scanChunk(patternIn: Chars): { star: boolean; chunk: Chars; rest: Chars } {
  let pattern = patternIn;
  let star = false;
  while (pattern.length > 0 && pattern[0] === '*') {
    pattern = pattern.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: pattern.slice(0, i), rest: pattern.slice(i) };
}

interface ChunkResult {
  readonly ok: boolean;
  readonly bad: boolean;
  readonly rest: Chars;
}

const BAD: ChunkResult = { ok: false, bad: true, rest: [] };

function matchChunk(chunkIn: Chars, nameIn: Chars): ChunkResult {
  let chunk = chunkIn;
  let s = nameIn;
  // After a mismatch Go keeps walking the chunk only to validate its syntax.
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const head = chunk[0];
    if (head === '[') {
      let r = '';
      if (!failed) {
        r = s[0] ?? '';
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let matched = false;
      let ranges = 0;
      for (;;) {
        if (chunk[0] === ']' && ranges > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEscaped(chunk);
        if (lo === undefined) return BAD;
        chunk = lo.rest;
        let hi = lo.char;
        if (chunk[0] === '-') {
          const high = getEscaped(chunk.slice(1));
          if (high === undefined) return BAD;
          chunk = high.rest;
          hi = high.char;
        }
        const code = r.codePointAt(0) ?? -1;
        if ((lo.char.codePointAt(0) ?? 0) <= code && code <= (hi.codePointAt(0) ?? 0)) matched = true;
        ranges++;
      }
      if (matched === negated) failed = true;
    } else if (head === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (head === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return BAD;
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? { ok: false, bad: false, rest: [] } : { ok: true, bad: false, rest: s };
}

/** One (possibly escaped) character of a class; undefined for a malformed class, as Go's getEsc errors. */
function getEscaped(chunkIn: Chars): { char: string; rest: Chars } | undefined {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return undefined;
  if (chunk[0] === '\\') {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return undefined;
  }
  const char = chunk[0] as string;
  const rest = chunk.slice(1);
  if (rest.length === 0) return undefined;
  return { char, rest };
}

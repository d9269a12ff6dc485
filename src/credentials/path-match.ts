/**
 * Go's `path.Match` (identical to `filepath.Match` on Linux), which the kubelet keyring uses to match each host label
 * of a registry key against the image's label (pkg/credentialprovider/keyring.go `URLsMatch`).
 *
 * Pattern syntax: `*` any run of non-`/` characters, `?` one non-`/` character, `[abc]`, `[a-z]`, `[^a-z]` classes,
 * `\x` a literal x. A malformed pattern (`[`, `[]`, trailing `\`) never matches, as in the kubelet (it treats
 * `ErrBadPattern` as "no match").
 *
 * Go's Match walks every chunk of the pattern on every path (after a mismatch it keeps walking only to check the
 * syntax), so it answers ErrBadPattern exactly when some chunk is malformed. Here the pattern is therefore compiled
 * once, up front; matching then follows Go's algorithm (each chunk at its leftmost position, the last one where it
 * ends the name) over indexes, never copying the name: O(name × pattern) at worst, and a chunk gives up at its first
 * mismatching character. Every element takes exactly one character, so the last chunk after a star is tried only
 * where it would end the name, which is where Go's loop ends up accepting it. Characters are code points, so `?` and
 * classes take one whole character, as in Go for valid UTF-8.
 */

/** Go's three answers: match, no match, or `ErrBadPattern`. */
export type MatchResult = true | false | 'bad-pattern';

/** A character class: `[lo, hi]` code point pairs, one after the other. */
interface CharClass {
  readonly negated: boolean;
  readonly ranges: readonly number[];
}

/**
 * A compiled pattern: chunk `c` is `elements[starts[c], starts[c + 1])`, after one or more stars if `stars[c]`. Each
 * element takes one character and is a number, so neither compiling nor matching allocates per chunk: a code point
 * (≥ 0) is a literal, {@link ANY} is `?`, and `-2 - i` is `classes[i]`.
 */
interface Chunks {
  readonly elements: readonly number[];
  readonly starts: readonly number[];
  readonly stars: readonly boolean[];
  readonly classes: readonly CharClass[];
}

const ANY = -1;
const SLASH = 0x2f;

/** A compiled pattern, or 'bad-pattern' when Go would answer ErrBadPattern for every name. */
export type CompiledPattern = Chunks | 'bad-pattern';

/** Whether `name` matches the Go `path.Match` pattern; `false` for a malformed pattern. */
export function pathMatch(pattern: string, name: string): boolean {
  return matchCompiled(compilePathPattern(pattern), name) === true;
}

/** Like {@link pathMatch}, but tells a malformed pattern apart from a mismatch. */
export function pathMatchResult(pattern: string, name: string): MatchResult {
  return matchCompiled(compilePathPattern(pattern), name);
}

/** The code points of a name, for {@link matchCompiled} (a caller matching one name against many patterns converts it once). */
export function codePoints(name: string): readonly number[] {
  return Array.from(name, (char) => char.codePointAt(0) ?? 0);
}

/** Compiles a pattern once, for matching against many names (the keyring does this per key label). */
export function compilePathPattern(pattern: string): CompiledPattern {
  const chars = Array.from(pattern);
  const compiled = {
    elements: [] as number[],
    starts: [] as number[],
    stars: [] as boolean[],
    classes: [] as CharClass[],
  };
  let at = 0;
  while (at < chars.length) {
    let star = false;
    while (chars[at] === '*') {
      star = true;
      at++;
    }
    const end = chunkEnd(chars, at);
    compiled.starts.push(compiled.elements.length);
    compiled.stars.push(star);
    if (!parseChunk(chars, at, end, compiled)) return 'bad-pattern';
    at = end;
  }
  compiled.starts.push(compiled.elements.length);
  return compiled;
}

/** Go's Match over a compiled pattern. */
export function matchCompiled(compiled: CompiledPattern, nameText: string | readonly number[]): MatchResult {
  if (compiled === 'bad-pattern') return 'bad-pattern';
  const name = typeof nameText === 'string' ? codePoints(nameText) : nameText;
  const { starts, stars } = compiled;
  const chunks = stars.length;
  let at = 0;
  for (let c = 0; c < chunks; c++) {
    const star = stars[c] as boolean;
    const size = (starts[c + 1] as number) - (starts[c] as number);
    const last = c === chunks - 1;
    if (star && size === 0) return noSlash(name, at, name.length); // a trailing * takes the rest, but no /
    const here = matchChunk(compiled, c, name, at);
    if (here >= 0 && (here === name.length || !last)) {
      at = here;
      continue;
    }
    if (!star) return false;
    if (last) {
      // The star swallows name[at, start), never a '/', and the chunk must end the name.
      const start = name.length - size;
      return start > at && noSlash(name, at, start) && matchChunk(compiled, c, name, start) === name.length;
    }
    // Let the star swallow i+1 characters, never a '/'; the chunk goes where it first matches.
    let found = -1;
    for (let i = at; i < name.length && name[i] !== SLASH; i++) {
      found = matchChunk(compiled, c, name, i + 1);
      if (found >= 0) break;
    }
    if (found < 0) return false;
    at = found;
  }
  return at === name.length;
}

function noSlash(name: readonly number[], start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (name[i] === SLASH) return false;
  return true;
}

/** Where the chunk starting at `start` ends: at the first `*` outside a class, as Go's scanChunk. */
function chunkEnd(chars: readonly string[], start: number): number {
  let inRange = false;
  let i = start;
  for (; i < chars.length; i++) {
    const char = chars[i];
    if (char === '\\') {
      if (i + 1 < chars.length) i++;
    } else if (char === '[') inRange = true;
    else if (char === ']') inRange = false;
    else if (char === '*' && !inRange) break;
  }
  return i;
}

/** Appends the elements of chars[start, end); false where Go's matchChunk/getEsc report ErrBadPattern. */
function parseChunk(
  chars: readonly string[],
  start: number,
  end: number,
  into: { elements: number[]; classes: CharClass[] },
): boolean {
  let i = start;
  while (i < end) {
    const head = chars[i] as string;
    if (head === '?') {
      into.elements.push(ANY);
      i++;
    } else if (head === '[') {
      i++;
      const negated = chars[i] === '^' && i < end;
      if (negated) i++;
      const ranges: number[] = [];
      for (;;) {
        if (i < end && chars[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar(chars, i, end);
        if (lo === undefined) return false;
        i = lo.next;
        let hi = lo.code;
        if (chars[i] === '-') {
          const high = classChar(chars, i + 1, end);
          if (high === undefined) return false;
          i = high.next;
          hi = high.code;
        }
        ranges.push(lo.code, hi);
      }
      into.elements.push(-2 - into.classes.length);
      into.classes.push({ negated, ranges });
    } else {
      if (head === '\\') {
        i++;
        if (i >= end) return false;
      }
      into.elements.push((chars[i] as string).codePointAt(0) ?? 0);
      i++;
    }
  }
  return true;
}

/** One (possibly escaped) character of a class; undefined for a malformed class, as Go's getEsc errors. */
function classChar(chars: readonly string[], start: number, end: number): { code: number; next: number } | undefined {
  let i = start;
  if (i >= end || chars[i] === '-' || chars[i] === ']') return undefined;
  if (chars[i] === '\\') {
    i++;
    if (i >= end) return undefined;
  }
  const code = (chars[i] as string).codePointAt(0) ?? 0;
  // Go's getEsc: a class must not end right after a character (its closing ']' is still to come).
  if (i + 1 >= end) return undefined;
  return { code, next: i + 1 };
}

/** Matches chunk `c` at name[at…]; the index after it, or -1 at the first mismatch. */
function matchChunk(compiled: Chunks, c: number, name: readonly number[], at: number): number {
  const { elements, classes } = compiled;
  const first = compiled.starts[c] as number;
  const size = (compiled.starts[c + 1] as number) - first;
  if (name.length - at < size) return -1;
  for (let j = 0; j < size; j++) {
    const element = elements[first + j] as number;
    const code = name[at + j] as number;
    if (element >= 0) {
      if (code !== element) return -1;
    } else if (element === ANY) {
      if (code === SLASH) return -1;
    } else {
      const charClass = classes[-2 - element] as CharClass;
      if (inRanges(charClass.ranges, code) === charClass.negated) return -1;
    }
  }
  return at + size;
}

function inRanges(ranges: readonly number[], code: number): boolean {
  for (let r = 0; r < ranges.length; r += 2)
    if ((ranges[r] as number) <= code && code <= (ranges[r + 1] as number)) return true;
  return false;
}

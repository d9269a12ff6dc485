/**
 * A hand-written parser of `WWW-Authenticate` challenge lists (RFC 7235 §4.1, RFC 9110 §11.6.1).
 *
 * Why not split on commas: challenges and their parameters are both comma-separated, and quoted values contain
 * commas (`scope="repository:a:pull,push"`). A new challenge starts where a token is followed by a space and not by
 * `=`. Libraries on npm mangle multi-challenge headers, hence this ~100-line tokenizer (Renovate wrote its own too:
 * https://github.com/renovatebot/renovate/blob/main/lib/util/http/www-authenticate.ts).
 */

/** One challenge. `scheme` and parameter names are lower-cased (they are case-insensitive); values are verbatim. */
export interface Challenge {
  readonly scheme: string;
  /** Null-prototype record, so a parameter named `__proto__` is just a parameter. First occurrence wins. */
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** Parses one header value, or the several lines of a repeated header (undici gives an array for those). */
export function parseWwwAuthenticate(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  if (typeof header !== 'string') return header.flatMap((line) => parseWwwAuthenticate(line));
  return new ChallengeParser(header).parseAll();
}

/**
 * The challenge a registry client should answer: the first Bearer challenge that names a realm (as containerd
 * does), else the first Basic challenge, else undefined.
 */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer' && (c.params.realm ?? '') !== '') ??
    challenges.find((c) => c.scheme === 'basic')
  );
}

/** Two challenges ask for the same answer: same scheme, realm and service (`scope` and `error` vary per request). */
export function sameChallenge(a: Challenge | null, b: Challenge | null): boolean {
  if (a === null || b === null) return a === b;
  return a.scheme === b.scheme && a.params.realm === b.params.realm && a.params.service === b.params.service;
}

class ChallengeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): Challenge[] {
    const challenges: Challenge[] = [];
    while (this.pos < this.text.length) {
      this.skip(/[\s,]/);
      const scheme = this.readToken();
      if (scheme === '') {
        // Not a token where a scheme must start: skip to the next comma and try again.
        this.skipPast(',');
        continue;
      }
      challenges.push(this.readChallengeBody(scheme.toLowerCase()));
    }
    return challenges;
  }

  private readChallengeBody(scheme: string): Challenge {
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    if (!this.skipSpaces()) return { scheme, params };
    const token68 = this.tryToken68();
    if (token68 !== undefined) return { scheme, params, token68 };
    for (;;) {
      const start = this.pos;
      const name = this.readToken();
      this.skipSpaces();
      if (name === '' || this.text[this.pos] !== '=') {
        // `, Basic realm=…` (or a bare `, Basic`): the next challenge begins here.
        this.pos = start;
        return { scheme, params };
      }
      this.pos++;
      this.skipSpaces();
      const value = this.text[this.pos] === '"' ? this.readQuoted() : this.readToken();
      const key = name.toLowerCase();
      if (!(key in params)) params[key] = value;
      this.skipSpaces();
      if (this.text[this.pos] !== ',') {
        // Garbage after a value: resynchronise at the next comma (or the end).
        if (this.pos < this.text.length) this.skipPast(',');
      } else {
        this.pos++;
      }
      this.skip(/[\s,]/);
      if (this.pos >= this.text.length) return { scheme, params };
    }
  }

  /** token68 is only a token68 when it is all there is before the next comma or the end. */
  private tryToken68(): string | undefined {
    const match = TOKEN68.exec(this.text.slice(this.pos));
    if (!match) return undefined;
    let end = this.pos + match[0].length;
    while (end < this.text.length && /[ \t]/.test(this.text[end] as string)) end++;
    if (end < this.text.length && this.text[end] !== ',') return undefined;
    this.pos = end;
    return match[0];
  }

  private readToken(): string {
    const start = this.pos;
    while (this.pos < this.text.length && TCHAR.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A quoted-string with `\` escapes; an unterminated one runs to the end of the header. */
  private readQuoted(): string {
    let value = '';
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++] as string;
      if (ch === '"') return value;
      if (ch === '\\' && this.pos < this.text.length) value += this.text[this.pos++];
      else value += ch;
    }
    return value;
  }

  /** Skips spaces and tabs; tells whether any were skipped. */
  private skipSpaces(): boolean {
    const start = this.pos;
    this.skip(/[ \t]/);
    return this.pos > start;
  }

  private skip(chars: RegExp): void {
    while (this.pos < this.text.length && chars.test(this.text[this.pos] as string)) this.pos++;
  }

  private skipPast(ch: string): void {
    const next = this.text.indexOf(ch, this.pos);
    this.pos = next === -1 ? this.text.length : next + 1;
  }
}

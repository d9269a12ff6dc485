/**
 * Manifest bytes → text, as go-yaml (and so kubectl) reads them: UTF-8, or UTF-16/UTF-32 when a byte-order mark says
 * so (the YAML 1.2 spec, §5.2 https://yaml.org/spec/1.2.2/#52-character-encodings). Anything else (NUL bytes, invalid
 * UTF-8) is not a manifest: {@link ManifestError} `PG_MANIFEST_NOT_TEXT` with the file. Pure.
 */
import { ManifestError } from './manifest-error.js';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** Longest first: the UTF-32 LE mark begins with the UTF-16 LE one. */
const BYTE_ORDER_MARKS: ReadonlyArray<readonly [Encoding, readonly number[]]> = [
  ['utf-32le', [0xff, 0xfe, 0x00, 0x00]],
  ['utf-32be', [0x00, 0x00, 0xfe, 0xff]],
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

const HINT = 'a manifest is UTF-8 text, or UTF-16/UTF-32 with a byte-order mark';

/** Decodes `bytes` (the byte-order mark dropped); throws `PG_MANIFEST_NOT_TEXT` for binary or undecodable input. */
export function decodeManifest(bytes: Uint8Array, file: string): string {
  const [encoding, markLength] = encodingOf(bytes);
  const body = bytes.subarray(markLength);
  // Before decoding, so that binary junk is called binary rather than invalid UTF-8.
  if (encoding === 'utf-8' && body.includes(0)) throw binary(file, body.subarray(0, body.indexOf(0)));
  let text: string;
  try {
    text =
      encoding === 'utf-32le' || encoding === 'utf-32be'
        ? decodeUtf32(body, encoding === 'utf-32le')
        : decodeWith(body, encoding);
  } catch (cause) {
    throw new ManifestError('PG_MANIFEST_NOT_TEXT', {
      file,
      detail: `not text: ${(cause as Error).message} (${HINT})`,
      cause,
    });
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) throw binary(file, new TextEncoder().encode(text.slice(0, nul)));
  return text;
}

/** `before`: the UTF-8 bytes that precede the first NUL, for its line. */
function binary(file: string, before: Uint8Array): ManifestError {
  const line = before.reduce((lines, byte) => (byte === 0x0a ? lines + 1 : lines), 1);
  return new ManifestError('PG_MANIFEST_NOT_TEXT', {
    file,
    line,
    detail: `not text: binary data (a NUL character) (${HINT})`,
  });
}

function encodingOf(bytes: Uint8Array): [Encoding, number] {
  for (const [encoding, mark] of BYTE_ORDER_MARKS)
    if (mark.length <= bytes.length && mark.every((byte, index) => bytes[index] === byte))
      return [encoding, mark.length];
  return ['utf-8', 0];
}

function decodeWith(body: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new Error(`invalid ${encoding.toUpperCase()}`);
  }
}

/** WHATWG TextDecoder has no UTF-32 (https://encoding.spec.whatwg.org/#names-and-labels): one code point per 4 bytes. */
function decodeUtf32(body: Uint8Array, littleEndian: boolean): string {
  if (body.length % 4 !== 0) throw new Error('invalid UTF-32 (a length that is not a multiple of 4)');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const parts: string[] = [];
  for (let offset = 0; offset < body.length; offset += 4) {
    const codePoint = view.getUint32(offset, littleEndian);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
      throw new Error(`invalid UTF-32 (U+${codePoint.toString(16).toUpperCase()} at byte ${offset})`);
    parts.push(String.fromCodePoint(codePoint));
  }
  return parts.join('');
}

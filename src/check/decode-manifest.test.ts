import t from 'tap';
import { decodeManifest } from './decode-manifest.js';
import { ManifestError } from './manifest-error.js';

const TEXT = 'kind: Pod\nname: café ☃ 𝄞\n';

function utf32(text: string, littleEndian: boolean): Uint8Array {
  const codePoints = [...text].map((char) => char.codePointAt(0) ?? 0);
  const view = new DataView(new ArrayBuffer(codePoints.length * 4));
  codePoints.forEach((codePoint, index) => view.setUint32(index * 4, codePoint, littleEndian));
  return new Uint8Array(view.buffer);
}

const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
const withMark = (mark: number[], body: Uint8Array) => Buffer.concat([Buffer.from(mark), body]);

t.test('UTF-8, and every byte-order mark, decode to the same text without the mark', async (t) => {
  const cases: Array<[string, Uint8Array]> = [
    ['UTF-8', Buffer.from(TEXT)],
    ['UTF-8 with a mark', withMark([0xef, 0xbb, 0xbf], Buffer.from(TEXT))],
    ['UTF-16 LE', withMark([0xff, 0xfe], Buffer.from(TEXT, 'utf16le'))],
    ['UTF-16 BE', withMark([0xfe, 0xff], utf16be(TEXT))],
    ['UTF-32 LE', withMark([0xff, 0xfe, 0x00, 0x00], utf32(TEXT, true))],
    ['UTF-32 BE', withMark([0x00, 0x00, 0xfe, 0xff], utf32(TEXT, false))],
  ];
  for (const [name, bytes] of cases) t.equal(decodeManifest(bytes, 'f.yaml'), TEXT, name);
  t.equal(decodeManifest(new Uint8Array(), 'f.yaml'), '', 'empty');
  t.equal(decodeManifest(Buffer.from([0xef, 0xbb, 0xbf]), 'f.yaml'), '', 'only a mark');
});

t.test('binary or undecodable input: PG_MANIFEST_NOT_TEXT with the file', async (t) => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['a NUL byte on line 2', Buffer.from('a: 1\nb: \0\n'), 'f.yaml:2: not text: binary data (a NUL character)'],
    ['NUL and invalid UTF-8', Buffer.from([0x61, 0xff, 0x00]), 'f.yaml:1: not text: binary data (a NUL character)'],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28]), 'f.yaml: not text: invalid UTF-8'],
    ['unmarked UTF-16', Buffer.from('a\nb', 'utf16le'), 'f.yaml:1: not text: binary data (a NUL character)'],
    ['a NUL in UTF-16', withMark([0xff, 0xfe], Buffer.from('a\n\0', 'utf16le')), 'f.yaml:2: not text: binary data'],
    [
      'a lone surrogate in UTF-16',
      withMark([0xff, 0xfe], Buffer.from([0x00, 0xd8, 0x61, 0x00])),
      'f.yaml: not text: invalid UTF-16LE',
    ],
    [
      'odd UTF-32',
      withMark([0xff, 0xfe, 0x00, 0x00], Buffer.from([0x61, 0, 0])),
      'f.yaml: not text: invalid UTF-32 (a length',
    ],
    [
      'UTF-32 past U+10FFFF',
      withMark([0x00, 0x00, 0xfe, 0xff], Buffer.from([0, 0x11, 0, 0])),
      'f.yaml: not text: invalid UTF-32 (U+110000 at byte 0)',
    ],
    [
      'UTF-32 surrogate',
      withMark([0x00, 0x00, 0xfe, 0xff], Buffer.from([0, 0, 0xd8, 0])),
      'f.yaml: not text: invalid UTF-32 (U+D800',
    ],
  ];
  for (const [name, bytes, message] of cases) {
    let thrown: unknown;
    try {
      decodeManifest(bytes, 'f.yaml');
    } catch (error) {
      thrown = error;
    }
    t.ok(thrown instanceof ManifestError, `${name}: a ManifestError`);
    t.equal((thrown as ManifestError | undefined)?.code, 'PG_MANIFEST_NOT_TEXT', `${name}: code`);
    t.ok(
      (thrown as Error | undefined)?.message.startsWith(message),
      `${name}: ${(thrown as Error | undefined)?.message}`,
    );
    t.match(
      (thrown as Error | undefined)?.message,
      /\(a manifest is UTF-8 text, or UTF-16\/UTF-32 with a byte-order mark\)$/,
    );
  }
});

import t from 'tap';
import { documentChunks } from './document-chunks.js';

const chunks = (text: string) =>
  [...documentChunks(text)].map((chunk) => [chunk.text, chunk.startLine, chunk.contentLine, chunk.oddEnd]);

t.test('a file without markers is one chunk; an empty file or one of comments has none', async (t) => {
  t.same(chunks('a: 1\nb: 2\n'), [['a: 1\nb: 2\n', 1, 1, false]]);
  t.same(chunks('a: 1'), [['a: 1', 1, 1, false]]);
  t.same(chunks(''), []);
  t.same(chunks('# only\n\n# comments\n'), []);
});

t.test('leading comments and blank lines come before the first content line', async (t) => {
  t.same(chunks('# c\n\n  # indented\nkind: A\n'), [['# c\n\n  # indented\nkind: A\n', 1, 4, false]]);
  t.same(chunks('# c\n---\nkind: A\n'), [['---\nkind: A\n', 2, 3, false]]);
});

t.test('--- starts a chunk, with a comment or content on its line', async (t) => {
  t.same(chunks('a: 1\n---\nb: 2\n--- # two\n\nc: 3\n'), [
    ['a: 1\n', 1, 1, false],
    ['---\nb: 2\n', 2, 3, false],
    ['--- # two\n\nc: 3\n', 4, 6, false],
  ]);
  t.same(chunks('--- {a: 1}\n---\tb: 2\n'), [
    ['--- {a: 1}\n', 1, 1, false],
    ['---\tb: 2\n', 2, 2, false],
  ]);
});

t.test('empty documents are left out', async (t) => {
  t.same(chunks('---\n---\n# only a comment\n---\nkind: A\n---\n'), [['---\nkind: A\n', 4, 5, false]]);
});

t.test('... ends a chunk; what follows is the next one', async (t) => {
  t.same(chunks('a: 1\n... # end\nb: 2\n...\n'), [
    ['a: 1\n', 1, 1, false],
    ['b: 2\n', 3, 3, false],
  ]);
  t.same(chunks('a: 1\n---\n\nb: 1\n... c\nd: 1\n'), [
    ['a: 1\n', 1, 1, false],
    ['', 2, 4, true],
  ]);
});

t.test('a marker line ends a block or quoted scalar; lookalikes do not', async (t) => {
  t.same(chunks('a: |\n  x\n---\n  y\n'), [
    ['a: |\n  x\n', 1, 1, false],
    ['---\n  y\n', 3, 4, false],
  ]);
  t.same(chunks('a: "x\n---\ny"\n'), [
    ['a: "x\n', 1, 1, false],
    ['---\ny"\n', 2, 3, false],
  ]);
  t.same(chunks('a: |\n  ---\n----\n-- -\n.. .\n'), [['a: |\n  ---\n----\n-- -\n.. .\n', 1, 1, false]]);
});

t.test('CRLF line ends', async (t) => {
  t.same(chunks('a: 1\r\n---\r\n\r\nb: 2\r\n...\r\nc: 3\r\n'), [
    ['a: 1\r\n', 1, 1, false],
    ['---\r\n\r\nb: 2\r\n', 2, 4, false],
    ['c: 3\r\n', 6, 6, false],
  ]);
});

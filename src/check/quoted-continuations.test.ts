import t from 'tap';
import { parseAllDocuments, type Document } from 'yaml';
import { indentQuotedContinuations } from './quoted-continuations.js';

/** One round, as parse-manifests runs it. */
function fixOnce(text: string): string | undefined {
  return indentQuotedContinuations(text, parseAllDocuments(text) as Document.Parsed[]);
}

t.test('continuation lines are indented past the opening quote, nothing else changes', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['double', 'a:\n  b: "x\n  y"\nc: 1\n', 'a:\n  b: "x\n      y"\nc: 1\n'],
    ['single, with an empty line', "a:\n  b: 'x\n\ny'\n", "a:\n  b: 'x\n\n      y'\n"],
    ['an escaped quote inside', 'a:\n  b: "x\\"\ny"\n', 'a:\n  b: "x\\"\n      y"\n'],
    ["a doubled '' inside", "a:\n  b: 'x''\ny'\n", "a:\n  b: 'x''\n      y'\n"],
    ['two scalars', 'a:\n  b: "x\n  y"\n  c: "p\n  q"\n', 'a:\n  b: "x\n      y"\n  c: "p\n      q"\n'],
    ['lines already deep enough stay', 'a:\n  b: "x\n          y\n  z"\n', 'a:\n  b: "x\n          y\n      z"\n'],
  ];
  for (const [name, text, expected] of cases) t.equal(fixOnce(text), expected, name);
});

t.test('nothing to fix', async (t) => {
  t.equal(fixOnce('a:\n  b: "x\n    y"\n'), undefined, 'a valid document');
  t.equal(fixOnce('a: "x\n  y"\nb: [\n'), undefined, 'a broken document whose quotes are fine');
  t.equal(fixOnce('a:\n  b: "x\n  y\n'), undefined, 'a quote never closed');
  t.equal(fixOnce('a: "x\n---\ny"\n'), undefined, 'a document marker inside');
  t.equal(fixOnce('a: "x\n...\ny"\n'), undefined, 'a document end marker inside');
});

import t from 'tap';
import { booleanAt, isTable, MAX_FILE_BYTES, readToml, stringAt, stringsAt } from './toml-input.js';

t.test('valid TOML becomes a table', async (t) => {
  t.same(readToml('a.toml', 'x = "y"\n[t]\nb = true'), { ok: true, table: { x: 'y', t: { b: true } } });
});

t.test('a parse error names the file and the line, with the first line of the message only', async (t) => {
  const read = readToml('a.toml', 'x = 1\ny = \n');
  t.match(read, { ok: false, problem: { file: 'a.toml', line: 2, message: /^invalid TOML: [^\n]+$/ } });
});

t.test('nesting deeper than the limit is a problem, not a stack overflow', async (t) => {
  const deep = `x = ${'['.repeat(5000)}${']'.repeat(5000)}`;
  t.match(readToml('deep.toml', deep), { ok: false, problem: { file: 'deep.toml', message: /^invalid TOML/ } });
});

t.test('a file over the size limit is refused before parsing', async (t) => {
  const multibyte = 'é'.repeat(MAX_FILE_BYTES / 2 + 1); // fewer characters than bytes
  t.match(readToml('big.toml', `# ${multibyte}`), { ok: false, problem: { message: /larger than 262144 bytes/ } });
  t.equal(readToml('edge.toml', `#${'a'.repeat(MAX_FILE_BYTES - 1)}`).ok, true, 'exactly the limit is read');
});

t.test('typed accessors answer undefined for a wrong type', async (t) => {
  const table = { s: 's', b: false, l: ['a', 'b'], mixed: ['a', 1], n: 1 };
  t.same([stringAt(table, 's'), stringAt(table, 'n')], ['s', undefined]);
  t.same([booleanAt(table, 'b'), booleanAt(table, 's')], [false, undefined]);
  t.same([stringsAt(table, 's'), stringsAt(table, 'l'), stringsAt(table, 'mixed')], [['s'], ['a', 'b'], undefined]);
  t.same([isTable({}), isTable([]), isTable(null), isTable(new Date())], [true, false, false, false]);
});

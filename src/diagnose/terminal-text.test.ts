import t from 'tap';
import { safeLines, safeText } from './terminal-text.js';

t.test('escape sequences and carriage returns are written as visible escapes', async (t) => {
  t.equal(safeText('pull failed\u001b[2J\u001b[Hok\rFORGED'), 'pull failed\\x1b[2J\\x1b[Hok\\rFORGED');
  t.equal(safeText('a\tb\u0000c\u007fd'), 'a\\tb\\x00c\\x7fd');
  t.equal(safeText('csi\u009b31m'), 'csi\\x9b31m', 'a C1 control introducer is escaped too');
  t.equal(safeText('x\u2028y\u202ez'), 'x\\u2028y\\u202ez');
  t.equal(safeText('line\nnext'), 'line\\nnext', 'one line stays one line');
  t.equal(safeText('bad \ud800 half'), 'bad \ufffd half');
});

t.test('plain text, quotes, backslashes and non-ASCII letters are kept as they are', async (t) => {
  const text = 'Failed to pull image "ghcr.io/acme/app:1.4.2": rpc error: code = NotFound desc = C:\\ é 日本';
  t.equal(safeText(text), text);
});

t.test('lines are split on line feeds, each made safe', async (t) => {
  t.same(safeLines('first\r\nsecond\u001b]0;title\u0007'), ['first\\r', 'second\\x1b]0;title\\x07']);
  t.same(safeLines(''), ['']);
});

t.test('no control character survives, whatever the input', async (t) => {
  let all = '';
  for (let code = 0; code < 0x100; code++) all += String.fromCodePoint(code);
  const out = safeLines(all).join('');
  t.notOk(/[\u0000-\u001f\u007f-\u009f]/u.test(out));
});

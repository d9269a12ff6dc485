import t from 'tap';
import { parseDocument } from 'yaml';
import { aliasExpansionProblem } from './alias-budget.js';
import { MAX_ALIAS_EXPANSION } from './read-limits.js';

const problem = (text: string) => aliasExpansionProblem(parseDocument(text, { merge: true }));

/** `levels` levels of `width` aliases each to the level below: width^levels leaves. */
function laughs(levels: number, width: number): string {
  const lines = [`a0: &a0 [${Array.from({ length: width }, () => 'x').join(', ')}]`];
  for (let level = 1; level < levels; level++)
    lines.push(`a${level}: &a${level} [${Array.from({ length: width }, () => `*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

t.test('documents whose aliases add at most the budget are fine, however many aliases', async (t) => {
  t.equal(problem('a: 1\n'), undefined, 'no aliases');
  t.equal(problem(`a: &a [x]\nb: [${Array.from({ length: 5000 }, () => '*a').join(', ')}]\n`), undefined, '5000');
  t.equal(problem('b: &b {x: 1}\nc: {<<: *b, y: 2}\n'), undefined, 'a merge key');
  t.equal(problem('a: *nowhere\n'), undefined, 'an unknown anchor is left to the library');
  // 10^5 leaves plus the sequences: about 111,000 nodes, under the budget
  t.equal(problem(laughs(5, 10)), undefined, 'a small expansion');
});

t.test('an expansion beyond the budget, or a cycle, is a problem with its offset', async (t) => {
  t.same(problem(laughs(7, 10)), {
    offset: 0,
    reason: `its aliases expand it by more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes`,
  });
  t.same(problem('a: &x [ *x ]\n'), { offset: 8, reason: 'the alias *x is inside its own anchor' });
  t.same(problem('k: v\na: &x {b: [1, *x]}\n'), { offset: 19, reason: 'the alias *x is inside its own anchor' });
});

t.test('the budget counts nodes added, not nodes written', async (t) => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => i).join(', ');
  // written: a big sequence once, no alias: far more nodes than any alias adds
  t.equal(problem(`a: [${items(MAX_ALIAS_EXPANSION / 50)}]\n`), undefined);
  // a 1,001-node sequence aliased 999 times adds 999,999 nodes; 1,000 times adds 1,001,000
  const big = `a: &a [${items(1000)}]\n`;
  t.equal(problem(`${big}b: [${Array.from({ length: 999 }, () => '*a').join(', ')}]\n`), undefined, 'just under');
  t.ok(problem(`${big}b: [${Array.from({ length: 1000 }, () => '*a').join(', ')}]\n`), 'just over');
});

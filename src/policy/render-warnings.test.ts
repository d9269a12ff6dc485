import t, { type Test } from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import type { DecidedFinding } from './finding.js';
import { MAX_WARNING_CHARS, renderWarnings, sanitizeWarning } from './render-warnings.js';

const use = (name: string, section: ImageUse['section'] = 'containers'): ImageUse => ({
  image: 'x',
  name,
  section,
  path: `spec.${section}[0].image`,
});
const warn = (short: string, extra: Partial<DecidedFinding> = {}): DecidedFinding => ({
  class: 'latestTag',
  cause: 'c',
  short,
  verdict: 'warn',
  use: use('app'),
  ...extra,
});

const legal = (t: Test, line: string) => {
  t.ok([...line].length <= MAX_WARNING_CHARS, `≤ 120 characters: ${line}`);
  t.notMatch(line, /[\u0000-\u001f\u007f-\u009f]/, 'no control characters');
  t.notMatch(line, /^warning:/i, 'no Warning: prefix');
  t.ok(line.isWellFormed(), 'valid UTF-8');
};

t.test('one line per warning, named by its use; deny and allow findings are not warnings', async (t) => {
  const lines = renderWarnings([
    warn('uses :latest'),
    warn('no tag', { use: use('migrate', 'initContainers') }),
    warn('debug', { use: use('dbg', 'ephemeralContainers') }),
    warn('vol', { use: use('data', 'volumes') }),
    warn('secret missing', { use: undefined, subject: 'pull secret shop/regcred' }),
    warn('denied', { verdict: 'deny' }),
    warn('allowed', { verdict: 'allow' }),
    warn('softened', { softened: true }),
  ]);
  t.same(lines, [
    'container "app": uses :latest',
    'init container "migrate": no tag',
    'ephemeral container "dbg": debug',
    'image volume "data": vol',
    'pull secret shop/regcred: secret missing',
    'would deny: container "app": softened',
  ]);
});

t.test("a custom resource's unnamed container is named by where it is", async (t) => {
  const bare = (path: string, section: ImageUse['section'] = 'containers'): ImageUse => ({
    image: 'x',
    name: '',
    section,
    path,
  });
  t.same(
    renderWarnings([
      warn('no tag', { use: bare('spec.templates[1].container.image') }),
      warn('no tag', { use: bare('spec.templates[0].initContainers[2].image', 'initContainers') }),
      warn('vol', { use: bare('spec.volumes[0].image.reference', 'volumes') }),
    ]),
    [
      'container at spec.templates[1].container: no tag',
      'init container at spec.templates[0].initContainers[2]: no tag',
      'image volume "": vol',
    ],
  );
});

t.test('at most 10 plus one summary; duplicates once', async (t) => {
  const lines = renderWarnings(Array.from({ length: 15 }, (_, i) => warn(`w${i}`)).concat([warn('w0')]));
  t.equal(lines.length, 11);
  t.match(lines[10], /^… and 5 more warnings/);
  lines.forEach((line) => legal(t, line));
  t.equal(
    renderWarnings(Array.from({ length: 11 }, (_, i) => warn(`w${i}`)))[10],
    '… and 1 more warning (see the audit annotation pullguard findings)',
  );
  t.equal(
    renderWarnings(Array.from({ length: 10 }, (_, i) => warn(`w${i}`))).length,
    10,
    'exactly 10 needs no summary',
  );
});

t.test('sanitizeWarning makes any text legal for the API server', async (t) => {
  const cases: [string, string][] = [
    ['a\nb\r\nc', 'a b c'],
    ['tab\there', 'tab here'],
    ['esc \u001b[31mred\u001b[0m', 'esc [31mred [0m'],
    ['  padded  ', 'padded'],
    ['Warning: x', 'x'],
    ['del\u007fc1\u0085', 'del c1'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
    ['line\u2028sep', 'line sep'],
  ];
  for (const [input, expected] of cases) t.equal(sanitizeWarning(input), expected, `case ${JSON.stringify(expected)}`); // a raw U+2028 in a name would break the TAP stream
  const long = sanitizeWarning('é'.repeat(300));
  t.equal([...long].length, 120);
  t.ok(long.endsWith('…'));
  const emoji = sanitizeWarning('🚀'.repeat(200));
  t.equal([...emoji].length, 120, 'counts code points, never splits a surrogate pair');
  legal(t, emoji);
});

t.test('long image names are cut, not dropped', async (t) => {
  const [line] = renderWarnings([warn(`"${'a'.repeat(300)}" has no tag and pulls :latest`)]);
  legal(t, line as string);
  t.match(line, /^container "app": "aaa/);
});

t.test('full lines (pullguard check): every warning, its whole cause and fix, no cut and no summary', async (t) => {
  const long = `"${'a'.repeat(300)}" has no tag and pulls :latest.`;
  const findings = Array.from({ length: 12 }, (_, i) =>
    warn(`w${i}`, { cause: i === 0 ? long : `cause ${i}\nnext`, fix: `Fix: pin ${i}.` }),
  );
  const lines = renderWarnings(findings, { full: true });
  t.equal(lines.length, 12, 'no "… and N more"');
  t.equal(lines[0], `container "app": ${long} Fix: pin 0.`, 'whole message, past 120 characters');
  t.equal(lines[1], 'container "app": cause 1 next Fix: pin 1.', 'still one line per warning');
  t.notMatch(lines.join('\n'), /audit annotation/);
  t.same(renderWarnings([warn('s', { cause: 'c.', softened: true })], { full: true }), [
    'would deny: container "app": c.',
  ]);
  t.same(renderWarnings([warn('s', { verdict: 'deny' })], { full: true }), [], 'only warnings');
});

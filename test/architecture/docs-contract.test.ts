/** The user-facing names in the code and in docs/findings.md stay in step (fastify's errors.test.js pattern). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_POLICY, FINDING_CLASSES } from '../../src/policy/finding-class.js';
import { OUTCOMES } from '../../src/resolution/resolution.js';
import { ERROR_STATUS } from '../../src/server/error-replies.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'findings.md'), 'utf8');
const documentedClasses = [...doc.matchAll(/^\| `([a-zA-Z]+)` \| (deny|warn|allow) \|/gm)].map((m) => [m[1], m[2]]);

t.test('every finding class is documented with its default, and nothing else is', async (t) => {
  t.same(documentedClasses.map(([name]) => name).sort(), [...FINDING_CLASSES].sort());
  for (const [name, action] of documentedClasses)
    t.equal(DEFAULT_POLICY[name as keyof typeof DEFAULT_POLICY], action, `${name} defaults to ${action}`);
});

t.test('every registry outcome is documented', async (t) => {
  for (const outcome of OUTCOMES) t.match(doc, `\`${outcome}\``, outcome);
});

t.test('every HTTP error code the webhook sends is documented', async (t) => {
  const files = [
    ['server', 'webhook-app.ts'],
    ['server', 'error-replies.ts'],
    ['server', 'body-budget.ts'],
    ['admission', 'decode-review.ts'],
    ['admission', 'parse-review-body.ts'],
  ];
  const source = files
    .map((path) => readFileSync(join(import.meta.dirname, '..', '..', 'src', ...path), 'utf8'))
    .join('\n');
  const codes = new Set(
    [...source.matchAll(/'([A-Z][A-Z_]+)'/g)]
      .map((m) => m[1] as string)
      .filter((c) => !c.startsWith('FST_') && !c.startsWith('TLS')),
  );
  t.ok(codes.size >= 5, 'found the error codes in the source');
  for (const code of codes) t.match(doc, `| \`${code}\` |`, code);
});

t.test('every error code is documented with the status it is sent with, and nothing else', async (t) => {
  const section = doc.slice(doc.indexOf('## HTTP error codes'), doc.indexOf('## Start-up errors'));
  const documented = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  t.same(Object.fromEntries(documented), ERROR_STATUS);
});

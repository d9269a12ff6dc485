/**
 * The error catalogue's contract (fastify's errors.test.js pattern): every code in `ERROR_CODES` is documented in
 * docs/errors.md with its exit code and nothing else is, codes have one style, every code the source raises is in
 * the table and every code in the table is raised somewhere, and every error class is a PullguardError.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { codeOf, sourceFiles } from '../helpers/source-code.js';
import { ERROR_CODES, EXIT_FAILURE, EXIT_USAGE, type ErrorCode } from '../../src/errors/error-codes.js';
import { PullguardError } from '../../src/errors/pullguard-error.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { REGISTRY_ERROR_KINDS, RegistryError } from '../../src/registry/transport/registry-error.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
const catalogue = doc.slice(doc.indexOf('## The catalogue'));
const documented = [...catalogue.matchAll(/^\| `([^`]+)` \| (\d) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({
  code: m[1] as string,
  exitCode: Number(m[2]),
  when: (m[3] as string).trim(),
  fix: (m[4] as string).trim(),
}));
const codes = Object.keys(ERROR_CODES) as ErrorCode[];

const sources = sourceFiles(SRC).map((file) => ({ name: relative(SRC, file), code: codeOf(file) }));
/** Every source but the table itself. */
const outsideCatalogue = sources.filter((s) => s.name !== 'errors/error-codes.ts');

t.test('codes have one style and are unique', async (t) => {
  for (const code of codes) t.match(code, /^PG_[A-Z0-9_]+$/, code);
  t.equal(new Set(codes).size, codes.length);
  const documentedCodes = documented.map((d) => d.code);
  t.equal(new Set(documentedCodes).size, documentedCodes.length, 'each code is documented once');
});

t.test('every code is documented with its exit code, and nothing else is', async (t) => {
  t.ok(documented.length >= 20, 'found the catalogue table');
  t.same(documented.map((d) => d.code).sort(), [...codes].sort());
  for (const { code, exitCode, when, fix } of documented) {
    t.equal(exitCode, ERROR_CODES[code as ErrorCode]?.exitCode, `${code}: exit code`);
    t.ok(when.length > 10 && fix.length > 5, `${code}: says when and what to do`);
  }
});

t.test('exit codes are the documented ones: 2 for usage, 1 for everything else', async (t) => {
  t.equal(EXIT_USAGE, 2);
  t.equal(EXIT_FAILURE, 1);
  for (const code of codes) t.ok([EXIT_USAGE, EXIT_FAILURE].includes(ERROR_CODES[code].exitCode), code);
  const exitTable = doc.slice(doc.indexOf('## Exit codes'), doc.indexOf('## The catalogue'));
  t.same(
    [...exitTable.matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1])),
    [0, 1, 2],
  );
  t.equal(ERROR_CODES.PG_USAGE.exitCode, 2, 'usage errors exit 2 (README, docs/ci.md)');
  for (const code of [
    'PG_CONFIG_INVALID',
    'PG_DOCKER_CONFIG_INVALID',
    'PG_KUBE_CONFIG_MISSING',
    'PG_KUBE_CONFIG_INVALID',
  ] as const) {
    t.equal(ERROR_CODES[code].exitCode, 1, `${code}: serve's start-up errors exit 1`);
  }
});

t.test('every code the source raises is in the table, and every code in the table is raised', async (t) => {
  const used = new Set(
    outsideCatalogue.flatMap((s) => [...s.code.matchAll(/'(PG_[A-Z0-9_]+)'/g)].map((m) => m[1] as string)),
  );
  for (const code of used) t.ok(code in ERROR_CODES, `${code} is in ERROR_CODES`);
  for (const code of codes) t.ok(used.has(code), `${code} is raised somewhere in src/`);
  const stray = outsideCatalogue.flatMap((s) =>
    [...s.code.matchAll(/(?:readonly code = |new PullguardError\()'([^']*)'/g)]
      .map((m) => `${s.name}: ${m[1]}`)
      .filter((hit) => !/: PG_[A-Z0-9_]+$/.test(hit)),
  );
  t.same(stray, [], 'no code outside the PG_ style');
});

t.test('every error class is a PullguardError', async (t) => {
  const direct = sources.filter((s) => /\bextends Error\b/.test(s.code)).map((s) => s.name);
  t.same(direct, ['errors/pullguard-error.ts'], 'only the base class extends Error');
  const classes = sources.flatMap((s) =>
    [...s.code.matchAll(/\bclass (\w+) extends (\w+)/g)].map((m) => ({ name: m[1] as string, base: m[2] as string })),
  );
  const errorClasses = new Set(['PullguardError']);
  for (const { name, base } of classes) if (errorClasses.has(base)) errorClasses.add(name);
  const unrelated = classes.filter(({ name }) => /Error$|Unreadable$/.test(name) && !errorClasses.has(name));
  t.same(unrelated, [], 'no error class outside the hierarchy');
  t.ok(errorClasses.size >= 9, `found the error classes: ${[...errorClasses].join(', ')}`);
});

t.test('a PullguardError carries its code, the exit code from the table and its cause', async (t) => {
  const cause = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  const error = new PullguardError('PG_CONFIG_UNREADABLE', 'x.yaml: cannot read the config file (ENOENT)', { cause });
  t.ok(error instanceof Error);
  t.equal(error.code, 'PG_CONFIG_UNREADABLE');
  t.equal(error.exitCode, 1);
  t.equal(error.cause, cause);
  t.equal(error.name, 'PullguardError');
  const usage = new UsageError('unknown command "x"');
  t.ok(usage instanceof PullguardError);
  t.same([usage.code, usage.exitCode, usage.name], ['PG_USAGE', 2, 'UsageError']);
});

t.test('each registry failure kind has its catalogue code; the kind keeps the outcome vocabulary', async (t) => {
  for (const kind of REGISTRY_ERROR_KINDS) {
    const error = new RegistryError(kind, { host: 'r.example', detail: 'd' });
    t.equal(error.kind, kind);
    t.equal(error.code, `PG_REGISTRY_${kind.toUpperCase().replace(/-/g, '_')}`, kind);
    t.ok(error instanceof PullguardError);
  }
});

t.test('main.ts takes the exit code from the error, not from its class or a code prefix', async (t) => {
  const main = codeOf(join(SRC, 'main.ts'));
  t.match(main, /error\.exitCode/);
  t.notMatch(main, /\.startsWith\(/, 'no code prefixes');
  t.notMatch(main, /instanceof (?!PullguardError\b)\w+Error/, 'no instanceof chain over error classes');
});

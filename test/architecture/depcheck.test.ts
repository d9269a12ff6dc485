/**
 * Dependencies point inward (docs/design.md §10.2): the pure modules never import frameworks, the network, the file
 * system or `process`, and only src/kube/ talks to @kubernetes/client-node. In the spirit of go-containerregistry's
 * depcheck.
 */
import { relative } from 'node:path';
import t from 'tap';
import { codeOf, sourceFiles, SRC } from '../helpers/source-code.js';

/** The table of allowed imports between these folders is test/architecture/layers.test.ts. */
const PURE_AREAS = [
  'image',
  'workload',
  'platform',
  'policy',
  'admission',
  'review',
  'resolution',
  'runtime',
  'diagnose',
  'audit',
];
const FORBIDDEN_IN_PURE = [
  /^fastify/,
  /^@kubernetes\/client-node/,
  /^undici/,
  /^node:fs/,
  /^fs$/,
  /^node:net/,
  /^node:http/,
  /^node:https/,
  /^pino/,
];

function importsOf(file: string): string[] {
  const text = codeOf(file);
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
}

const files = sourceFiles(SRC);

t.test('the pure modules import no framework, network, file system or process', async (t) => {
  for (const area of PURE_AREAS) {
    for (const file of files.filter((f) => relative(SRC, f).startsWith(`${area}/`))) {
      const name = relative(SRC, file);
      const bad = importsOf(file).filter((spec) => FORBIDDEN_IN_PURE.some((re) => re.test(spec)));
      t.same(bad, [], `${name} imports only pure modules`);
      t.notMatch(codeOf(file), /\bprocess\.(env|argv|exit|cwd)\b/, `${name} does not touch process`);
    }
  }
});

t.test('only src/kube imports @kubernetes/client-node', async (t) => {
  const importers = files
    .filter((f) => importsOf(f).some((spec) => spec.startsWith('@kubernetes/client-node')))
    .map((f) => relative(SRC, f));
  t.ok(importers.length > 0, 'the Kubernetes adapter exists');
  t.same(
    importers.filter((f) => !f.startsWith('kube/')),
    [],
    'no module outside src/kube imports client-node',
  );
});

t.test('only src/main.ts touches process.env, argv and exit', async (t) => {
  const touching = files.filter((f) => /\bprocess\.(env|argv|exit)\b/.test(codeOf(f))).map((f) => relative(SRC, f));
  t.same(touching, ['main.ts']);
});

/**
 * Writes the `config` property of charts/pullguard/values.schema.json from the built config schema
 * (dist/config/schema.js; run `npm run build` first), so that `helm install` rejects a config pullguard would refuse
 * to start with (an unknown key, a wrong type) before a pod crash-loops on it. Only that property's text is replaced,
 * so the hand-written rest of the file keeps its layout. test/charts/chart-config-schema.test.ts fails when the two
 * differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { ConfigFileSchema } from '../dist/config/schema.js';

const path = fileURLToPath(new URL('../charts/pullguard/values.schema.json', import.meta.url));
const text = readFileSync(path, 'utf8');
const config = {
  description: "pullguard's config file (docs/design.md §3.1), written by scripts/chart-config-schema.mjs",
  ...JSON.parse(JSON.stringify(ConfigFileSchema)),
};
const start = text.indexOf('{', propertyStart(text, '\n    "config": '));
const end = objectEnd(text, start);
const options = { ...(await prettier.resolveConfig(path)), filepath: path };
writeFileSync(
  path,
  await prettier.format(text.slice(0, start) + JSON.stringify(config, null, 2) + text.slice(end), options),
);

/** Where the top-level property (found by its indented key) starts; the file must have exactly one. */
function propertyStart(source, key) {
  const at = source.indexOf(key);
  if (at < 0 || source.indexOf(key, at + 1) >= 0) throw new Error(`${path}: want one top-level ${key.trim()}`);
  return at;
}

/** The index just past the JSON object that opens at `open`, skipping braces inside strings. */
function objectEnd(source, open) {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      for (i++; source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  throw new Error(`${path}: the config property's object does not end`);
}

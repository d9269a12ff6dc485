/**
 * The chart's `config` value is pullguard's config file, and values.schema.json checks it with pullguard's own config
 * schema (src/config/schema.ts, copied by scripts/chart-config-schema.mjs), so `helm install` refuses a config that
 * `serve` would refuse to start with, instead of leaving pods to crash-loop on it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { buildConfig } from '../../src/config/load-config.js';
import { ConfigFileSchema } from '../../src/config/schema.js';
import { at } from '../manifests/render-manifests.js';
import { CHART, render } from './render-chart.js';

const schema: unknown = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));

t.test("values.schema.json's config is pullguard's config schema", async (t) => {
  const { description, ...copied } = at(schema, ['properties', 'config']) as Record<string, unknown>;
  t.match(description, /scripts\/chart-config-schema\.mjs/, 'it says where it comes from');
  t.same(
    copied,
    JSON.parse(JSON.stringify(ConfigFileSchema)),
    'equal to src/config/schema.ts; after changing it run `npm run build && node scripts/chart-config-schema.mjs`',
  );
});

t.test("the chart's default config is one pullguard starts with", async (t) => {
  const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { config: unknown };
  const result = buildConfig(values.config, 'values.yaml');
  t.same(result.ok ? [] : result.problems, [], 'no problems');
});

t.test('helm refuses a config pullguard would refuse, naming the key', async (t) => {
  const refused: [string, RegExp][] = [
    ['config.mode=enfroce', /at '\/config\/mode'/],
    ['config.polcy.notFound=deny', /at '\/config': additional properties 'polcy' not allowed/],
    ['config.policy.notFound=block', /at '\/config\/policy\/notFound'/],
    ['config.cache.maxEntries=lots', /at '\/config\/cache\/maxEntries': got string, want integer/],
    ['config.network.budget=8', /at '\/config\/network\/budget': got number, want string/],
  ];
  for (const [set, message] of refused) {
    t.equal(buildConfig(setToObject(set)).ok, false, `${set}: pullguard refuses it too`);
    await t.rejects(render('pullguard', 'pullguard', [set]), { message }, set);
  }
});

t.test('a config pullguard takes renders, and a default dropped with null is left out', async (t) => {
  const objects = await render('pullguard', 'pullguard', [
    'config.mode=enforce',
    'config.network.budget=5s',
    'config.exempt=null',
  ]);
  const configMap = objects.find((o) => o.kind === 'ConfigMap');
  const config = parse(String(at(configMap, ['data', 'config.yaml']))) as Record<string, unknown>;
  t.match(config, { mode: 'enforce', network: { budget: '5s' } });
  t.notOk('exempt' in config, 'exempt dropped');
  t.ok(buildConfig(config).ok, 'pullguard takes it');
});

/** `config.a.b=v` as the config helm makes of it, `v` a number when it looks like one (as --set does). */
function setToObject(set: string): unknown {
  const [path = '', value = ''] = set.split('=');
  let object: unknown = /^\d+$/.test(value) ? Number(value) : value;
  for (const key of path.split('.').slice(1).reverse()) object = { [key]: object };
  return object;
}

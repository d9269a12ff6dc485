import t from 'tap';
import {
  errorCodes,
  MAX_REGISTRY_JSON_DEPTH,
  parseRegistryJson,
  parseTagList,
  parseTokenResponse,
} from './registry-json.js';

const nested = (depth: number, inner = '1') => Buffer.from(`${'['.repeat(depth)}${inner}${']'.repeat(depth)}`);

t.test('registry JSON is refused past the depth limit, before JSON.parse sees it', async (t) => {
  t.same(parseRegistryJson(nested(MAX_REGISTRY_JSON_DEPTH)), {
    ok: true,
    value: JSON.parse(nested(MAX_REGISTRY_JSON_DEPTH).toString()),
  });
  t.same(parseRegistryJson(nested(MAX_REGISTRY_JSON_DEPTH + 1)), { ok: false, problem: 'too-deep' });
  t.same(parseRegistryJson(Buffer.from('{')), { ok: false, problem: 'not-json' });
  t.same(parseRegistryJson(Buffer.alloc(0)), { ok: false, problem: 'not-json' });
  t.same(parseRegistryJson(undefined), { ok: false, problem: 'not-json' });
  const parse = JSON.parse;
  let parsed = 0;
  JSON.parse = (...args: Parameters<typeof JSON.parse>) => (parsed++, parse(...args));
  try {
    parseRegistryJson(nested(2_000_000));
  } finally {
    JSON.parse = parse;
  }
  t.equal(parsed, 0, 'two million levels never reach JSON.parse');
});

t.test('token responses, error bodies and tag lists all go through the depth check', async (t) => {
  const deepValue = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  t.same(parseTokenResponse(Buffer.from(`{"token":"abc","x":${deepValue}}`)), undefined);
  t.same(parseTokenResponse(Buffer.from('{"token":"abc","x":[[1]]}')), { token: 'abc', x: [[1]] });
  t.same(errorCodes(Buffer.from(`{"errors":[{"code":"MANIFEST_UNKNOWN","detail":${deepValue}}]}`)), []);
  t.same(errorCodes(Buffer.from('{"errors":[{"code":"manifest_unknown","detail":{"Tag":"v1"}}]}')), [
    'MANIFEST_UNKNOWN',
  ]);
  t.same(parseTagList(Buffer.from(`{"name":"a","tags":["v1"],"x":${deepValue}}`)), undefined);
  t.same(parseTagList(Buffer.from('{"name":"a","tags":["v1"]}')), { name: 'a', tags: ['v1'] });
});

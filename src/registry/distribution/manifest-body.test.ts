import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import t from 'tap';
import { countingJsonParse } from '../../../test/helpers/json-parse-count.js';
import { describedManifest, MAX_PARSED_MANIFEST_BYTES, verifyManifestBody } from './manifest-body.js';

const body = Buffer.from('{"schemaVersion":2}');
const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;

t.test('headers: media type without parameters, digest only when well-formed', async (t) => {
  t.same(
    describedManifest({
      'content-type': 'application/vnd.oci.image.index.v1+json; charset=utf-8',
      'docker-content-digest': digest,
    }),
    {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      digest,
    },
  );
  t.same(describedManifest({ 'content-type': 'text/html <x>', 'docker-content-digest': 'sha256:short' }), {});
  t.same(describedManifest({}), {});
});

t.test('bodies are verified against the claimed and the requested digest', async (t) => {
  const manifest = { schemaVersion: 2 };
  t.same(verifyManifestBody(body, digest, undefined), { ok: true, digest, manifest });
  t.same(verifyManifestBody(body, undefined, undefined), { ok: true, digest, manifest }, 'computed when not claimed');
  t.same(verifyManifestBody(body, undefined, digest), { ok: true, digest, manifest });
  t.match(verifyManifestBody(body, `sha256:${'0'.repeat(64)}`, undefined), { ok: false, detail: /does not match/ });
  t.match(verifyManifestBody(body, undefined, `sha256:${'0'.repeat(64)}`), { ok: false, detail: /does not match/ });
  t.match(verifyManifestBody(Buffer.from('<html>'), undefined, undefined), { ok: false, detail: /not JSON/ });
  t.match(verifyManifestBody(Buffer.from('[1]'), undefined, undefined), { ok: false });
  const sha512 = `sha512:${'a'.repeat(128)}`;
  t.same(
    verifyManifestBody(body, sha512, undefined),
    { ok: true, digest: sha512, manifest },
    'other algorithms are taken as claimed',
  );
});

t.test('a body nested too deeply is refused before it is parsed', async (t) => {
  const deep = Buffer.from(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  t.same(verifyManifestBody(deep, undefined, undefined), {
    ok: false,
    detail: 'registry sent a manifest nested too deeply',
  });
  const bracketsInStrings = Buffer.from(
    JSON.stringify({ schemaVersion: 2, annotations: { note: '['.repeat(100_000) } }),
  );
  t.match(
    verifyManifestBody(bracketsInStrings, undefined, undefined),
    { ok: true },
    'brackets inside strings are text',
  );
});

t.test('digests are bounded: at most 32 characters of algorithm and 128 of hex (sha512)', async (t) => {
  t.same(describedManifest({ 'docker-content-digest': `sha512:${'a'.repeat(128)}` }), {
    digest: `sha512:${'a'.repeat(128)}`,
  });
  t.same(describedManifest({ 'docker-content-digest': `${'a'.repeat(33)}:${'a'.repeat(64)}` }), {});
  t.same(describedManifest({ 'docker-content-digest': `sha256:${'a'.repeat(129)}` }), {});
  t.same(describedManifest({ 'docker-content-digest': `sha256:${'a'.repeat(257)}` }), {});
});

t.test('what the headers describe keeps nothing of long header values', async (t) => {
  const gc = exposedGc();
  const kept: unknown[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) {
    const padding = ' '.repeat(200_000);
    kept.push(
      describedManifest({
        'content-type': `application/x-custom.${i}+json; ${padding}x=${i}`,
        'docker-content-digest': `  sha256:${String(i).padStart(64, '0')}${padding}`,
      }),
    );
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  t.same(kept[7], { mediaType: 'application/x-custom.7+json', digest: `sha256:${'7'.padStart(64, '0')}` });
  t.ok(
    grown < 4_000_000,
    `100 results of 200 KB headers keep ${Math.round(grown / 1024)} KiB (views would keep 20 MB)`,
  );
});

/** The V8 garbage collector as a function, without starting node with --expose-gc. */
function exposedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

t.test('a body over the parse cap is hashed and scanned, never parsed', async (t) => {
  const large = Buffer.from(
    ` \n${JSON.stringify({ schemaVersion: 2, annotations: { pad: 'x'.repeat(MAX_PARSED_MANIFEST_BYTES) } })}`,
  );
  const largeDigest = `sha256:${createHash('sha256').update(large).digest('hex')}`;
  const { parses: parsed } = await countingJsonParse(() => {
    t.same(
      verifyManifestBody(large, largeDigest, undefined),
      { ok: true, digest: largeDigest },
      'verified, with no parsed manifest',
    );
    t.match(verifyManifestBody(large, `sha256:${'0'.repeat(64)}`, undefined), { ok: false, detail: /does not match/ });
    const notAnObject = Buffer.concat([Buffer.from('['), large.subarray(1)]);
    t.match(verifyManifestBody(notAnObject, undefined, undefined), { ok: false, detail: /not JSON/ });
    const deep = Buffer.from(`{"a":${'['.repeat(MAX_PARSED_MANIFEST_BYTES)}${']'.repeat(MAX_PARSED_MANIFEST_BYTES)}}`);
    t.same(verifyManifestBody(deep, undefined, undefined), {
      ok: false,
      detail: 'registry sent a manifest nested too deeply',
    });
  });
  t.equal(parsed, 0);
});

import { createHash } from 'node:crypto';
import t from 'tap';
import { describedManifest, verifyManifestBody } from './manifest-body.js';

const body = Buffer.from('{"schemaVersion":2}');
const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;

t.test('headers: media type without parameters, digest only when well-formed', async (t) => {
  t.same(describedManifest({ 'content-type': 'application/vnd.oci.image.index.v1+json; charset=utf-8', 'docker-content-digest': digest }), {
    mediaType: 'application/vnd.oci.image.index.v1+json',
    digest,
  });
  t.same(describedManifest({ 'content-type': 'text/html <x>', 'docker-content-digest': 'sha256:short' }), {});
  t.same(describedManifest({}), {});
});

t.test('bodies are verified against the claimed and the requested digest', async (t) => {
  t.same(verifyManifestBody(body, digest, undefined), { ok: true, digest });
  t.same(verifyManifestBody(body, undefined, undefined), { ok: true, digest }, 'computed when not claimed');
  t.same(verifyManifestBody(body, undefined, digest), { ok: true, digest });
  t.match(verifyManifestBody(body, `sha256:${'0'.repeat(64)}`, undefined), { ok: false, detail: /does not match/ });
  t.match(verifyManifestBody(body, undefined, `sha256:${'0'.repeat(64)}`), { ok: false, detail: /does not match/ });
  t.match(verifyManifestBody(Buffer.from('<html>'), undefined, undefined), { ok: false, detail: /not JSON/ });
  t.match(verifyManifestBody(Buffer.from('[1]'), undefined, undefined), { ok: false });
  const sha512 = `sha512:${'a'.repeat(128)}`;
  t.same(verifyManifestBody(body, sha512, undefined), { ok: true, digest: sha512 }, 'other algorithms are taken as claimed');
});

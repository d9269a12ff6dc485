import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import t from 'tap';
import { buildIndex, buildManifest, digestOf, MEDIA_TYPES, singleFileTar } from './image-builder.js';

t.test('singleFileTar writes a valid ustar archive that tar(1) lists', async (t) => {
  const tar = singleFileTar('hello.txt', Buffer.from('hi there\n'));
  t.equal(tar.length % 512, 0);
  t.equal(tar.subarray(257, 262).toString('ascii'), 'ustar');
  const header = Buffer.from(tar.subarray(0, 512));
  const stored = parseInt(header.subarray(148, 154).toString('ascii'), 8);
  header.fill(0x20, 148, 156);
  t.equal(
    stored,
    header.reduce((sum, byte) => sum + byte, 0),
    'checksum',
  );
  const listing = execFileSync('tar', ['-tvf', '-'], { input: tar }).toString();
  t.match(listing, /hello\.txt/);
  t.equal(execFileSync('tar', ['-xOf', '-', 'hello.txt'], { input: tar }).toString(), 'hi there\n');
});

t.test('buildManifest is deterministic and depends on the layer text and platform', async (t) => {
  const spec = { flavour: 'oci', platform: { os: 'linux', architecture: 'amd64' }, layerText: 'repo=a' } as const;
  const a = buildManifest(spec);
  t.equal(buildManifest(spec).manifest.digest, a.manifest.digest, 'same input, same digest');
  t.not(buildManifest({ ...spec, layerText: 'repo=b' }).manifest.digest, a.manifest.digest);
  t.not(
    buildManifest({ ...spec, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }).manifest.digest,
    a.manifest.digest,
  );
  t.not(buildManifest({ ...spec, flavour: 'docker' }).manifest.digest, a.manifest.digest);
  for (const blob of [...a.blobs, a.manifest]) t.equal(digestOf(blob.bytes), blob.digest);
});

t.test('config diff_ids are the digest of the uncompressed layer', async (t) => {
  const built = buildManifest({
    flavour: 'docker',
    platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    layerText: 'x',
  });
  const [layer, config] = built.blobs;
  if (layer === undefined || config === undefined) throw new Error('expected layer and config');
  const parsed: unknown = JSON.parse(config.bytes.toString());
  t.match(parsed, {
    architecture: 'arm',
    os: 'linux',
    variant: 'v7',
    rootfs: { diff_ids: [digestOf(zlib.gunzipSync(layer.bytes))] },
  });
  t.match(JSON.parse(built.manifest.bytes.toString()), {
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: MEDIA_TYPES.dockerConfig, digest: config.digest, size: config.bytes.length },
    layers: [{ mediaType: MEDIA_TYPES.dockerLayer, digest: layer.digest }],
  });
});

t.test('buildIndex lists each child with its platform', async (t) => {
  const amd = buildManifest({ flavour: 'oci', platform: { os: 'linux', architecture: 'amd64' }, layerText: '1' });
  const arm = buildManifest({
    flavour: 'oci',
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    layerText: '2',
  });
  const { index, mediaType } = buildIndex('oci', [
    { manifest: amd, platform: { os: 'linux', architecture: 'amd64' } },
    { manifest: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ]);
  t.equal(mediaType, MEDIA_TYPES.ociIndex);
  t.same(JSON.parse(index.bytes.toString()).manifests, [
    {
      mediaType: MEDIA_TYPES.ociManifest,
      size: amd.manifest.bytes.length,
      digest: amd.manifest.digest,
      platform: { architecture: 'amd64', os: 'linux' },
    },
    {
      mediaType: MEDIA_TYPES.ociManifest,
      size: arm.manifest.bytes.length,
      digest: arm.manifest.digest,
      platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
    },
  ]);
});

/**
 * The runtime's error classified end to end, one pod per real error text (test/fixtures/diagnose/runtime-errors.json:
 * containerd, CRI-O, cri-dockerd and the kubelet, every family): the text in the pod's waiting message and in its
 * kubelet `Failed` event in the fake Kubernetes API, `pullguard diagnose -o json` run on all of them, and each
 * container's `runtimeError` compared with the fixture's kind, finding class, node side and writer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { diagnoseCli } from '../../src/cli/diagnose-cli.js';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { startShopCluster } from '../helpers/shop-cluster.js';
import { addFailingPod, addNode } from './failing-cluster.js';

interface Entry {
  readonly id: string;
  readonly family: string;
  readonly kind: string;
  readonly findingClass: string | null;
  readonly nodeSide: boolean;
  readonly writer: string;
  readonly text: string;
}

const { entries } = JSON.parse(
  readFileSync(new URL('../fixtures/diagnose/runtime-errors.json', import.meta.url), 'utf8'),
) as { entries: Entry[] };

const reg = await startRegistry({ mode: 'plain' });
t.teardown(() => reg.stop());
await pushImage(reg, { repository: 'team/app', tags: ['1.0'], format: 'oci-manifest' });
const kube = await startShopCluster(t);
addNode(kube, 'node-amd64', 'amd64');
const dir = await mkdtemp(join(tmpdir(), 'pullguard-diagnose-errors-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const configPath = join(dir, 'pullguard.yaml');
await writeFile(configPath, JSON.stringify({ registries: [{ host: reg.host, plainHttp: true }] }));

// The pod's image is one the registry has: what is tested is how the node's words are read, whatever the image.
const REASONS: Record<string, 'InvalidImageName' | 'ErrImageNeverPull' | 'ErrImagePull'> = {
  invalidReference: 'InvalidImageName',
  pullPolicyNever: 'ErrImageNeverPull',
};
for (const entry of entries)
  addFailingPod(kube, {
    name: entry.id,
    image: `${reg.host}/team/app:1.0`,
    reason: REASONS[entry.kind] ?? 'ErrImagePull',
    error: entry.text,
  });

t.test('every fixture text, through the pod and its event, is classified as the fixture says', async (t) => {
  let stdout = '';
  const code = await diagnoseCli(
    ['pod', ...entries.map((e) => e.id), '-n', 'shop', '-o', 'json', '--kubeconfig', kube.kubeconfigPath],
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: { PULLGUARD_CONFIG: configPath },
      homeDir: dir,
      cwd: dir,
      program: 'pullguard',
    },
  );
  t.equal(code, 1);
  const report = JSON.parse(stdout);
  t.equal(report.pods.length, entries.length, 'one failing pod per text');
  const families = new Set<string>();
  for (const entry of entries) {
    const pod = report.pods.find((p: { name: string }) => p.name === entry.id);
    const error = pod?.containers[0]?.runtimeError;
    t.same(
      {
        kind: error?.kind,
        findingClass: error?.findingClass ?? null,
        nodeSide: error?.nodeSide,
        writer: error?.writer,
      },
      { kind: entry.kind, findingClass: entry.findingClass, nodeSide: entry.nodeSide, writer: entry.writer },
      `${entry.id} (${entry.family})`,
    );
    families.add(entry.family);
  }
  t.ok(families.size >= 20, `${families.size} families`);
});

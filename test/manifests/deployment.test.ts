/** The Deployment, Service, PodDisruptionBudget and Namespace meet docs/design.md §8 and Pod Security "restricted". */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { at, kustomize, single } from './render-manifests.js';

const objects = await kustomize(fileURLToPath(new URL('../../manifests/', import.meta.url)));
const deployment = single(objects, 'Deployment', 'pullguard');
const pod = at(deployment, ['spec', 'template', 'spec']) as Record<string, unknown>;
const containers = at(pod, ['containers']) as Array<Record<string, unknown>>;
const container = containers[0] ?? {};
const podLabels = at(deployment, ['spec', 'template', 'metadata', 'labels']) as Record<string, string>;

t.test('the namespace enforces Pod Security restricted', async (t) => {
  const labels = single(objects, 'Namespace', 'pullguard').metadata.labels ?? {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    t.equal(labels[`pod-security.kubernetes.io/${mode}`], 'restricted', mode);
  }
});

t.test('2 replicas spread over nodes, never fewer during a rollout', async (t) => {
  t.equal(at(deployment, ['spec', 'replicas']), 2);
  t.equal(at(deployment, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable']), 0);
  const terms = at(pod, [
    'affinity',
    'podAntiAffinity',
    'preferredDuringSchedulingIgnoredDuringExecution',
  ]) as unknown[];
  t.equal(terms.length, 1);
  t.equal(at(terms[0], ['podAffinityTerm', 'topologyKey']), 'kubernetes.io/hostname');
  t.same(at(terms[0], ['podAffinityTerm', 'labelSelector', 'matchLabels']), podLabels, 'selects its own replicas');
  t.same(at(deployment, ['spec', 'selector', 'matchLabels']), podLabels);
});

t.test('non-root, read-only, no capabilities, RuntimeDefault seccomp (Pod Security restricted)', async (t) => {
  t.equal(containers.length, 1);
  t.notOk(pod.initContainers, 'no init containers');
  t.notOk(pod.hostNetwork || pod.hostPID || pod.hostIPC, 'no host namespaces');
  t.match(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
  const sc = container.securityContext as Record<string, unknown>;
  t.match(sc, {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  t.notOk(at(sc, ['capabilities', 'add']), 'adds no capability');
  t.type(sc.runAsUser, 'number', 'numeric user, so runAsNonRoot can be verified');
  t.ok(Number(sc.runAsUser) > 0);
  for (const volume of at(pod, ['volumes']) as Array<Record<string, unknown>>) {
    t.notOk(volume.hostPath, `${String(volume.name)} is not a hostPath`);
  }
});

t.test('resources, probes on 8080, ports', async (t) => {
  const resources = container.resources as Record<string, Record<string, string>>;
  for (const kind of ['requests', 'limits']) {
    t.ok(resources[kind]?.cpu, `${kind}.cpu`);
    t.ok(resources[kind]?.memory, `${kind}.memory`);
  }
  const ports = Object.fromEntries(
    (container.ports as Array<{ name: string; containerPort: number }>).map((p) => [p.name, p.containerPort]),
  );
  t.same(ports, { https: 8443, 'http-health': 8080 });
  t.match(container.livenessProbe, { httpGet: { path: '/healthz', port: 'http-health' } });
  t.match(container.readinessProbe, { httpGet: { path: '/readyz', port: 'http-health' } });
  t.equal(container.image, 'ghcr.io/pullguard/pullguard:0.1.0');
  t.same(container.args, ['serve']);
  t.ok(Number(pod.terminationGracePeriodSeconds) >= 15, 'time to drain in-flight reviews');
});

t.test('config from the ConfigMap, TLS from the Secret pullguard-tls, a writable /tmp', async (t) => {
  t.match(container.env, [{ name: 'PULLGUARD_CONFIG', value: '/etc/pullguard/config.yaml' }]);
  const mounts = Object.fromEntries(
    (container.volumeMounts as Array<{ name: string; mountPath: string; subPath?: string; readOnly?: boolean }>).map(
      (m) => [m.mountPath, m],
    ),
  );
  t.match(mounts['/etc/pullguard'], { name: 'config', readOnly: true });
  t.match(mounts['/etc/pullguard/tls'], { name: 'tls', readOnly: true });
  t.equal(mounts['/etc/pullguard/tls']?.subPath, undefined, 'no subPath: it would never see a rotated Secret');
  t.match(mounts['/tmp'], { name: 'tmp' });
  const volumes = Object.fromEntries(
    (pod.volumes as Array<Record<string, unknown> & { name: string }>).map((v) => [v.name, v]),
  );
  t.match(
    volumes.tls,
    { secret: { secretName: 'pullguard-tls', defaultMode: 0o440 } },
    'readable by the pod (fsGroup), no one else',
  );
  t.ok(volumes.tmp?.emptyDir, '/tmp is an emptyDir');
  t.equal(pod.serviceAccountName, 'pullguard');
});

t.test("the audit's Lease identity and namespace come from the downward API", async (t) => {
  const env = Object.fromEntries(
    (container.env as Array<{ name: string; valueFrom?: unknown }>).map((e) => [e.name, e.valueFrom]),
  );
  t.same(env.POD_NAME, { fieldRef: { fieldPath: 'metadata.name' } }, 'the holder identity: unique per replica');
  t.same(env.POD_NAMESPACE, { fieldRef: { fieldPath: 'metadata.namespace' } }, 'where the Lease lives');
});

t.test('the Service maps 443 to 8443 and exposes 8080; the PDB keeps one replica', async (t) => {
  const service = single(objects, 'Service', 'pullguard');
  t.same(at(service, ['spec', 'selector']), podLabels);
  const ports = at(service, ['spec', 'ports']) as Array<Record<string, unknown>>;
  t.match(
    ports.find((p) => p.name === 'https'),
    { port: 443, targetPort: 'https' },
  );
  t.match(
    ports.find((p) => p.port === 8080),
    { targetPort: 'http-health' },
  );
  const pdb = single(objects, 'PodDisruptionBudget', 'pullguard');
  t.equal(at(pdb, ['spec', 'minAvailable']), 1);
  t.same(at(pdb, ['spec', 'selector', 'matchLabels']), podLabels);
});

t.test("the container's V8 heap fits the memory limit", async (t) => {
  // The Dockerfile's ENTRYPOINT sizes the heap; without it V8 sizes it from the node's RAM, not the pod's limit.
  const dockerfile = await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8');
  const entrypoint = JSON.parse(
    dockerfile
      .split('\n')
      .filter((l) => l.startsWith('ENTRYPOINT '))
      .at(-1)
      ?.slice(11) ?? '[]',
  ) as string[];
  const flag = (name: string) => Number(entrypoint.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]);
  const oldSpaceMb = flag('max-old-space-size');
  const semiSpaceMb = flag('max-semi-space-size');
  t.ok(oldSpaceMb > 0, '--max-old-space-size is set');
  t.ok(semiSpaceMb > 0, '--max-semi-space-size is set');
  const limit = (container.resources as { limits: { memory: string } }).limits.memory;
  const limitMb = Number(/^(\d+)Mi$/.exec(limit)?.[1]);
  // Young generation: three semi-spaces at most; ~100 MB of code, wasm and buffers outside the heap (idle RSS).
  t.ok(
    oldSpaceMb + 3 * semiSpaceMb + 100 <= limitMb,
    `heap ${oldSpaceMb} + 3×${semiSpaceMb} MB + 100 MB fits ${limit}`,
  );
  // And leaves room for the default 50,000 cached results (~1 KB each) plus the bodies in flight (their memory
  // budget is 40% of the heap: src/server/memory-budget.ts).
  t.ok(oldSpaceMb >= 192, 'old space leaves room for the cache and large reviews');
});

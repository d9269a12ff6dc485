/** NetworkPolicy (no metadata endpoint) and RBAC (least privilege; no list/watch on Secrets). */
import { BlockList } from 'node:net';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { at, kustomize, single } from './render-manifests.js';

const objects = await kustomize(fileURLToPath(new URL('../../manifests/', import.meta.url)));
const podLabels = at(single(objects, 'Deployment'), ['spec', 'template', 'metadata', 'labels']);

interface Port {
  protocol?: string;
  port?: number | string;
}
interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  podSelector?: unknown;
  namespaceSelector?: unknown;
}
interface Rule {
  ports?: Port[];
  to?: Peer[];
  from?: Peer[];
}

const policy = single(objects, 'NetworkPolicy', 'pullguard');
const egress = at(policy, ['spec', 'egress']) as Rule[];

/** Would the egress rules allow a TCP/UDP connection to `ip`:`port`? (NetworkPolicy semantics: any rule allows.) */
function egressAllows(ip: string, port: number, protocol = 'TCP'): boolean {
  const family = ip.includes(':') ? 'ipv6' : 'ipv4';
  return egress.some((rule) => {
    const portOk = !rule.ports || rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && p.port === port);
    if (!portOk) return false;
    if (!rule.to) return true;
    return rule.to.some((peer) => {
      if (!peer.ipBlock) return false;
      const [net, bits] = peer.ipBlock.cidr.split('/');
      // BlockList matches IPv4 against IPv6 rules through ::ffff:0:0/96; Kubernetes does not.
      if ((net?.includes(':') ? 'ipv6' : 'ipv4') !== family) return false;
      const inside = new BlockList();
      inside.addSubnet(net ?? '', Number(bits), net?.includes(':') ? 'ipv6' : 'ipv4');
      if (!inside.check(ip, family)) return false;
      return !(peer.ipBlock.except ?? []).some((cidr) => {
        const [n, b] = cidr.split('/');
        const except = new BlockList();
        except.addSubnet(n ?? '', Number(b), n?.includes(':') ? 'ipv6' : 'ipv4');
        return except.check(ip, family);
      });
    });
  });
}

t.test('the policy selects the webhook pods and restricts both directions', async (t) => {
  t.same(at(policy, ['spec', 'podSelector', 'matchLabels']), podLabels);
  t.same(at(policy, ['spec', 'policyTypes']), ['Ingress', 'Egress']);
});

t.test('ingress only to 8443 and 8080', async (t) => {
  const ingress = at(policy, ['spec', 'ingress']) as Rule[];
  const ports = ingress
    .flatMap((rule) => rule.ports ?? [{ port: 'ANY' }])
    .map((p) => `${p.protocol ?? 'TCP'}/${p.port}`);
  t.same(ports.sort(), ['TCP/8080', 'TCP/8443']);
});

t.test('egress: DNS, the API server and registries, never a metadata endpoint', async (t) => {
  const allowed: Array<[string, number, string?]> = [
    ['10.96.0.10', 53, 'UDP'],
    ['10.96.0.10', 53, 'TCP'],
    ['169.254.20.10', 53, 'UDP'], // NodeLocal DNSCache
    ['10.0.0.1', 443],
    ['172.18.0.2', 6443],
    ['52.1.2.3', 443],
    ['192.0.2.10', 5000],
    ['2001:db8::1', 443],
  ];
  for (const [ip, port, protocol] of allowed)
    t.ok(egressAllows(ip, port, protocol), `allows ${ip}:${port}/${protocol ?? 'TCP'}`);
  const denied: Array<[string, number]> = [
    ['169.254.169.254', 80],
    ['169.254.169.254', 443],
    ['169.254.169.254', 5000],
    ['169.254.170.2', 443],
    ['100.100.100.200', 80],
    ['100.100.100.200', 443],
    ['fd00:ec2::254', 443],
    ['fe80::1', 443],
    ['10.0.0.5', 22],
    ['10.0.0.5', 8080],
    ['52.1.2.3', 80],
  ];
  for (const [ip, port] of denied) t.notOk(egressAllows(ip, port), `denies ${ip}:${port}`);
});

t.test('RBAC: get on secrets and serviceaccounts; get/list/watch on nodes and namespaces; nothing else', async (t) => {
  const role = single(objects, 'ClusterRole', 'pullguard');
  const grants = (at(role, ['rules']) as Array<Record<string, string[]>>).flatMap((rule) =>
    (rule.apiGroups ?? []).flatMap((g) =>
      (rule.resources ?? []).flatMap((r) => (rule.verbs ?? []).map((v) => `${g || 'core'}/${r}:${v}`)),
    ),
  );
  t.same(grants.sort(), [
    'core/namespaces:get',
    'core/namespaces:list',
    'core/namespaces:watch',
    'core/nodes:get',
    'core/nodes:list',
    'core/nodes:watch',
    'core/secrets:get',
    'core/serviceaccounts:get',
  ]);
  t.notOk(
    grants.some((g) => g.includes('*')),
    'no wildcards',
  );
  t.notOk(
    grants.some((g) => /secrets:(list|watch)/.test(g)),
    'list/watch on secrets would expose every Secret',
  );
  const rules = at(role, ['rules']) as Array<Record<string, unknown>>;
  t.notOk(
    rules.some((r) => r.nonResourceURLs),
    'no non-resource URLs',
  );

  const binding = single(objects, 'ClusterRoleBinding', 'pullguard');
  t.same(at(binding, ['roleRef']), { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pullguard' });
  t.same(at(binding, ['subjects']), [{ kind: 'ServiceAccount', name: 'pullguard', namespace: 'pullguard' }]);
  t.equal(single(objects, 'ServiceAccount', 'pullguard').metadata.namespace, 'pullguard');
});

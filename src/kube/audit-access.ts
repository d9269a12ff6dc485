/**
 * The access the serve audit needs (the pullguard-audit roles in manifests/base/rbac.yaml grant it): `list` and `watch` on
 * every audited resource cluster-wide (the informers), `get`, `create` and `update` on `coordination.k8s.io` Leases
 * in the Lease's namespace (leader election), `create` and `patch` on core Events cluster-wide (the Events on the
 * workloads). And the one log line that says what is missing when the audit stays off, short however much is denied.
 * Pure.
 */
import type { AccessWanted } from './access-review.js';
import type { WorkloadResource } from './workload-resources.js';

export function auditAccessWanted(resources: readonly WorkloadResource[], leaseNamespace: string): AccessWanted[] {
  const wanted: AccessWanted[] = [];
  const seen = new Set<string>();
  const add = (access: AccessWanted): void => {
    const key = JSON.stringify([access.verb, access.group, access.resource, access.namespace ?? null]);
    if (seen.has(key)) return;
    seen.add(key);
    wanted.push(access);
  };
  for (const { group, resource } of resources) {
    add({ verb: 'list', group, resource });
    add({ verb: 'watch', group, resource });
  }
  for (const verb of ['get', 'create', 'update'])
    add({ verb, group: 'coordination.k8s.io', resource: 'leases', namespace: leaseNamespace });
  for (const verb of ['create', 'get', 'patch']) add({ verb, group: '', resource: 'events' });
  return wanted;
}

/** Names shown in the line at most; the rest are counted. */
const MAX_SHOWN = 8;
/** Verbs in the order the line names them; any other verb follows in the order met. */
const VERB_ORDER = ['list', 'watch', 'get', 'create', 'update', 'patch', 'delete'];

/**
 * `audit off: the service account may not list deployments.apps, watch cronjobs.batch, create events; grant the
 * pullguard-audit roles in manifests/base/rbac.yaml` (`lead` replaces `audit off`): grouped by verb (`list deployments.apps and statefulsets.apps; watch …`
 * when a verb has several), at most {@link MAX_SHOWN} names, then `and N more`. Empty when nothing is denied.
 */
export function describeMissingAccess(denied: readonly AccessWanted[], lead = 'audit off'): string {
  const byVerb = new Map<string, string[]>();
  for (const access of denied) {
    const names = byVerb.get(access.verb) ?? [];
    const name = nameOf(access);
    if (!names.includes(name)) names.push(name);
    byVerb.set(access.verb, names);
  }
  if (byVerb.size === 0) return '';
  const rank = (verb: string): number => {
    const index = VERB_ORDER.indexOf(verb);
    return index === -1 ? VERB_ORDER.length : index;
  };
  const verbs = [...byVerb.keys()].sort((a, b) => rank(a) - rank(b));
  const several = verbs.some((verb) => (byVerb.get(verb) ?? []).length > 1);
  const parts: string[] = [];
  let shown = 0;
  let hidden = 0;
  for (const verb of verbs) {
    const names = byVerb.get(verb) ?? [];
    const room = Math.max(0, MAX_SHOWN - shown);
    const listed = names.slice(0, room);
    hidden += names.length - listed.length;
    shown += listed.length;
    // A cut list ends in the count ("a, b and 52 more"), so its names are joined with commas only.
    const text = listed.length < names.length ? listed.join(', ') : joined(listed);
    if (listed.length > 0) parts.push(`${printable(verb)} ${text}`);
  }
  const more = hidden > 0 ? ` and ${hidden} more` : '';
  return (
    `${lead}: the service account may not ${parts.join(several ? '; ' : ', ')}${more}; ` +
    'grant the pullguard-audit roles in manifests/base/rbac.yaml'
  );
}

function nameOf(access: AccessWanted): string {
  const resource = access.group === '' ? access.resource : `${access.resource}.${access.group}`;
  const scoped = access.namespace !== undefined ? `${resource} in ${access.namespace}` : resource;
  return printable(scoped);
}

function joined(names: readonly string[]): string {
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** One log line stays one line: control characters out, each part bounded. */
function printable(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

/**
 * The per-namespace mode label (SPEC §1.5): `pullguard.io/mode=warn` turns every deny into a warning in that
 * namespace, `off` excludes it (normally already by the webhook's namespaceSelector), `enforce` is explicit.
 * Reads go through the {@link ClusterReader}, so the cached reader bounds them to one API call per 30 s.
 */
import type { ClusterReader } from '../credentials/cluster-port.js';

export const NAMESPACE_MODE_LABEL = 'pullguard.io/mode';

export type NamespaceMode = 'warn' | 'enforce' | 'off';

/** The mode a label set asks for; undefined when the label is absent or has another value. */
export function modeFromLabels(labels: Readonly<Record<string, string>>): NamespaceMode | undefined {
  const value = labels[NAMESPACE_MODE_LABEL];
  return value === 'warn' || value === 'enforce' || value === 'off' ? value : undefined;
}

/**
 * The namespace's mode, or undefined (use the global mode) when it has no valid label, does not exist, or cannot be
 * read in time.
 */
export async function namespaceMode(
  reader: ClusterReader,
  namespace: string,
  signal: AbortSignal,
): Promise<NamespaceMode | undefined> {
  const result = await reader.getNamespaceLabels(namespace, signal);
  return result.status === 'found' ? modeFromLabels(result.value) : undefined;
}

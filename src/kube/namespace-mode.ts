/**
 * The per-namespace mode label (docs/design.md §1.7): `pullguard.io/mode=warn` turns every deny into a warning in that
 * namespace, `off` skips it (normally already by the webhook's namespaceSelector), `enforce` is explicit.
 * Reads go through the {@link ClusterReader}, so the cached reader bounds them to one API call per 30 s; with a
 * namespace watcher the label is known locally and the read is only the fallback.
 */
import type { ClusterReader, ReadFailure, ReadResult } from '../credentials/cluster-port.js';
import { PullguardError } from '../errors/pullguard-error.js';
import type { NamespaceMode } from '../policy/namespace-mode.js';

const NAMESPACE_MODE_LABEL = 'pullguard.io/mode';

/** The mode a label set asks for; undefined when the label is absent or has another value. */
export function modeFromLabels(labels: Readonly<Record<string, string>>): NamespaceMode | undefined {
  const value = labels[NAMESPACE_MODE_LABEL];
  return value === 'warn' || value === 'enforce' || value === 'off' ? value : undefined;
}

/** The label could not be read; `name` is `TimeoutError` when the read ran out of time. */
class NamespaceModeUnreadable extends PullguardError {
  constructor(readonly reason: ReadFailure) {
    super('PG_NAMESPACE_MODE_UNREADABLE', `namespace label unreadable (${reason})`);
    this.name = reason === 'timeout' ? 'TimeoutError' : 'NamespaceModeUnreadable';
  }
}

/**
 * The namespace's mode, or undefined (use the global mode) when it has no valid label or does not exist. Rejects
 * with {@link NamespaceModeUnreadable} when the API cannot answer in time: "no label" and "could not tell" are
 * different answers, and the review treats them differently.
 */
export async function namespaceMode(
  reader: ClusterReader,
  namespace: string,
  signal: AbortSignal,
): Promise<NamespaceMode | undefined> {
  const result = await reader.getNamespaceLabels(namespace, signal);
  if (result.status === 'error') throw new NamespaceModeUnreadable(result.kind);
  return result.status === 'found' ? modeFromLabels(result.value) : undefined;
}

/** A source of locally known modes (a namespace watcher): `undefined` when it does not know the namespace. */
export interface KnownModes {
  known(namespace: string): { readonly mode: NamespaceMode | undefined } | undefined;
}

/** The mode read through the API, plus what is known locally. */
export type NamespaceModeSource = ((namespace: string, signal: AbortSignal) => Promise<NamespaceMode | undefined>) &
  KnownModes;

/** A reader whose cached labels can be looked at without I/O (the cached reader). */
export type PeekingReader = ClusterReader & {
  peekNamespaceLabels?(name: string): ReadResult<Readonly<Record<string, string>>> | undefined;
};

/**
 * The namespace's mode for the review (its `NamespaceModePort`, wired in cli/compose-engine.ts): a locally known
 * answer when there is one (the watcher, else a fresh cached read), so a known `off` costs the review no I/O at all;
 * otherwise a read through the API.
 */
export function namespaceModePort(reader: PeekingReader, local?: KnownModes): NamespaceModeSource {
  const read = (namespace: string, signal: AbortSignal) => namespaceMode(reader, namespace, signal);
  const known = (namespace: string): { readonly mode: NamespaceMode | undefined } | undefined => {
    const watched = local?.known(namespace);
    if (watched) return watched;
    const cached = reader.peekNamespaceLabels?.(namespace);
    if (cached?.status === 'found') return { mode: modeFromLabels(cached.value) };
    return cached?.status === 'not-found' ? NO_LABEL : undefined;
  };
  return Object.assign(read, { known });
}

const NO_LABEL = Object.freeze({ mode: undefined });

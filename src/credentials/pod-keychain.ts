/**
 * The ordered credentials the kubelet would use for one pod, and what is wrong with its pull secrets.
 * docs/design.md §1.4; upstream: the kubelet's `getPullSecretsForPod` (pkg/kubelet/kubelet_pods.go) and the
 * ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go) in
 * https://github.com/kubernetes/kubernetes:
 *
 * 1. the pod's `imagePullSecrets`;
 * 2. templates only, and only when their raw list is empty: the service account's `imagePullSecrets` (the
 *    ServiceAccount admission plugin already did this for Pods, so Pods never read the service account; it copies
 *    them only `if len(pod.Spec.ImagePullSecrets) == 0`, so `[{}]` keeps them out although the kubelet skips `{}`);
 * 3. the static Docker config (the node keyring), as a separate keyring after the pod's;
 * 4. anonymous, when the lookup is empty.
 *
 * All pod secrets go into ONE keyring, as in the kubelet: a more specific key of a later secret beats a less specific
 * key of an earlier one. Reads run concurrently and are bounded by `signal` (the review deadline). A name that no
 * Secret or ServiceAccount can have (object-name.ts) is missing without a read: it never becomes an API path.
 */
import type { ClusterReader, ReadResult, SecretData, ServiceAccountData } from './cluster-port.js';
import type { CredentialProblem } from './credential-problem.js';
import type { PullCredentials, ServiceAccountAnnotations } from './pull-credentials.js';
import { createKeyring, EMPTY_KEYRING, unionKeyrings, type Keyring, type KeyringEntry } from './keyring.js';
import { canNameSecretOrServiceAccount } from './object-name.js';
import { invalidName, NO_SUCH_NAME, readFailed, secretEntries } from './secret-entries.js';

export type { ClusterReader } from './cluster-port.js';

/**
 * Whether some credential of the pod went unseen (a secret not read, unreadable, or more than pullguard evaluates),
 * so that a registry refusal may be about credentials pullguard did not try.
 */
export function credentialsUncertain(keychain: Pick<PodPullCredentials, 'problems' | 'unreadSecrets'>): boolean {
  return (
    keychain.unreadSecrets.length > 0 ||
    keychain.problems.some((f) => f.kind === 'readFailed' || (f.kind === 'invalidPullSecret' && f.overLimit === true))
  );
}

/** The pod's pull credentials, ready for lookups by repository, and where they came from. */
export interface PodPullCredentials extends PullCredentials {
  /** `secret ns/name` of each secret that contributed credentials, in keyring order. */
  readonly secretSources: readonly string[];
  /** `ns/name` of referenced secrets that were not read because Kubernetes credentials are off (no reader). */
  readonly unreadSecrets: readonly string[];
}

export interface BuildPullCredentialsOptions {
  readonly namespace: string;
  /** The names as listed, '' for an entry without one (the kubelet skips those). */
  readonly imagePullSecrets: readonly string[];
  /**
   * Whether the pod spec's raw `imagePullSecrets` list has any entry, named or not (default: `imagePullSecrets` is
   * non-empty). A template that lists any gets none of its service account's.
   */
  readonly listsImagePullSecrets?: boolean;
  /** `spec.serviceAccountName`; empty means `default`. Only read for templates. */
  readonly serviceAccountName: string;
  /** True for a workload's pod template (not yet through the ServiceAccount admission plugin). */
  readonly isTemplate: boolean;
  /** From `credentials.dockerConfig`; plays the node keyring. Entries should carry source `docker config`. */
  readonly staticKeyring?: Keyring;
  /** Absent when Kubernetes credentials are off. */
  readonly reader?: ClusterReader;
  /**
   * Also read the service account's annotation keys, for Pods too (a credential provider requires some; see
   * credential-providers.ts). One read serves both this and the template's pull secrets.
   */
  readonly serviceAccountAnnotations?: boolean;
  readonly signal: AbortSignal;
}

/** Reads the pod's pull secrets (and, for templates, its service account) and builds its keychain. */
export async function buildPullCredentials(options: BuildPullCredentialsOptions): Promise<PodPullCredentials> {
  const { namespace, reader, signal } = options;
  const findings: CredentialProblem[] = [];
  const staticKeyring = options.staticKeyring ?? EMPTY_KEYRING;
  let names = uniqueNonEmpty(options.imagePullSecrets);
  if (reader === undefined) {
    // Nothing is read, but a name no Secret can have is known to be missing all the same.
    findings.push(
      ...names
        .filter((name) => !canNameSecretOrServiceAccount(name))
        .map((name) => invalidName(`${namespace}/${name}`)),
    );
    const unread = names.filter(canNameSecretOrServiceAccount).map((name) => `${namespace}/${name}`);
    return keychain(staticKeyring, findings, [], unread);
  }
  // The ServiceAccount plugin checks the raw list: an entry with an empty name still counts as "lists secrets".
  const listsSecrets = options.listsImagePullSecrets ?? options.imagePullSecrets.length > 0;
  const forSecrets = options.isTemplate && !listsSecrets;
  const account = forSecrets || options.serviceAccountAnnotations === true ? readAccount(reader, options) : undefined;
  if (forSecrets) names = serviceAccountSecrets(await account, options, findings);
  const reads = await Promise.all(
    names.map((name) =>
      canNameSecretOrServiceAccount(name) ? reader.getSecret(namespace, name, signal) : Promise.resolve(NO_SUCH_NAME),
    ),
  );
  const secrets = secretsKeyring(namespace, names, reads, staticKeyring);
  findings.push(...secrets.findings);
  const annotations = options.serviceAccountAnnotations ? annotationsOf(await account) : undefined;
  return keychain(secrets.keyring, findings, secrets.sources, [], annotations);
}

const notRead: ReadResult<SecretData> = { status: 'error', kind: 'unavailable', detail: 'not read' };

/** The keyring of a pod's secrets (before the static one), with what was wrong with them. */
interface SecretsKeyring {
  readonly namespace: string;
  readonly names: readonly string[];
  readonly reads: readonly ReadResult<SecretData>[];
  readonly staticKeyring: Keyring;
  readonly keyring: Keyring;
  readonly findings: readonly CredentialProblem[];
  readonly sources: readonly string[];
}

/**
 * Keyrings by the first secret read they were built from. The cached cluster reader hands out the same read objects
 * for its TTL, so reviews of one workload reuse one keyring (and its credential objects, whose fingerprints the
 * result and token caches memoize) instead of decoding the secrets and hashing the credentials again each time.
 */
const builtFromReads = new WeakMap<ReadResult<SecretData>, SecretsKeyring>();

function secretsKeyring(
  namespace: string,
  names: readonly string[],
  reads: readonly ReadResult<SecretData>[],
  staticKeyring: Keyring,
): SecretsKeyring {
  const first = reads[0];
  const known = first && builtFromReads.get(first);
  if (
    known &&
    known.namespace === namespace &&
    known.staticKeyring === staticKeyring &&
    sameItems(known.names, names) &&
    sameItems(known.reads, reads)
  ) {
    return known;
  }
  const findings: CredentialProblem[] = [];
  const entries: KeyringEntry[] = [];
  const sources: string[] = [];
  names.forEach((name, i) => {
    const secret = `${namespace}/${name}`;
    const parsed = secretEntries(secret, reads[i] ?? notRead, findings);
    for (const entry of parsed) entries.push(entry);
    if (parsed.length > 0) sources.push(`secret ${secret}`);
  });
  const keyring = entries.length === 0 ? staticKeyring : unionKeyrings([createKeyring(entries), staticKeyring]);
  const built = { namespace, names, reads, staticKeyring, keyring, findings, sources };
  if (first) builtFromReads.set(first, built);
  return built;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function accountName(options: BuildPullCredentialsOptions): string {
  return options.serviceAccountName === '' ? 'default' : options.serviceAccountName;
}

/** The service account's read; a name no ServiceAccount can have is missing without one. */
function readAccount(
  reader: ClusterReader,
  options: BuildPullCredentialsOptions,
): Promise<ReadResult<ServiceAccountData>> {
  const account = accountName(options);
  if (!canNameSecretOrServiceAccount(account)) return Promise.resolve({ status: 'not-found' });
  return reader.getServiceAccount(options.namespace, account, options.signal);
}

/** Keys when found, `not-found`, or undefined when unknown (a failed read: nothing is claimed about it). */
function annotationsOf(result: ReadResult<ServiceAccountData> | undefined): ServiceAccountAnnotations | undefined {
  if (result?.status === 'found') return { status: 'found', keys: new Set(result.value.annotationKeys) };
  return result?.status === 'not-found' ? { status: 'not-found' } : undefined;
}

function serviceAccountSecrets(
  result: ReadResult<ServiceAccountData> | undefined,
  options: BuildPullCredentialsOptions,
  findings: CredentialProblem[],
): string[] {
  const name = `${options.namespace}/${accountName(options)}`;
  if (result === undefined) return [];
  if (result.status === 'found') return uniqueNonEmpty(result.value.imagePullSecrets);
  if (result.status === 'not-found') findings.push({ kind: 'missingServiceAccount', serviceAccount: name });
  else findings.push(readFailed('serviceaccount', name, result.kind, result.detail));
  return [];
}

function keychain(
  keyring: Keyring,
  findings: readonly CredentialProblem[],
  secretSources: readonly string[],
  unreadSecrets: readonly string[],
  serviceAccountAnnotations?: ServiceAccountAnnotations,
): PodPullCredentials {
  const problems = Object.freeze([...findings]);
  const unread = Object.freeze([...unreadSecrets]);
  return Object.freeze({
    ...(serviceAccountAnnotations ? { serviceAccountAnnotations } : {}),
    credentialsFor: (repository: string) => keyring.lookup(repository),
    problems,
    uncertain: credentialsUncertain({ problems, unreadSecrets: unread }),
    secretSources: Object.freeze([...secretSources]),
    unreadSecrets: unread,
  });
}

function uniqueNonEmpty(names: readonly string[]): string[] {
  // The kubelet skips empty names; a repeated name would only repeat the same credentials.
  return [...new Set(names.filter((name) => name !== ''))];
}

/**
 * Which kubelet credential providers serve an image, and whether the kubelet would call one for a given pod.
 * docs/design.md §1.4; upstream: pkg/credentialprovider/plugin/plugin.go (`isImageAllowed`, `provide`,
 * `getServiceAccountData`) in https://github.com/kubernetes/kubernetes.
 *
 * - A provider serves an image when one of its `matchImages` matches the repository (`URLsMatchStr`, the keyring's
 *   matching: keyring.ts). Every matching provider is called and their credentials are combined.
 * - A provider with `tokenAttributes` first reads the pod's ServiceAccount: when that fails (it does not exist), or a
 *   key of `requiredServiceAccountAnnotationKeys` is not among its annotations (any value, even empty, counts), the
 *   kubelet does not call the plugin, and the pull goes on with the other credentials only.
 *
 * Pure: the ServiceAccount's annotation keys come from the pod's pull credentials (pod-keychain.ts).
 */
import { boundedMemo } from '../runtime/bounded-memo.js';
import type { CredentialProvider } from './credential-provider-config.js';
import { urlGlobsMatcher } from './keyring.js';
import type { ServiceAccountAnnotations } from './pull-credentials.js';

/** The providers serving a repository (`domain/path`, as from `repositoryName()`), in config order. */
export type ProvidersFor = (repository: string) => readonly CredentialProvider[];

/** What the kubelet would do with credential providers for one image of one pod. */
export type ProviderEffect =
  /** It calls this provider: the pull uses credentials only the node has. */
  | { readonly kind: 'called'; readonly provider: string }
  /** Every matching provider is skipped, the first for lack of these annotation keys on the ServiceAccount. */
  | { readonly kind: 'missingAnnotations'; readonly provider: string; readonly keys: readonly string[] }
  /** No provider matches, or none is called for another reason (the ServiceAccount does not exist). */
  | undefined;

/** Repositories whose matching providers are remembered. */
const REMEMBERED_REPOSITORIES = 1024;
const NONE: readonly CredentialProvider[] = Object.freeze([]);

/** The matcher over the parsed providers; each provider's globs are parsed once. */
export function providersMatcher(providers: readonly CredentialProvider[]): ProvidersFor {
  const matchers = providers.map((provider) => ({ provider, matches: urlGlobsMatcher(provider.matchImages) }));
  return boundedMemo((repository) => {
    const matching = matchers.filter((entry) => entry.matches(repository)).map((entry) => entry.provider);
    return matching.length > 0 ? Object.freeze(matching) : NONE;
  }, REMEMBERED_REPOSITORIES);
}

/** Whether some provider needs the pod's ServiceAccount annotations (only then is it read for Pods). */
export function needsServiceAccountAnnotations(providers: readonly CredentialProvider[]): boolean {
  return providers.some((provider) => (provider.tokenAttributes?.requiredServiceAccountAnnotationKeys.length ?? 0) > 0);
}

/**
 * The effect of the matching providers, given what is known of the pod's ServiceAccount (undefined: not known, as
 * when the Kubernetes API is not read or the read failed; the provider is then assumed to be called, so pullguard
 * never denies on a guess).
 */
export function providerEffect(
  matching: readonly CredentialProvider[],
  serviceAccount: ServiceAccountAnnotations | undefined,
): ProviderEffect {
  let skipped: ProviderEffect;
  for (const provider of matching) {
    const tokens = provider.tokenAttributes;
    if (tokens === undefined || serviceAccount === undefined) return { kind: 'called', provider: provider.name };
    if (serviceAccount.status === 'not-found') continue;
    const missing = tokens.requiredServiceAccountAnnotationKeys.filter((key) => !serviceAccount.keys.has(key));
    if (missing.length === 0) return { kind: 'called', provider: provider.name };
    skipped ??= { kind: 'missingAnnotations', provider: provider.name, keys: Object.freeze(missing) };
  }
  return skipped;
}

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

/** The providers serving a repository (`domain/path`, as from `repositoryName()`), in config order. */
export type ProvidersFor = (repository: string) => readonly CredentialProvider[];

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

/**
 * What the kubelet does with the credential providers matching one image of one pod: calls one, or skips every one
 * for a missing ServiceAccount annotation (docs/design.md §1.4; upstream: pkg/credentialprovider/plugin/plugin.go,
 * `getServiceAccountData`, in https://github.com/kubernetes/kubernetes). Pure, and apart from the matcher
 * (src/credentials/credential-providers.ts) so that the review does not load the keyring's matching unless providers are configured.
 */
import type { CredentialProvider } from '../credentials/credential-provider-config.js';
import type { ServiceAccountAnnotations } from '../credentials/pull-credentials.js';

/** What the kubelet would do with credential providers for one image of one pod. */
export type ProviderEffect =
  /** It calls this provider: the pull uses credentials only the node has. */
  | { readonly kind: 'called'; readonly provider: string }
  /** Every matching provider is skipped, the first for lack of these annotation keys on the ServiceAccount. */
  | { readonly kind: 'missingAnnotations'; readonly provider: string; readonly keys: readonly string[] }
  /** No provider matches, or none is called for another reason (the ServiceAccount does not exist). */
  | undefined;

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

/**
 * What a registry refusal means when the image matches a kubelet credential provider (`credentials
 * .credentialProviderConfig`, docs/design.md §1.4): the node pulls with credentials pullguard cannot see
 * (`nodeCredentials`, a warning, whatever pod secrets matched too), or the kubelet skips the provider because the pod's
 * ServiceAccount lacks an annotation the provider requires (`missingServiceAccountAnnotation`, a denial naming the
 * annotation to add). Pure.
 */
import type { ProviderEffect } from './provider-effect.js';
import type { FindingClass } from './finding-class.js';

export interface ProviderFindingContext {
  readonly canonical: string;
  readonly domain: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The registry refused pullguard too (401/403); false when pullguard's own check did not need the provider. */
  readonly refused?: boolean;
}

export interface ProviderFindingText {
  readonly class: FindingClass;
  readonly cause: string;
  readonly fix?: string;
  readonly short: string;
}

const CONFIG_KEY = 'credentials.credentialProviderConfig';

/** The finding for a refused image whose pull a credential provider decides; undefined when none matches. */
export function providerFinding(effect: ProviderEffect, ctx: ProviderFindingContext): ProviderFindingText | undefined {
  if (effect === undefined) return undefined;
  if (effect.kind === 'called') {
    return {
      class: 'nodeCredentials',
      cause: `${ctx.canonical} matches credential provider ${effect.provider} (${CONFIG_KEY}), whose credentials only the node has; not verified.`,
      // The provider first: warning lines are cut at 120 characters, and registry hosts such as ECR's are long.
      short: `unverified: credential provider ${effect.provider} pulls ${ctx.canonical} with node credentials`,
    };
  }
  return missingAnnotationText(effect, ctx);
}

/** The kubelet skips the provider: the ServiceAccount lacks the annotation keys it requires. */
export function missingAnnotationText(
  effect: Extract<ProviderEffect, { kind: 'missingAnnotations' }>,
  ctx: ProviderFindingContext,
): ProviderFindingText {
  const account = ctx.serviceAccountName === '' ? 'default' : ctx.serviceAccountName;
  const keys = effect.keys.join(', ');
  const annotations = effect.keys.length === 1 ? 'annotation' : 'annotations';
  return {
    class: 'missingServiceAccountAnnotation',
    cause:
      `${ctx.canonical} matches credential provider ${effect.provider} (${CONFIG_KEY}), which requires the ${annotations} ${keys} on the pod's service account, and service account ${ctx.namespace}/${account} lacks ${effect.keys.length === 1 ? 'it' : 'them'}: ` +
      (ctx.refused === false
        ? 'the kubelet does not call the provider, and pulls without its credentials.'
        : `the kubelet does not call the provider, and ${ctx.domain} refuses the pull without its credentials.`),
    fix: `Fix: kubectl annotate serviceaccount ${account} -n ${ctx.namespace} ${effect.keys.map((key) => `${key}=<value>`).join(' ')}`,
    short: `service account ${ctx.namespace}/${account} lacks ${annotations} ${keys} (credential provider ${effect.provider})`,
  };
}

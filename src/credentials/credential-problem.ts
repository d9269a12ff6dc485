/**
 * What can be wrong with a pod's pull credentials (docs/findings.md): produced by the keychain (pod-keychain.ts),
 * turned into findings by policy/credential-findings.ts. Names objects by `namespace/name`, never with secret material.
 */
import type { ReadFailure } from './cluster-port.js';

/** Something about the pod's pull secrets worth telling the user; maps to a finding class by `kind`. */
export type CredentialProblem =
  /**
   * Class missingPullSecret. `no-data`: a docker-config type without its key (the kubelet skips it too).
   * `invalid-name`: no Secret can have that name (`.`, `a/b`, upper case…), so the kubelet never finds one.
   */
  | {
      readonly kind: 'missingPullSecret';
      readonly secret: string;
      readonly why: 'not-found' | 'wrong-type' | 'no-data' | 'invalid-name';
      readonly type?: string;
    }
  /**
   * Class invalidPullSecret: the kubelet fails every pull of the pod. With `overLimit` the secret may be fine but is
   * more than pullguard evaluates (over 1 MiB, over 1,000 registries): not a denial, and the pod's credentials are
   * then uncertain (`credentialsUncertain` in pod-keychain.ts). `problem` holds no secret material.
   */
  | { readonly kind: 'invalidPullSecret'; readonly secret: string; readonly problem: string; readonly overLimit?: true }
  /** A template's service account does not exist: its pods will be rejected until it does. */
  | { readonly kind: 'missingServiceAccount'; readonly serviceAccount: string }
  /** The API could not answer; `message` is a complete sentence for users. */
  | {
      readonly kind: 'readFailed';
      readonly what: 'secret' | 'serviceaccount';
      readonly name: string;
      readonly reason: ReadFailure;
      readonly message: string;
    };

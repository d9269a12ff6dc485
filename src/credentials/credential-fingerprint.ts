/**
 * Short, non-reversible identities of credentials for cache keys (never logged, never sent anywhere), memoized per
 * credential object: the keychain hands out the same objects while the secrets are unchanged, so the warm path
 * hashes nothing.
 */
import { createHash } from 'node:crypto';
import type { RegistryCredential } from './credential.js';

const bySecret = new WeakMap<RegistryCredential, string>();
const bySecretAndSource = new WeakMap<RegistryCredential, string>();

/** Username and password only: one token or tag list serves the same login from any secret. */
export function credentialFingerprint(credential: RegistryCredential | undefined): string {
  if (credential === undefined) return 'anonymous';
  return memoized(bySecret, credential, `${credential.username}\0${credential.password}`);
}

/** Username, password and source: a cached `unauthorized` result names the secret it came from. */
export function sourcedCredentialFingerprint(credential: RegistryCredential): string {
  return memoized(
    bySecretAndSource,
    credential,
    `${credential.username}\0${credential.password}\0${credential.source}`,
  );
}

function memoized(memo: WeakMap<RegistryCredential, string>, credential: RegistryCredential, material: string): string {
  let fingerprint = memo.get(credential);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(material).digest('base64url').slice(0, 22);
    memo.set(credential, fingerprint);
  }
  return fingerprint;
}

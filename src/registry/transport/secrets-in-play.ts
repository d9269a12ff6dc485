/**
 * The secrets one resolution sends to a registry: each credential's password, `user:password` and its base64 (the
 * Basic header), and every Bearer token issued on the way. Registry-supplied text that carries one of them (a
 * registry reflecting the Authorization header into a tag name, a realm host or a digest) must not reach a user.
 */
import type { RegistryCredential } from '../../credentials/credential.js';

export interface SecretsInPlay {
  /** Adds a secret sent on the way (a Bearer token). */
  add(secret: string): void;
  /** Whether `text` carries one of the secrets, ignoring case (host names reach us lower-cased). */
  found(text: string): boolean;
}

/**
 * Shorter secrets are matched only as the whole text: a 3-character password would otherwise rule out every tag
 * that happens to contain those letters, and a reflected one shows up in its longer forms (`user:password`, base64).
 */
const MIN_CONTAINED_LENGTH = 4;

export function secretsInPlay(credentials: readonly (RegistryCredential | undefined)[]): SecretsInPlay {
  const secrets = new Set<string>();
  const add = (secret: string) => {
    if (secret !== '') secrets.add(secret.toLowerCase());
  };
  for (const credential of credentials) {
    if (credential === undefined) continue;
    const pair = `${credential.username}:${credential.password}`;
    const base64 = Buffer.from(pair, 'utf8').toString('base64').replace(/=+$/, '');
    for (const secret of [credential.password, pair, base64, base64.replace(/\+/g, '-').replace(/\//g, '_')])
      add(secret);
  }
  return {
    add,
    found(text) {
      const lower = text.toLowerCase();
      for (const secret of secrets) {
        if (secret.length < MIN_CONTAINED_LENGTH ? lower === secret : lower.includes(secret)) return true;
      }
      return false;
    },
  };
}

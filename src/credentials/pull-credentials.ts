/**
 * A pod's pull credentials: the credentials the kubelet would try for each of its images, and what is wrong with
 * its pull secrets. One declaration: pod-keychain.ts builds it, the review asks for it through its port.
 */
import type { RegistryCredential } from './credential.js';
import type { CredentialProblem } from './credential-problem.js';

export interface PullCredentials {
  /** Credentials to try for a repository (`host/path`), in kubelet order; empty means anonymous. */
  credentialsFor(repository: string): readonly RegistryCredential[];
  readonly problems: readonly CredentialProblem[];
  /**
   * Some credential of the pod went unseen (a secret not read, unreadable, or more than pullguard evaluates), so a
   * registry refusal may be about credentials pullguard did not try.
   */
  readonly uncertain: boolean;
  /**
   * The pod's ServiceAccount as far as credential providers care (read only when a provider needs annotations):
   * absent when it was not read or could not be.
   */
  readonly serviceAccountAnnotations?: ServiceAccountAnnotations;
}

/** The annotation keys of the pod's ServiceAccount, or that it does not exist. */
export type ServiceAccountAnnotations =
  { readonly status: 'found'; readonly keys: ReadonlySet<string> } | { readonly status: 'not-found' };

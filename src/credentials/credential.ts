/**
 * One username/password pair the kubelet would send, and where it came from.
 * `source` names the origin for messages (`secret shop/regcred`, `docker config`) and never holds secret material.
 */
export interface RegistryCredential {
  readonly username: string;
  readonly password: string;
  readonly source: string;
}

import type { RegistryHandle } from './types.js';

/**
 * A `.dockerconfigjson` body (as in a kubernetes.io/dockerconfigjson Secret) that logs `user` into `reg`.
 * Carries both `auth` and username/password, like `docker login` and `kubectl create secret docker-registry` do.
 */
export function dockerConfigJson(reg: Pick<RegistryHandle, 'host' | 'users'>, user = 'alice'): string {
  const password = Object.hasOwn(reg.users, user) ? reg.users[user] : undefined;
  if (password === undefined) throw new Error(`dockerConfigJson: the registry has no user ${JSON.stringify(user)}`);
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return JSON.stringify({ auths: { [reg.host]: { username: user, password, auth } } });
}

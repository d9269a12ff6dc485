/**
 * Which referenced Secrets the kubelet turns into credentials, and how (pkg/credentialprovider/secrets/secrets.go
 * MakeDockerKeyring): only `kubernetes.io/dockerconfigjson` with a non-empty `.dockerconfigjson`, and
 * `kubernetes.io/dockercfg` with a non-empty `.dockercfg`. Every other Secret is skipped. docs/design.md §1.4.
 */
import type { SecretData } from './cluster-port.js';
import { decodeStdBase64, parseDockercfg, parseDockerConfigJson, type DockerConfigEntry } from './docker-config.js';

const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg';

// A Map, not an object: a type such as `__proto__` must not find anything.
const DATA_KEYS: ReadonlyMap<string, '.dockerconfigjson' | '.dockercfg'> = new Map([
  [DOCKER_CONFIG_JSON_TYPE, '.dockerconfigjson'],
  [DOCKERCFG_TYPE, '.dockercfg'],
]);

/**
 * The API server refuses a Secret whose data exceed 1 MiB (k8s.io/api/core/v1 MaxSecretSize), so a larger docker
 * config value did not come from a real Secret. Checked on the base64 text before anything decodes or parses it.
 */
export const MAX_SECRET_DATA_BYTES = 1024 * 1024;
const MAX_ENCODED_LENGTH = Math.ceil(MAX_SECRET_DATA_BYTES / 3) * 4;

export type PullSecretParse =
  | { readonly status: 'ok'; readonly entries: readonly DockerConfigEntry[] }
  /** Not a docker-config type: the kubelet ignores it. */
  | { readonly status: 'wrong-type'; readonly type: string }
  /** A docker-config type without its (non-empty) key: the kubelet ignores it too. */
  | { readonly status: 'no-data'; readonly type: string }
  /**
   * JSON or `auth` that cannot be decoded: the kubelet fails every pull of the pod; or, with `overLimit`, more than
   * pullguard evaluates. `problem` holds no secret.
   */
  | { readonly status: 'invalid'; readonly problem: string; readonly overLimit?: true };

/** Parses one referenced pull secret the way the kubelet does. */
export function parsePullSecret(secret: SecretData): PullSecretParse {
  const dataKey = DATA_KEYS.get(secret.type);
  if (dataKey === undefined) return { status: 'wrong-type', type: secret.type };
  const encoded = secret.data[dataKey];
  if (encoded === undefined || encoded === '') return { status: 'no-data', type: secret.type };
  if (encoded.length > MAX_ENCODED_LENGTH) {
    return {
      status: 'invalid',
      overLimit: true,
      problem: `${dataKey} is larger than 1 MiB, the most a Secret can hold`,
    };
  }
  const text = decodeStdBase64(encoded);
  if (text === undefined) return { status: 'invalid', problem: `${dataKey} is not valid base64` };
  const parsed = dataKey === '.dockerconfigjson' ? parseDockerConfigJson(text) : parseDockercfg(text);
  if (!parsed.ok)
    return {
      status: 'invalid',
      problem: `${dataKey}: ${parsed.problem}`,
      ...(parsed.overLimit ? { overLimit: true } : {}),
    };
  return { status: 'ok', entries: parsed.entries };
}

/**
 * What one pull-secret read contributes to a pod's keychain: keyring entries, or the finding that says why it
 * contributes none (pod-keychain.ts reads the secrets and assembles the keyring).
 */
import type { ReadFailure, ReadResult, SecretData } from './cluster-port.js';
import type { KeyringEntry } from './keyring.js';
import type { CredentialProblem } from './credential-problem.js';
import { parsePullSecret } from './pull-secret.js';

/** The (unrequested) read of a name no Secret can have; one object, so keyrings built with it can be reused. */
export const NO_SUCH_NAME: ReadResult<SecretData> = Object.freeze({ status: 'not-found' });

/** Keyring entries of one secret read; anything else becomes a finding. */
export function secretEntries(
  secret: string,
  result: ReadResult<SecretData>,
  findings: CredentialProblem[],
): readonly KeyringEntry[] {
  if (result === NO_SUCH_NAME) {
    findings.push(invalidName(secret));
    return [];
  }
  if (result.status === 'not-found') {
    findings.push({ kind: 'missingPullSecret', secret, why: 'not-found' });
    return [];
  }
  if (result.status === 'error') {
    findings.push(readFailed('secret', secret, result.kind, result.detail));
    return [];
  }
  let parsed = parsedFromRead.get(result);
  if (parsed?.secret !== secret) {
    parsed = { secret, ...parsedSecret(secret, result.value) };
    parsedFromRead.set(result, parsed);
  }
  if (parsed.finding) findings.push(parsed.finding);
  return parsed.entries;
}

/**
 * What a found secret contributes, by the read object: the cached reader hands out the same one for its TTL, so a
 * secret (up to 1 MiB of docker config) is decoded once, however many pull-secret lists it appears in.
 */
const parsedFromRead = new WeakMap<
  ReadResult<SecretData>,
  { readonly secret: string; readonly entries: readonly KeyringEntry[]; readonly finding?: CredentialProblem }
>();

function parsedSecret(
  secret: string,
  data: SecretData,
): { entries: readonly KeyringEntry[]; finding?: CredentialProblem } {
  const parsed = parsePullSecret(data);
  switch (parsed.status) {
    case 'ok':
      return { entries: Object.freeze(parsed.entries.map((e) => Object.freeze({ ...e, source: `secret ${secret}` }))) };
    case 'wrong-type':
    case 'no-data':
      return { entries: [], finding: { kind: 'missingPullSecret', secret, why: parsed.status, type: parsed.type } };
    case 'invalid':
      return {
        entries: [],
        finding: {
          kind: 'invalidPullSecret',
          secret,
          problem: parsed.problem,
          ...(parsed.overLimit ? { overLimit: true } : {}),
        },
      };
  }
}

export function invalidName(secret: string): CredentialProblem {
  return { kind: 'missingPullSecret', secret, why: 'invalid-name' };
}

export function readFailed(
  what: 'secret' | 'serviceaccount',
  name: string,
  reason: ReadFailure,
  detail: string,
): CredentialProblem {
  const noun = what === 'secret' ? 'secret' : 'service account';
  const why: Record<ReadFailure, string> = {
    forbidden: 'forbidden; check its ClusterRole',
    timeout: 'the Kubernetes API did not answer in time',
    unavailable: `the Kubernetes API is unavailable (${detail})`,
    invalid: `the Kubernetes API sent an unexpected answer (${detail})`,
  };
  return { kind: 'readFailed', what, name, reason, message: `pullguard cannot read ${noun} ${name}: ${why[reason]}` };
}

/**
 * Pod-level credential problems (docs/design.md §1.4) as findings. A secret is always named `namespace/name`; no part
 * of a credential ever reaches the text.
 */
import type { CredentialProblem } from '../credentials/credential-problem.js';
import type { Finding } from './finding.js';

/** The pod spec fields a credential problem can be about. */
export interface PodCredentialFields {
  /** undefined when the object has no pod-level fields (a Tekton Task): the finding then names no field. */
  readonly podSpecPath: string | undefined;
  readonly imagePullSecrets: readonly string[];
}

export function credentialFinding(problem: CredentialProblem, kindName: string, pod: PodCredentialFields): Finding {
  const path = problemPath(problem, pod);
  return { ...credentialText(problem, kindName), ...(path === undefined ? {} : { path }) };
}

/**
 * The field to fix: a secret's own `imagePullSecrets` entry; a secret that came from the service account, or the
 * service account itself, points at `serviceAccountName`.
 */
function problemPath(problem: CredentialProblem, pod: PodCredentialFields): string | undefined {
  if (pod.podSpecPath === undefined) return undefined;
  const secret =
    problem.kind === 'missingServiceAccount' || (problem.kind === 'readFailed' && problem.what === 'serviceaccount')
      ? undefined
      : problem.kind === 'readFailed'
        ? problem.name
        : problem.secret;
  const index = secret === undefined ? -1 : pod.imagePullSecrets.indexOf(nameOf(secret));
  return index >= 0 ? `${pod.podSpecPath}.imagePullSecrets[${index}]` : `${pod.podSpecPath}.serviceAccountName`;
}

function credentialText(problem: CredentialProblem, kindName: string): Finding {
  switch (problem.kind) {
    case 'missingPullSecret': {
      if (problem.why === 'invalid-name') return invalidNameText(problem.secret);
      const why =
        problem.why === 'not-found'
          ? 'does not exist'
          : problem.why === 'no-data'
            ? 'has no docker config data'
            : `has type ${problem.type ?? 'unknown'}, not kubernetes.io/dockerconfigjson`;
      return {
        class: 'missingPullSecret',
        subject: `pull secret ${problem.secret}`,
        cause: `imagePullSecret ${problem.secret} ${why}; the kubelet skips it.`,
        fix: `Fix: create it with kubectl create secret docker-registry ${nameOf(problem.secret)} -n ${namespaceOf(problem.secret)} …, or remove it from imagePullSecrets.`,
        short: `imagePullSecret ${problem.secret} ${why}; the kubelet skips it`,
      };
    }
    case 'invalidPullSecret':
      if (problem.overLimit) {
        // The kubelet may well use it: pullguard only cannot verify with it, so this warns and never denies.
        return {
          class: 'unreachable',
          subject: `pull secret ${problem.secret}`,
          cause: `imagePullSecret ${problem.secret} is more than pullguard evaluates (${problem.problem}); credentials from it were not checked.`,
          fix: 'Fix: keep only the registries this workload pulls from in the secret.',
          short: `imagePullSecret ${problem.secret} is more than pullguard evaluates; not checked`,
        };
      }
      return {
        class: 'invalidPullSecret',
        subject: `pull secret ${problem.secret}`,
        cause: `imagePullSecret ${problem.secret} cannot be decoded (${problem.problem}); the kubelet fails every pull of this pod.`,
        fix: `Fix: recreate it: kubectl create secret docker-registry ${nameOf(problem.secret)} -n ${namespaceOf(problem.secret)} --docker-server=… --docker-username=… --docker-password=….`,
        short: `imagePullSecret ${problem.secret} cannot be decoded (${problem.problem})`,
      };
    case 'missingServiceAccount':
      return {
        class: 'missingPullSecret',
        subject: `service account ${problem.serviceAccount}`,
        cause: `service account ${problem.serviceAccount} does not exist, so the pods of this ${kindName} cannot be created until it does.`,
        fix: `Fix: kubectl create serviceaccount ${nameOf(problem.serviceAccount)} -n ${namespaceOf(problem.serviceAccount)}, or fix serviceAccountName.`,
        short: `service account ${problem.serviceAccount} does not exist; pods cannot be created`,
      };
    case 'readFailed':
      return {
        class: problem.reason === 'timeout' ? 'timeout' : 'unreachable',
        subject: `${problem.what === 'secret' ? 'pull secret' : 'service account'} ${problem.name}`,
        cause: `${problem.message}; credentials from it were not checked.`,
        short: problem.message,
      };
  }
}

/** Names longer than this are shown in part: an invalid name can be megabytes long. */
const MAX_SHOWN_NAME = 100;

/** A name no Secret can have (`.`, `a/b`, upper case…), quoted so odd characters show. */
function invalidNameText(secret: string): Finding {
  const name = nameOf(secret);
  const shown =
    name.length <= MAX_SHOWN_NAME
      ? JSON.stringify(name)
      : `${JSON.stringify(name.slice(0, MAX_SHOWN_NAME))}… (${name.length} characters)`;
  const what = `imagePullSecret ${shown} in namespace ${namespaceOf(secret)} is not a valid Secret name`;
  return {
    class: 'missingPullSecret',
    subject: `pull secret ${namespaceOf(secret)}/${shown}`,
    cause: `${what}, so no such Secret can exist; the kubelet skips it.`,
    fix: 'Fix: correct the name (lowercase letters, digits, - and .), or remove it from imagePullSecrets.',
    short: `${what}; the kubelet skips it`,
  };
}

function nameOf(qualified: string): string {
  return qualified.slice(qualified.indexOf('/') + 1);
}

function namespaceOf(qualified: string): string {
  return qualified.slice(0, Math.max(0, qualified.indexOf('/')));
}

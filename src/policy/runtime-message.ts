/**
 * The reverse of {@link runtimeLine}: reads a pull error as a pod's events show it (`kubectl describe pod`) and says
 * what failed, whether the node itself is the cause, and which component wrote it. Bounded on hostile text: the input
 * is cut to {@link MAX_MESSAGE_CHARS} before anything else, and matching is plain substring search (no regular
 * expressions), so the work is linear in the capped length.
 */
import type { FindingClass } from './finding-class.js';
import type { Runtime, RuntimeFailure } from './runtime-words.js';

/** Longer event texts are read from their first 64 KiB only; the kubelet's own event messages are far shorter. */
export const MAX_MESSAGE_CHARS = 64 * 1024;

export type RuntimeFailureKind = RuntimeFailure['kind'] | 'diskFull' | 'unknown';

/**
 * Who wrote the words: one of the runtimes, the Docker daemon behind cri-dockerd (its `Error response from daemon:`
 * texts), the kubelet itself (before any runtime is asked), or no one recognisable.
 */
export type MessageWriter = Runtime | 'cri-dockerd' | 'kubelet' | 'unknown';

export interface RuntimeMessageClass {
  readonly kind: RuntimeFailureKind;
  /**
   * True when the node is the cause, not the image or the registry: a full disk, the node's DNS resolver, and so
   * something pullguard's own check from the webhook cannot see.
   */
  readonly nodeSide: boolean;
  /** The component whose words these are; `kubelet` for failures the kubelet reports before any runtime is asked. */
  readonly writer: MessageWriter;
  /** CRI-O tried mirrors before the upstream, and they failed too (`(Mirrors also failed: …)`). */
  readonly mirrorsFailed: boolean;
  /**
   * The registry refused credentials the runtime sent (not an anonymous pull). When the pod lists no pull secret for
   * the registry, those credentials are the node's: a kubelet credential provider or the runtime's own config.
   */
  readonly credentialsRejected: boolean;
  /** True when the text was longer than {@link MAX_MESSAGE_CHARS} and only its start was read. */
  readonly truncated: boolean;
}

interface Rule {
  readonly kind: RuntimeFailureKind;
  /** Every needle must occur (lower case). */
  readonly all: readonly string[];
  readonly nodeSide?: boolean;
}

/**
 * In order: the first rule whose needles all occur wins. Causes a wrapper can hide come first (a full disk during
 * unpacking, a TLS failure during the ping), the runtime's generic wording last.
 */
const RULES: readonly Rule[] = [
  { kind: 'diskFull', all: ['no space left on device'], nodeSide: true },
  { kind: 'pullPolicyNever', all: ['is not present with pull policy of never'] },
  { kind: 'invalidReference', all: ['invalid reference format'] },
  { kind: 'ambiguousShortName', all: ['short name mode is enforcing'] },
  { kind: 'ambiguousShortName', all: ['short-name resolution enforced'] },
  // no search registries at all: https://github.com/containers/image/blob/main/pkg/shortnames/shortnames.go
  { kind: 'ambiguousShortName', all: ['did not resolve to an alias and no unqualified-search registries'] },
  { kind: 'blockedRegistry', all: ['is blocked in '] },
  { kind: 'unknownAuthority', all: ['x509: certificate signed by unknown authority'] },
  { kind: 'rateLimited', all: ['toomanyrequests'] },
  { kind: 'rateLimited', all: ['429 too many requests'] },
  { kind: 'rateLimited', all: ['too many requests to registry'] },
  { kind: 'dnsFailure', all: ['dial tcp: lookup ', 'no such host'], nodeSide: true },
  { kind: 'dnsFailure', all: ['dial tcp: lookup ', 'server misbehaving'], nodeSide: true },
  { kind: 'dnsFailure', all: ['dial tcp: lookup ', 'i/o timeout'], nodeSide: true },
  { kind: 'connectionRefused', all: ['connect: connection refused'] },
  { kind: 'ioTimeout', all: ['i/o timeout'] },
  { kind: 'ioTimeout', all: ['connect: connection timed out'] },
  // Go's net/http client timeout, as the Docker daemon reports it
  { kind: 'ioTimeout', all: ['client.timeout exceeded'] },
  { kind: 'platformMismatch', all: ['no match for platform in manifest'] },
  // the Docker daemon: https://github.com/moby/moby/blob/master/distribution/pull_v2.go
  { kind: 'platformMismatch', all: ['no matching manifest for ', ' in the manifest list entries'] },
  { kind: 'platformMismatch', all: ['no image found in manifest list for architecture'] },
  { kind: 'platformMismatch', all: ['no image found in image index for architecture'] },
  { kind: 'unauthorized', all: ['pull access denied'] },
  { kind: 'unauthorized', all: ['failed to fetch oauth token'] },
  { kind: 'unauthorized', all: ['unable to retrieve auth token'] },
  { kind: 'unauthorized', all: ['unauthorized: '] },
  { kind: 'unauthorized', all: ['requested access to the resource is denied'] },
  { kind: 'unauthorized', all: ['401 unauthorized'] },
  { kind: 'unauthorized', all: ['403 forbidden'] },
  // containers/image's token request (https://github.com/containers/image/blob/main/docker/docker_client.go)
  { kind: 'unauthorized', all: ['invalid status code from registry 401'] },
  { kind: 'unauthorized', all: ['invalid status code from registry 403'] },
  // the Docker daemon names the request and the bare status text: `Head "https://…": Forbidden`
  { kind: 'unauthorized', all: ['error response from daemon: ', '": forbidden'] },
  { kind: 'notFound', all: ['manifest unknown'] },
  { kind: 'notFound', all: ['failed to resolve reference', ': not found'] },
  { kind: 'notFound', all: ['failed to resolve image', ': not found'] },
  { kind: 'notFound', all: ['name unknown'] },
];

/**
 * Wording that only appears when credentials were sent: containerd's token fetch with a secret
 * (https://github.com/containerd/containerd/blob/main/core/remotes/docker/authorizer.go, doBearerAuth) and
 * containers/image's ErrUnauthorizedForCredentials (https://github.com/containers/image/blob/main/docker/errors.go),
 * and Docker Hub's answer to a wrong password, which the Docker daemon passes on.
 */
const CREDENTIALS_SENT = [
  'failed to fetch oauth token',
  'unable to retrieve auth token: invalid username/password',
  'unauthorized: incorrect username or password',
];

/** Which component's wording this is; CRI-O's markers come from containers/image and CRI-O itself. */
const WRITERS: readonly { readonly writer: Exclude<MessageWriter, 'unknown'>; readonly needle: string }[] = [
  // First: the daemon's answer may quote containerd's words when Docker uses the containerd image store.
  // https://github.com/moby/moby/blob/master/client/request.go (checkResponseErr: `Error response from daemon`)
  { writer: 'cri-dockerd', needle: 'error response from daemon: ' },
  // the daemon's layer registration: https://github.com/moby/moby/blob/master/distribution/xfer/download.go
  { writer: 'cri-dockerd', needle: 'failed to register layer: ' },
  { writer: 'containerd', needle: 'failed to pull and unpack image' },
  { writer: 'containerd', needle: 'failed to resolve reference "' },
  // containerd 2.x's transfer service, the default CRI pull path (runtime-words.ts)
  { writer: 'containerd', needle: 'failed to resolve image: ' },
  { writer: 'cri-o', needle: 'initializing source docker://' },
  { writer: 'cri-o', needle: 'pinging container registry' },
  // older containers/image (CRI-O 1.17 and before)
  { writer: 'cri-o', needle: 'pinging docker registry' },
  { writer: 'cri-o', needle: 'choosing image instance' },
  { writer: 'cri-o', needle: 'requesting bearer token: ' },
  { writer: 'cri-o', needle: 'short name mode is enforcing' },
  { writer: 'cri-o', needle: 'did not resolve to an alias and no unqualified-search registries' },
  { writer: 'cri-o', needle: '(mirrors also failed' },
  { writer: 'cri-o', needle: 'reading manifest ' },
  { writer: 'cri-o', needle: 'choosing an image from manifest list' },
  { writer: 'kubelet', needle: 'is not present with pull policy of never' },
  { writer: 'kubelet', needle: 'failed to apply default image tag' },
];

/** Classifies one event message or runtime log line; never throws, whatever the input. */
export function classifyRuntimeMessage(text: string): RuntimeMessageClass {
  const raw = typeof text === 'string' ? text : '';
  const truncated = raw.length > MAX_MESSAGE_CHARS;
  const lower = (truncated ? raw.slice(0, MAX_MESSAGE_CHARS) : raw).toLowerCase();
  const mirrorsFailed = lower.includes('(mirrors also failed');
  // With mirrors, containers/image puts the mirrors' errors first and the upstream's (the primary) after `]): `
  // (https://github.com/containers/image/blob/main/docker/docker_image_src.go, newImageSource); judge by the primary.
  const close = mirrorsFailed ? lower.lastIndexOf(']): ') : -1;
  const primary = close >= 0 ? lower.slice(close + 3) : lower;
  const rule = RULES.find((r) => r.all.every((needle) => primary.includes(needle)));
  const found = WRITERS.find((w) => lower.includes(w.needle));
  return {
    kind: rule?.kind ?? 'unknown',
    nodeSide: rule?.nodeSide ?? false,
    writer: found?.writer ?? 'unknown',
    mirrorsFailed,
    credentialsRejected: rule?.kind === 'unauthorized' && CREDENTIALS_SENT.some((needle) => primary.includes(needle)),
    truncated,
  };
}

/**
 * The finding class that says what a runtime error says (docs/design.md §2.1), the one diagnose reports beside the
 * classified error. Undefined when no finding of the engine can say it: a full disk is the node's alone, and an
 * unrecognised text says nothing. The network failures are `unreachable` (an i/o timeout is `timeout`); whether the
 * node alone is the cause is {@link RuntimeMessageClass.nodeSide}, read from the text.
 */
export function findingClassOfRuntimeError(kind: RuntimeFailureKind): FindingClass | undefined {
  return FINDING_CLASS_OF[kind];
}

const FINDING_CLASS_OF: Readonly<Record<RuntimeFailureKind, FindingClass | undefined>> = {
  notFound: 'notFound',
  unauthorized: 'unauthorized',
  invalidReference: 'invalidReference',
  platformMismatch: 'platformMismatch',
  dnsFailure: 'unreachable',
  connectionRefused: 'unreachable',
  ioTimeout: 'timeout',
  unknownAuthority: 'unreachable',
  rateLimited: 'rateLimited',
  pullPolicyNever: 'pullPolicyNever',
  blockedRegistry: 'blockedRegistry',
  ambiguousShortName: 'ambiguousShortName',
  diskFull: undefined,
  unknown: undefined,
};

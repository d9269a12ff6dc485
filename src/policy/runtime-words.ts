/**
 * The error line a node's container runtime would show for a pull failure, in its own words, so a denial can quote
 * the text a user will search for (containerd 2.x CRI plugin, CRI-O 1.3x through containers/image). Pure: each line
 * is a template filled with the reference; every template cites the upstream code it copies.
 *
 * The kubelet wraps the runtime's error in its event: `Failed to pull image %q: %v` with the image as written in the
 * pod (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/images/image_manager.go).
 */

export type Runtime = 'containerd' | 'cri-o';

/** The pull failures the runtime words cover; the network ones name what failed, as the runtime does. */
export type RuntimeFailure =
  | { readonly kind: 'notFound' }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'platformMismatch'; readonly os: string; readonly architecture: string; readonly variant?: string }
  | { readonly kind: 'invalidReference' }
  | { readonly kind: 'dnsFailure' }
  | { readonly kind: 'connectionRefused' }
  | { readonly kind: 'ioTimeout' }
  | { readonly kind: 'unknownAuthority' }
  | { readonly kind: 'rateLimited' }
  | { readonly kind: 'pullPolicyNever' }
  | { readonly kind: 'blockedRegistry'; readonly prefix: string }
  | { readonly kind: 'ambiguousShortName' };

export interface RuntimeReference {
  /** The image exactly as written in the pod spec (`nginx`, `ghcr.io/acme/app:1.2`). */
  readonly image: string;
  /** The canonical reference (docs/design.md §1.2): `docker.io/library/nginx:1.27` or `…@sha256:…`. */
  readonly canonical: string;
}

/**
 * The event message the kubelet would record for this failure on a node running `runtime`, or undefined when that
 * runtime never reports it (a blocked registry or an ambiguous short name are CRI-O's alone).
 */
export function runtimeLine(
  runtime: Runtime,
  failure: RuntimeFailure,
  reference: RuntimeReference,
): string | undefined {
  const image = reference.image;
  switch (failure.kind) {
    case 'invalidReference':
      // The kubelet parses the name before asking any runtime:
      // https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/images/image_manager.go (applyDefaultImageTag)
      return `Failed to apply default image tag ${goQuote(image)}: couldn't parse image reference ${goQuote(image)}: invalid reference format`;
    case 'pullPolicyNever':
      // https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/images/image_manager.go (EnsureImageExists)
      return `Container image ${goQuote(image)} is not present with pull policy of Never`;
    case 'ambiguousShortName':
      // CRI-O answers the kubelet's image status with this, so the kubelet reports a failed inspect (InspectFailed):
      // https://github.com/cri-o/cri-o/blob/main/internal/storage/image.go (CandidatesForPotentiallyShortImageName).
      // Kubelets 1.34 to 1.36 print an empty image name there and keep the gRPC status, as reported in
      // https://github.com/FusionAuth/charts/issues/118 and https://github.com/1Password/connect-helm-charts/issues/283.
      return runtime === 'cri-o'
        ? `Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name ${withDefaultTag(image)} returns ambiguous list`
        : undefined;
    default: {
      const cause = runtime === 'containerd' ? containerdError(failure, reference) : crioError(failure, reference);
      return cause === undefined ? undefined : `Failed to pull image ${goQuote(image)}: ${cause}`;
    }
  }
}

type PullFailure = Exclude<RuntimeFailure, { kind: 'invalidReference' | 'pullPolicyNever' | 'ambiguousShortName' }>;

/**
 * containerd 2.x's words. The CRI plugin wraps every pull error in `failed to pull and unpack image %q: %w`, on both
 * of its pull paths (https://github.com/containerd/containerd/blob/release/2.1/internal/cri/server/images/image_pull.go,
 * pullImageWithTransferService and pullImageWithLocalPull). The transfer service is the default (`use_local_image_pull`
 * is off), and it wraps the resolver's error in `failed to resolve image: %w` without naming the reference again
 * (https://github.com/containerd/containerd/blob/release/2.1/core/transfer/local/pull.go); the resolver's own text
 * follows, e.g. `<ref>: not found` (https://github.com/containerd/containerd/blob/release/2.1/core/remotes/docker/resolver.go).
 * So these lines use `failed to resolve image: `. containerd 1.x, and 2.x with `use_local_image_pull`, say
 * `failed to resolve reference %q: %w` there instead (https://github.com/containerd/containerd/blob/release/2.1/client/pull.go);
 * the classifier (runtime-message.ts) reads both. The kubelet may print the gRPC status before the text
 * (`rpc error: code = NotFound desc = `); the line leaves it out, so it is found within either form.
 */
function containerdError(failure: PullFailure, reference: RuntimeReference): string | undefined {
  const parts = split(reference.canonical);
  const ref = `${parts.name}${parts.digest ? '@' : ':'}${parts.object}`;
  const pull = `failed to pull and unpack image "${ref}": `;
  const resolve = `${pull}failed to resolve image: `;
  const host = apiHost(parts.domain);
  // The resolver's HEAD request and the client's wrapping of transport errors:
  // https://github.com/containerd/containerd/blob/main/core/remotes/docker/resolver.go (request.do)
  const request = `failed to do request: Head "https://${host}/v2/${parts.repository}/manifests/${parts.object}": `;
  switch (failure.kind) {
    case 'notFound':
      // https://github.com/containerd/containerd/blob/main/core/remotes/docker/resolver.go (`%s: %w`, errdefs.ErrNotFound)
      return `${resolve}${ref}: not found`;
    case 'unauthorized':
      // https://github.com/containerd/containerd/blob/main/core/remotes/docker/resolver.go (ErrInvalidAuthorization),
      // with the registry's `error=` challenge parameter
      // (https://github.com/containerd/containerd/blob/main/core/remotes/docker/authorizer.go, invalidAuthorization)
      return `${resolve}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    case 'platformMismatch':
      // https://github.com/containerd/containerd/blob/main/core/images/handlers.go (LimitManifests)
      return `${pull}no match for platform in manifest: not found`;
    case 'dnsFailure':
      // Go's net.DNSError: https://github.com/golang/go/blob/master/src/net/net.go
      return `${resolve}${request}dial tcp: lookup ${host}: no such host`;
    case 'connectionRefused':
      // Go's net.OpError: https://github.com/golang/go/blob/master/src/net/net.go
      return `${resolve}${request}dial tcp ${hostPort(host)}: connect: connection refused`;
    case 'ioTimeout':
      return `${resolve}${request}dial tcp ${hostPort(host)}: i/o timeout`;
    case 'unknownAuthority':
      // Go's crypto/tls: https://github.com/golang/go/blob/master/src/crypto/tls/handshake_client.go
      return `${resolve}${request}tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    case 'rateLimited':
      // https://github.com/containerd/containerd/blob/main/core/remotes/docker/errors.go (unexpectedResponseErr)
      return `${resolve}unexpected status from HEAD request to https://${host}/v2/${parts.repository}/manifests/${parts.object}: 429 Too Many Requests`;
    case 'blockedRegistry':
      return undefined;
  }
}

/**
 * CRI-O pulls through containers/image, whose copy wraps the source error in `initializing source %s: %w`
 * (https://github.com/containers/image/blob/main/copy/copy.go) with the transport name `docker://…`.
 */
function crioError(failure: PullFailure, reference: RuntimeReference): string {
  const parts = split(reference.canonical);
  const transport = `docker://${parts.name}${parts.digest ? '@' : ':'}${parts.object}`;
  const source = `initializing source ${transport}: `;
  // https://github.com/containers/image/blob/main/docker/docker_image_src.go (fetchManifest)
  const manifest = `${source}reading manifest ${parts.object} in ${parts.name}: `;
  const host = apiHost(parts.domain);
  // https://github.com/containers/image/blob/main/docker/docker_client.go (detectProperties)
  const ping = `${source}pinging container registry ${host}: Get "https://${host}/v2/": `;
  switch (failure.kind) {
    case 'notFound':
      // The registry's MANIFEST_UNKNOWN message (https://github.com/distribution/distribution/blob/main/registry/api/errcode/register.go)
      return `${manifest}manifest unknown`;
    case 'unauthorized':
      // The registry's UNAUTHORIZED message (https://github.com/distribution/distribution/blob/main/registry/api/errcode/register.go)
      return `${manifest}unauthorized: authentication required`;
    case 'platformMismatch':
      // Chosen after the source is open, so without `initializing source`:
      // https://github.com/containers/image/blob/main/copy/copy.go (`choosing an image from manifest list %s: %w`),
      // https://github.com/containers/image/blob/main/internal/manifest/docker_schema2_list.go (chooseInstance)
      return `choosing an image from manifest list ${transport}: no image found in manifest list for architecture "${failure.architecture}", variant "${failure.variant ?? ''}", OS "${failure.os}"`;
    case 'dnsFailure':
      return `${ping}dial tcp: lookup ${host}: no such host`;
    case 'connectionRefused':
      return `${ping}dial tcp ${hostPort(host)}: connect: connection refused`;
    case 'ioTimeout':
      return `${ping}dial tcp ${hostPort(host)}: i/o timeout`;
    case 'unknownAuthority':
      return `${ping}tls: failed to verify certificate: x509: certificate signed by unknown authority`;
    case 'rateLimited':
      // Docker Hub's TOOMANYREQUESTS body, passed through by docker/errors.go
      // (https://github.com/containers/image/blob/main/docker/errors.go)
      return `${manifest}toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit`;
    case 'blockedRegistry':
      // https://github.com/containers/image/blob/main/docker/docker_client.go (newDockerClient), with the default
      // config paths (https://github.com/containers/image/blob/main/pkg/sysregistriesv2/system_registries_v2.go)
      return `${source}registry ${failure.prefix} is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d`;
  }
}

interface ReferenceParts {
  readonly domain: string;
  readonly repository: string;
  /** `domain/repository`. */
  readonly name: string;
  /** The tag, or the digest when there is one. */
  readonly object: string;
  readonly digest: boolean;
}

function split(canonical: string): ReferenceParts {
  const at = canonical.indexOf('@');
  const slash = canonical.indexOf('/');
  const colon = canonical.lastIndexOf(':');
  const tagged = at < 0 && colon > slash;
  const name = at >= 0 ? canonical.slice(0, at) : tagged ? canonical.slice(0, colon) : canonical;
  const object = at >= 0 ? canonical.slice(at + 1) : tagged ? canonical.slice(colon + 1) : 'latest';
  const domain = slash < 0 ? name : name.slice(0, slash);
  return { domain, repository: name.slice(domain.length + 1), name, object, digest: at >= 0 };
}

/**
 * Docker Hub's API host, which both runtimes use for `docker.io`
 * (https://github.com/containerd/containerd/blob/main/core/remotes/docker/config/hosts.go,
 * https://github.com/containers/image/blob/main/docker/docker_client.go).
 */
function apiHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

function hostPort(host: string): string {
  return /:\d{1,5}$/.test(host) ? host : `${host}:443`;
}

/**
 * Go's `%q` for the printable text an image name holds: double quotes, with `"` and `\\` escaped
 * (https://pkg.go.dev/strconv#Quote). Control characters are escaped too, in JSON's spelling rather than Go's.
 */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** The kubelet adds `:latest` to a name without tag or digest before asking the runtime (image_manager.go). */
function withDefaultTag(image: string): string {
  const slash = image.lastIndexOf('/');
  return image.includes('@') || image.lastIndexOf(':') > slash ? image : `${image}:latest`;
}

/**
 * The one interface of "resolve an image reference against its registry": the review's port and the registry
 * client's type are this declaration (resolver/image-resolver.ts implements it, resolver/result-cache.ts wraps it).
 * Pure types.
 */
import type { RegistryCredential } from '../credentials/credential.js';
import type { ImageReference } from '../image/reference.js';
import type { Resolution } from './resolution.js';

export interface ResolveOptions {
  readonly reference: ImageReference;
  /** The pull credentials for the reference's repository, in kubelet order; empty = anonymous. Tried in order, first
   * success wins; no anonymous retry once any matched. */
  readonly credentials: readonly RegistryCredential[];
  /** The review's deadline. */
  readonly signal: AbortSignal;
  /** Fetch index entries for the platform check. */
  readonly wantIndex?: boolean;
  /**
   * How to reach the reference's host when the node's runtime configuration says (a mirror's scheme, TLS
   * verification and CA); absent: the `registries:` entry of the host, or HTTPS with the system's CAs.
   */
  readonly access?: EndpointAccess;
}

/** A runtime endpoint's connection settings (containerd hosts.toml, CRI-O registries.conf). */
export interface EndpointAccess {
  readonly plainHttp: boolean;
  readonly insecureSkipVerify: boolean;
  /** A CA file, as the admin mounted it. */
  readonly caFile?: string;
}

/** What a cache lookup needs: everything but the deadline. */
export type PeekOptions = Omit<ResolveOptions, 'signal'>;

export interface ImageResolver {
  /** Exactly one Resolution per call; never rejects for a registry behaviour. */
  resolve(options: ResolveOptions): Promise<Resolution>;
  /** The cached result without any I/O, when the resolver caches and has one (counted as a cache hit). */
  peek?(options: PeekOptions): Resolution | undefined;
}

/** A resolver that owns connections: the registry client, closed on shutdown. */
export interface ClosableImageResolver extends ImageResolver {
  close(): Promise<void>;
}

/** Shared types of the real-registry test harness (see README.md in this folder). */

/** How the local Distribution registry authenticates clients. */
export type RegistryMode = 'plain' | 'basic' | 'token';

/** One request as recorded by the registry's own access log. */
export interface AccessLogEntry {
  method: string;
  uri: string;
  status: number;
  /** When the registry received it, in whole seconds since the epoch (the log's resolution). */
  atSeconds: number;
}

/** Actions a token can grant on a repository. */
export type TokenAction = 'pull' | 'push';

/**
 * Decides which actions the token server grants `user` (undefined = anonymous) on `repository`.
 * The token server intersects this with the requested actions.
 */
export type TokenAcl = (user: string | undefined, repository: string) => TokenAction[];

/** What the token server saw in one token request (for assertions; never holds passwords). */
export interface TokenRequestRecord {
  readonly user: string | undefined;
  readonly scopes: readonly string[];
  readonly status: number;
}

/** The HTTPS token server that backs a `token` mode registry. */
export interface TokenServerInfo {
  readonly url: string;
  /** Number of HTTP requests the token server received so far. */
  readonly requests: () => number;
  /** The token requests seen so far, oldest first. */
  readonly requestLog: () => readonly TokenRequestRecord[];
}

/** A running registry started by `startRegistry`. */
export interface RegistryHandle {
  readonly mode: RegistryMode;
  /** '127.0.0.1:<port>' (what an image reference uses, e.g. `${host}/team/app:v1`). */
  readonly host: string;
  /** 'http://127.0.0.1:<port>' or 'https://127.0.0.1:<port>'. */
  readonly url: string;
  /** PEM file of the test CA that signed the registry's (and token server's) TLS cert (basic/token modes). */
  readonly caFile?: string;
  readonly caPem?: string;
  /** username -> password that the registry/token server accepts. */
  readonly users: Readonly<Record<string, string>>;
  /** Token mode only. */
  readonly tokenServer?: TokenServerInfo;
  /**
   * Registry HTTP requests seen so far (including pushImage's), oldest first, parsed from the registry's own
   * access log (Distribution writes it to stdout; the harness's readiness/flush requests are left out).
   */
  accessLog(): Promise<AccessLogEntry[]>;
  /** Count of manifest requests (HEAD or GET /v2/<repo>/manifests/<ref>) so far; optional method filter. */
  manifestRequests(method?: 'HEAD' | 'GET'): Promise<number>;
  stop(): Promise<void>;
}

/** Options of `startRegistry`. */
export interface StartRegistryOptions {
  mode: RegistryMode;
  /** Token mode only: replaces the default ACL (alice: pull+push everywhere, bob: pull on shared/*, anonymous: pull on public/*). */
  tokenAcl?: TokenAcl;
}

/** os/architecture/variant of an image (OCI image-spec `platform`). */
export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

/** Manifest formats `pushImage` can produce. */
export type PushFormat = 'oci-manifest' | 'docker-manifest' | 'oci-index' | 'docker-list';

/** Options of `pushImage`. */
export interface PushImageOptions {
  repository: string;
  tags: string[];
  format: PushFormat;
  /** Default [{ os: 'linux', architecture: 'amd64' }]; for indexes one child per platform; single manifests use the first. */
  platforms?: ImagePlatform[];
  /** oci-index only: add an `unknown/unknown` attestation manifest entry like buildkit does. */
  attestation?: boolean;
  /** Extra text mixed into the layer so the same repository can hold different images (default ''). */
  salt?: string;
}

/** What `pushImage` pushed. */
export interface PushedImage {
  /** `${host}/${repository}:${tags[0]}`. */
  readonly reference: string;
  /** Digest of the top-level manifest/index (what the registry returns in Docker-Content-Digest). */
  readonly digest: string;
  readonly mediaType: string;
  /** Indexes only: the platform children, in index order (the attestation entry is not listed here). */
  readonly children?: readonly { digest: string; platform: ImagePlatform }[];
  /** oci-index with attestation only: digest of the attestation manifest. */
  readonly attestationDigest?: string;
}

/** Misbehaving servers for negative tests (see fault-server.ts for each behaviour). */
export type FaultKind =
  | 'hang'
  | 'reset'
  | 'status-500'
  | 'garbage-body'
  | 'huge-body'
  | 'endless-headers'
  | 'redirect-loop'
  | 'blocked-realm'
  | 'rate-limited'
  | 'tls-garbage';

/** Options of `startFaultServer`. */
export interface FaultServerOptions {
  /** blocked-realm only: the token realm to advertise (default http://169.254.169.254/latest/meta-data/token). */
  realm?: string;
}

/** A running fault server. */
export interface FaultServer {
  /** '127.0.0.1:<port>'. */
  readonly host: string;
  /** 'http://127.0.0.1:<port>' ('https://…' for tls-garbage). */
  readonly url: string;
  /** Requests (HTTP-level kinds) or connections (hang, reset, endless-headers, tls-garbage) seen so far. */
  hits(): number;
  close(): Promise<void>;
}

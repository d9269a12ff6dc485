/**
 * The error catalogue: every code a {@link PullguardError} can carry, with the exit code the CLI leaves with and a
 * one-line summary. One table, one style (`PG_` + UPPER_SNAKE), documented in docs/errors.md and kept in step with it
 * by test/errors/error-codes.test.ts (the pattern of fastify's `FST_ERR_*` catalogue).
 *
 * Exit codes: 2 is a usage error (the command line), 1 everything else. `pullguard check` exits 2 on every one of
 * them, because its 1 means "an object would be denied" (docs/ci.md).
 */
export const ERROR_CODES = {
  PG_USAGE: { exitCode: 2, summary: 'an unknown command, an unknown or malformed flag' },

  PG_CONFIG_UNREADABLE: {
    exitCode: 1,
    summary: 'the config file named by --config or PULLGUARD_CONFIG cannot be read',
  },
  PG_CONFIG_INVALID: { exitCode: 1, summary: 'the config file is not valid; every problem is listed' },

  PG_DOCKER_CONFIG_UNREADABLE: {
    exitCode: 1,
    summary: 'the Docker config named by credentials.dockerConfig cannot be read',
  },
  PG_DOCKER_CONFIG_INVALID: {
    exitCode: 1,
    summary: 'a Docker config is not a valid config.json (no part of it is printed)',
  },

  PG_CREDENTIAL_PROVIDER_CONFIG_UNREADABLE: {
    exitCode: 1,
    summary: 'the kubelet credential provider config named by credentials.credentialProviderConfig cannot be read',
  },
  PG_CREDENTIAL_PROVIDER_CONFIG_INVALID: {
    exitCode: 1,
    summary: 'the kubelet credential provider config is not a valid CredentialProviderConfig; every problem is listed',
  },
  PG_RUNTIME_FILES_UNREADABLE: {
    exitCode: 1,
    summary: 'a file or directory named under runtime: cannot be read',
  },
  PG_RUNTIME_FILES_INVALID: {
    exitCode: 1,
    summary: 'a hosts.toml or registries.conf named under runtime: is not valid; every problem is listed',
  },

  PG_KUBE_CONFIG_MISSING: {
    exitCode: 1,
    summary: 'Kubernetes API access is required but no kubeconfig or in-cluster config was found',
  },
  PG_KUBE_CONFIG_INVALID: { exitCode: 1, summary: 'a kubeconfig exists but cannot be used' },
  PG_KUBE_UNREADABLE: {
    exitCode: 1,
    summary: 'pullguard scan: no workload resource could be listed (the API is down, or every list is forbidden)',
  },
  PG_INTERRUPTED: { exitCode: 1, summary: 'pullguard scan: stopped (Ctrl-C) before every check finished' },

  PG_CERT_FILE_MISSING: { exitCode: 1, summary: 'tls.certFile or tls.keyFile does not exist' },
  PG_CERT_FILE_UNREADABLE: { exitCode: 1, summary: 'tls.certFile or tls.keyFile cannot be read' },
  PG_CERT_INVALID: { exitCode: 1, summary: 'the certificate file does not hold a PEM certificate' },
  PG_CERT_KEY_INVALID: { exitCode: 1, summary: 'the key file does not hold a PEM private key' },
  PG_CERT_KEY_MISMATCH: { exitCode: 1, summary: 'the key does not belong to the certificate' },
  PG_CERT_EXPIRED: { exitCode: 1, summary: 'the serving certificate has expired' },
  PG_CERT_APPLY_FAILED: { exitCode: 1, summary: 'a reloaded certificate could not be applied to the server' },

  PG_CERTS_INVALID_NAME: { exitCode: 2, summary: 'pullguard certs: --service or --namespace is not a Kubernetes name' },
  PG_CERTS_INVALID_SAN: { exitCode: 2, summary: 'pullguard certs: a --san is neither a DNS name nor an IP address' },
  PG_CERTS_INVALID_DAYS: { exitCode: 2, summary: 'pullguard certs: --days is out of range' },
  PG_CERTS_WRITE_FAILED: { exitCode: 1, summary: 'certificates cannot be written to the output folder' },
  PG_CERTS_API_FAILED: {
    exitCode: 1,
    summary: 'pullguard certs --secret: a Kubernetes API request failed (forbidden, unreachable, or kept conflicting)',
  },
  PG_CERTS_WEBHOOK_NOT_FOUND: {
    exitCode: 1,
    summary: 'pullguard certs --patch-webhook: the ValidatingWebhookConfiguration did not appear within 60 s',
  },

  PG_LISTEN_FAILED: { exitCode: 1, summary: 'pullguard serve cannot listen on its webhook or health port' },

  PG_MANIFEST_NOT_FOUND: { exitCode: 2, summary: 'pullguard check: a -f file or directory does not exist' },
  PG_MANIFEST_UNREADABLE: { exitCode: 2, summary: 'pullguard check: a -f file cannot be read' },
  PG_MANIFEST_TOO_LARGE: { exitCode: 2, summary: 'pullguard check: a manifest file is larger than 64 MiB' },
  PG_MANIFEST_PARSE: { exitCode: 2, summary: 'pullguard check: a manifest is not valid YAML or JSON' },
  PG_MANIFEST_NOT_TEXT: {
    exitCode: 2,
    summary: 'pullguard check: a manifest is binary or not in UTF-8, or UTF-16/UTF-32 with a byte-order mark',
  },
  PG_MANIFEST_TEMPLATE: { exitCode: 2, summary: 'pullguard check: a manifest is an unrendered (Helm) template' },
  PG_MANIFEST_NO_FILES: { exitCode: 2, summary: 'pullguard check: a -f directory holds no .yaml, .yml or .json file' },

  PG_NAMESPACE_MODE_UNREADABLE: {
    exitCode: 1,
    summary: 'a namespace pullguard.io/mode label could not be read (a review fails open)',
  },

  PG_REGISTRY_DNS: { exitCode: 1, summary: 'registry: name resolution failed' },
  PG_REGISTRY_REFUSED: { exitCode: 1, summary: 'registry: connection refused, host or network unreachable' },
  PG_REGISTRY_RESET: { exitCode: 1, summary: 'registry: connection reset or closed mid-exchange' },
  PG_REGISTRY_TLS: { exitCode: 1, summary: 'registry: TLS handshake or certificate failure' },
  PG_REGISTRY_PROTOCOL: { exitCode: 1, summary: 'registry: the answer is not the HTTP pullguard expects' },
  PG_REGISTRY_TOO_LARGE: { exitCode: 1, summary: 'registry: a response body over the read cap' },
  PG_REGISTRY_REDIRECTS: {
    exitCode: 1,
    summary: 'registry: too many redirects, or a redirect without a usable Location',
  },
  PG_REGISTRY_TIMEOUT: { exitCode: 1, summary: 'registry: a single request ran over network.requestTimeout' },
  PG_REGISTRY_DEADLINE: { exitCode: 1, summary: 'registry: the review budget (network.budget) ran out' },
  PG_REGISTRY_BLOCKED: { exitCode: 1, summary: 'registry: the SSRF guard refused the address' },
  PG_REGISTRY_INSECURE: {
    exitCode: 1,
    summary: 'registry: credentials would have gone over plain HTTP or to a forbidden token realm',
  },
} as const satisfies Record<string, { readonly exitCode: 1 | 2; readonly summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Exit code of a usage error (the command line is wrong). */
export const EXIT_USAGE = 2;
/** Exit code of every other failure. */
export const EXIT_FAILURE = 1;

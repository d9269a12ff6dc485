import { stringify } from 'yaml';

/**
 * Where the registry finds its files, and how it authenticates (Distribution's configuration reference:
 * https://github.com/distribution/distribution/blob/main/docs/content/about/configuration.md).
 */
export interface RegistryConfigInput {
  readonly port: number;
  readonly storageDir: string;
  readonly httpSecret: string;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly auth?:
    | { readonly kind: 'htpasswd'; readonly htpasswdFile: string }
    | {
        readonly kind: 'token';
        readonly realm: string;
        readonly service: string;
        readonly issuer: string;
        readonly rootCertBundle: string;
      };
}

/**
 * Renders a Distribution 2.8 config.yml. Pure.
 * The JSON formatter makes each "response completed" line carry http.request.method/uri and
 * http.response.status on stderr, which is what the access-log parser reads.
 */
export function registryConfigYaml(input: RegistryConfigInput): string {
  const http: Record<string, unknown> = {
    addr: `127.0.0.1:${input.port}`,
    secret: input.httpSecret,
    headers: { 'X-Content-Type-Options': ['nosniff'] },
  };
  if (input.tls !== undefined) http['tls'] = { certificate: input.tls.certFile, key: input.tls.keyFile };
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'info', formatter: 'json', accesslog: { disabled: false } },
    storage: { filesystem: { rootdirectory: input.storageDir }, delete: { enabled: true } },
    http,
  };
  if (input.auth?.kind === 'htpasswd') {
    config['auth'] = { htpasswd: { realm: 'pullguard-test-realm', path: input.auth.htpasswdFile } };
  } else if (input.auth?.kind === 'token') {
    config['auth'] = {
      token: {
        realm: input.auth.realm,
        service: input.auth.service,
        issuer: input.auth.issuer,
        rootcertbundle: input.auth.rootCertBundle,
      },
    };
  }
  return stringify(config);
}

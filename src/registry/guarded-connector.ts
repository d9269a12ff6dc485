/**
 * An undici connector that asks the SSRF guard first and then connects to the very address the guard checked.
 * The TLS server name (SNI and certificate check) and the Host header stay the registry's name.
 */
import { buildConnector } from 'undici';
import type { SsrfGuard } from './ssrf-guard.js';

export interface GuardedConnectorOptions {
  readonly guard: SsrfGuard;
  /** Extra trusted CA (PEM), added to Node's default roots. */
  readonly ca?: string | readonly string[];
  readonly rejectUnauthorized: boolean;
  readonly connectTimeoutMs: number;
}

export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const base = buildConnector({
    ...(options.ca !== undefined ? { ca: options.ca as string | string[] } : {}),
    rejectUnauthorized: options.rejectUnauthorized,
    timeout: options.connectTimeoutMs,
  });
  return (connectOptions, callback) => {
    const { hostname, host } = connectOptions;
    const name = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    options.guard.check(host ?? hostname, hostname).then(
      (checked) => {
        // For TLS, undici derives the server name from `host` when `servername` is unset; keep it the name.
        base({ ...connectOptions, hostname: checked.address, servername: connectOptions.servername ?? serverName(name) }, callback);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error('connect refused'), null),
    );
  };
}

/** SNI must be a DNS name, never an IP literal (RFC 6066 §3). */
function serverName(name: string): string | undefined {
  return /^[\d.]+$/.test(name) || name.includes(':') ? undefined : name;
}

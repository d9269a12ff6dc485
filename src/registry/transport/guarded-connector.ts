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
    const servername = connectOptions.servername ?? serverName(name);
    options.guard.checkAll(host ?? hostname, hostname).then(
      (addresses) => connectInTurn(addresses, 0),
      (error: unknown) => callback(error instanceof Error ? error : new Error('connect refused'), null),
    );
    // Every address was checked; try them in resolver order, as a dual-stack name whose first address is
    // unreachable (no IPv6 route, say) must still work. For TLS, undici derives the server name from `host` when
    // `servername` is unset; keep it the registry's name.
    const connectInTurn = (addresses: readonly { address: string }[], index: number): void => {
      base(
        { ...connectOptions, hostname: (addresses[index] as { address: string }).address, servername },
        (error, socket) => {
          if (error && index + 1 < addresses.length && isUnreachable(error)) connectInTurn(addresses, index + 1);
          else if (error) callback(error, null);
          else callback(null, socket as NonNullable<typeof socket>);
        },
      );
    };
  };
}

/** Connection failures that another address of the same name may not have. */
function isUnreachable(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return [
    'ECONNREFUSED',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EADDRNOTAVAIL',
    'UND_ERR_CONNECT_TIMEOUT',
    'ETIMEDOUT',
  ].includes(code);
}

/** SNI must be a DNS name, never an IP literal (RFC 6066 §3). */
function serverName(name: string): string | undefined {
  return /^[\d.]+$/.test(name) || name.includes(':') ? undefined : name;
}

/**
 * pino options shared by the server and the CLI: JSON to stdout, static messages, and redaction of every place a
 * credential could travel (SPEC §3.5, R4).
 */
import type { LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'auth',
  '*.auth',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'identitytoken',
  '*.identitytoken',
  'credentials',
  '*.credentials',
  'data',
  '*.data',
] as const;

export function loggerOptions(level = 'info'): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { service: 'pullguard' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  };
}

/**
 * pino options shared by the server and the CLI: JSON to stdout, static messages, and redaction of every place a
 * credential could travel (docs/design.md §5.4, R4).
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

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
    timestamp: isoTimestamp,
  };
}

let stampedAt = 0;
let stamp = '';
/** pino's `time` field as ISO 8601, formatted once per millisecond: under load, many lines share one. */
function isoTimestamp(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return stamp;
}

/** The logger for everything, and a narrow one for the one-line-per-review summary. */
export interface Loggers {
  /** Redacts every credential-shaped field: for anything that may carry foreign data (errors, requests). */
  readonly logger: Logger;
  /**
   * For the review summary only, whose fields are an allowlist (uid, kind, names, decision, and findings made of
   * paths, references and classes): nothing to redact, and wildcard redaction costs more than the rest of the line.
   */
  readonly reviews: Logger;
  /** Writes out what is buffered; call before exiting. */
  flush(): void;
}

/**
 * JSON lines to stdout through one asynchronous destination: a review never waits for a write(2), and lines that
 * pile up while a write is in flight go out together.
 */
export function createLoggers(level = 'info', destination?: DestinationStream): Loggers {
  const stream = destination ?? pino.destination({ dest: 1, sync: false });
  const { redact: _redact, ...plain } = loggerOptions(level);
  return {
    logger: pino(loggerOptions(level), stream),
    reviews: pino(plain, stream),
    flush: () => {
      const flushable = stream as { flushSync?: () => void };
      try {
        flushable.flushSync?.();
      } catch {
        // Not yet open, or stdout closed: nothing more can be written anyway.
      }
    },
  };
}

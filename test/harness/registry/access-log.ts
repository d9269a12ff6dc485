import type { AccessLogEntry } from './types.js';

/**
 * Query marker of the harness's own requests (readiness probe, log flushes) so they can be filtered out.
 * Anything with `?pullguard-harness-…` in the URI is not reported.
 */
export const HARNESS_MARKER = 'pullguard-harness-';
/** Marker prefix of log flush requests. */
export const FLUSH_MARKER = `${HARNESS_MARKER}flush`;

const MANIFEST_PATH = /^\/v2\/.+\/manifests\/[^/?#]+(?:[?#].*)?$/;

/**
 * Apache "combined" line as written by Distribution's access log (gorilla CombinedLoggingHandler, on stdout):
 * `127.0.0.1 - - [25/Nov/2026:15:21:36 +0000] "HEAD /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"`.
 * Why this log and not the JSON "response completed" records on stderr: requests rejected by the auth layer
 * (401) never reach the handler that writes those records, but they do pass the access logger.
 */
const COMBINED_LINE = /^\S+ \S+ \S+ \[([^\]]*)\] "([A-Z]+) (\S+) HTTP\/[0-9.]+" (\d{3}) /;

/** The log's time, `25/Nov/2026:15:21:36 +0000`. */
const LOG_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses one access log line; undefined for anything else. Pure. */
export function parseAccessLogLine(line: string): AccessLogEntry | undefined {
  const match = COMBINED_LINE.exec(line);
  if (match === null) return undefined;
  const [, time, method, uri, status] = match;
  const atSeconds = logTimeSeconds(time ?? '');
  if (method === undefined || uri === undefined || status === undefined || atSeconds === undefined) return undefined;
  return { method, uri, status: Number(status), atSeconds };
}

/** Seconds since the epoch of an access log time; undefined when it is not one. Pure. */
function logTimeSeconds(text: string): number | undefined {
  const match = LOG_TIME.exec(text);
  if (match === null) return undefined;
  const [, day, month, year, hour, minute, second, sign, offsetHours, offsetMinutes] = match.map(String);
  const monthIndex = MONTHS.indexOf(month ?? '');
  if (monthIndex < 0) return undefined;
  const utc = Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second)) / 1000;
  const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60;
  return sign === '+' ? utc - offset : utc + offset;
}

/** Parses the registry's access log, dropping the harness's own requests. Pure. */
export function parseAccessLog(text: string): AccessLogEntry[] {
  const entries: AccessLogEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = parseAccessLogLine(line.trim());
    if (entry !== undefined && !entry.uri.includes(HARNESS_MARKER)) entries.push(entry);
  }
  return entries;
}

/** True for HEAD/GET-able manifest URIs: /v2/<repo>/manifests/<tag-or-digest>. Pure. */
export function isManifestUri(uri: string): boolean {
  return MANIFEST_PATH.test(uri);
}

/** Counts manifest requests (HEAD and GET unless `method` narrows it). Pure. */
export function countManifestRequests(entries: readonly AccessLogEntry[], method?: 'HEAD' | 'GET'): number {
  return entries.filter(
    (e) =>
      isManifestUri(e.uri) && (method === undefined ? e.method === 'HEAD' || e.method === 'GET' : e.method === method),
  ).length;
}

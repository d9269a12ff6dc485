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
const COMBINED_LINE = /^\S+ \S+ \S+ \[[^\]]*\] "([A-Z]+) (\S+) HTTP\/[0-9.]+" (\d{3}) /;

/** Parses one access log line; undefined for anything else. Pure. */
export function parseAccessLogLine(line: string): AccessLogEntry | undefined {
  const match = COMBINED_LINE.exec(line);
  if (match === null) return undefined;
  const [, method, uri, status] = match;
  if (method === undefined || uri === undefined || status === undefined) return undefined;
  return { method, uri, status: Number(status) };
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

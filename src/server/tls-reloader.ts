/**
 * Keeps the webhook's serving certificate current without a restart (docs/design.md §5.1, R6).
 *
 * Kubernetes updates a mounted Secret by writing a new timestamped directory and atomically renaming a `..data`
 * symlink over the old one; `tls.crt` and `tls.key` are symlinks through `..data`. Watching the files' inodes misses
 * that swap, so this watches the DIRECTORY that holds them, and also re-reads both files every `pollMs` (some
 * volume types deliver no events; controller-runtime's certwatcher does the same). A change is read, validated and
 * only then handed to `onReload` (which calls `server.setSecureContext`); an invalid or half-written pair keeps the
 * old one, is reported once through `onError`, and is looked at again on the next event or tick.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { TlsReloadError, readTlsFiles, validateTlsPair, type TlsMaterial } from '../certs/tls-pair.js';

export { TlsReloadError, type TlsMaterial } from '../certs/tls-pair.js';

/** Options of `createTlsReloader`. */
export interface TlsReloaderOptions {
  readonly certFile: string;
  readonly keyFile: string;
  /** Called with each new valid pair, the first one included. If it throws, the pair is retried next tick. */
  readonly onReload: (material: TlsMaterial) => void;
  /** Called once per distinct failure (a missing file, a mismatched pair, ...). */
  readonly onError: (err: TlsReloadError) => void;
  /** Re-read interval, ms (default 2000). */
  readonly pollMs?: number;
  /** Quiet time after a burst of directory events before reading, ms (default 100). */
  readonly debounceMs?: number;
  /** Use `fs.watch` on the directories (default true); polling always runs. */
  readonly watch?: boolean;
  readonly now?: () => Date;
}

/** A running (or not yet started) reloader. */
export interface TlsReloader {
  /** The pair being served, if any was ever valid. */
  current(): TlsMaterial | undefined;
  /** Loads the pair once (resolves after `onReload` or `onError`), then watches and polls. */
  start(): Promise<void>;
  /** Closes watchers and timers; no callback runs afterwards. */
  stop(): void;
  /** True once a valid pair is loaded, while that pair has not expired (readiness). */
  healthy(): boolean;
  /** Reads the files now, as an event would; resolves when done. */
  check(): Promise<void>;
}

/** Creates a reloader for `certFile` + `keyFile`; nothing happens until `start()`. */
export function createTlsReloader(options: TlsReloaderOptions): TlsReloader {
  const pollMs = options.pollMs ?? 2000;
  const debounceMs = options.debounceMs ?? 100;
  const now = options.now ?? (() => new Date());
  const directories = [...new Set([dirname(options.certFile), dirname(options.keyFile)])];
  const watchers = new Map<string, FSWatcher>();
  let material: TlsMaterial | undefined;
  // Fingerprint of the last content (or failure) looked at: the same bytes are never validated or reported twice.
  let lastSeen: string | undefined;
  let started = false;
  let stopped = false;
  let poller: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const report = (err: TlsReloadError) => {
    if (stopped) return;
    try {
      options.onError(err);
    } catch {
      // A failing error handler must not stop the reloader.
    }
  };

  const checkOnce = async () => {
    let files;
    try {
      files = await readTlsFiles(options.certFile, options.keyFile);
    } catch (err) {
      const failure =
        err instanceof TlsReloadError
          ? err
          : new TlsReloadError('PG_CERT_FILE_UNREADABLE', 'Cannot read TLS files', { cause: err });
      const key = `unreadable:${errorCode(failure.cause)}`;
      if (key !== lastSeen) report(failure);
      lastSeen = key;
      return;
    }
    if (files.fingerprint === lastSeen) return;
    lastSeen = files.fingerprint;
    let next: TlsMaterial;
    try {
      next = validateTlsPair(files, now());
    } catch (err) {
      report(
        err instanceof TlsReloadError ? err : new TlsReloadError('PG_CERT_INVALID', 'Invalid TLS pair', { cause: err }),
      );
      return;
    }
    if (stopped) return;
    try {
      options.onReload(next);
    } catch (err) {
      lastSeen = undefined; // retry on the next tick
      report(new TlsReloadError('PG_CERT_APPLY_FAILED', 'Cannot apply the new TLS pair', { cause: err }));
      return;
    }
    material = next;
  };

  // One check at a time; events during a check schedule exactly one more.
  const check = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await checkOnce();
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      void check();
    }, debounceMs);
    debounce.unref();
  };

  const ensureWatchers = () => {
    if (options.watch === false || stopped) return;
    for (const dir of directories) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, schedule);
        // The directory may vanish (unmount); polling goes on and the next tick watches it again.
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // Missing directory: polling covers it until it appears.
      }
    }
  };

  return {
    current: () => material,
    healthy: () => material !== undefined && material.notAfter.getTime() > now().getTime(),
    check,
    async start() {
      if (started) return;
      started = true;
      ensureWatchers();
      poller = setInterval(() => {
        ensureWatchers();
        void check();
      }, pollMs);
      poller.unref();
      await check();
    },
    stop() {
      stopped = true;
      if (poller) clearInterval(poller);
      if (debounce) clearTimeout(debounce);
      poller = debounce = undefined;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unknown';
}

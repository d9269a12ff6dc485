/**
 * `pullguard serve`: the webhook on HTTPS (8443) and health/metrics on HTTP (8080), with certificate hot reload and
 * graceful shutdown (docs/design.md §5, R6, R8).
 */
import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { dirname, join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { cacheMemoryWarning } from '../config/cache-memory.js';
import type { Config } from '../config/load-config.js';
import { createLoggers } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { buildHealthApp, type HealthApp } from '../server/health-app.js';
import { TlsReloadError, createTlsReloader } from '../server/tls-reloader.js';
import { servingTlsOptions } from '../server/tls-options.js';
import { buildWebhookApp } from '../server/webhook-app.js';
import { composeEngine, type Engine } from './compose-engine.js';
import { startAudit, type RunningAudit, type StartAuditOptions } from './start-audit.js';
import { PullguardError } from '../errors/pullguard-error.js';
import { UsageError } from '../errors/usage-error.js';

export interface ServeOptions {
  readonly config: Config;
  /** Development defaults (`npm start`): generate certificates into the certificate folder when there are none. */
  readonly dev: boolean;
  readonly logLevel?: string;
  /** How long to keep serving after SIGTERM with readiness failing, so endpoints drop this pod first. */
  readonly drainDelayMs?: number;
  /** KUBECONFIG, KUBERNETES_SERVICE_HOST, … for the Kubernetes adapter. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** The audit's Lease timings in seconds (tests shorten them); client-go's defaults otherwise. */
  readonly auditLease?: StartAuditOptions['lease'];
}

export interface RunningServer {
  readonly webhook: FastifyInstance;
  readonly health: HealthApp;
  readonly logger: Logger;
  /** The continuous audit (docs/audit.md); off unless configured and permitted. */
  readonly audit: Promise<RunningAudit>;
  /** Fail readiness, finish in-flight reviews, close everything. Idempotent. */
  shutdown(): Promise<void>;
}

export async function runServe(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  const loggers = loggersAt(options.logLevel);
  const { logger } = loggers;
  if (options.dev) {
    // Development certificates are written as <dir>/tls.crt and <dir>/tls.key; other names would never be served.
    const out = dirname(config.tls.certFile);
    if (
      resolve(config.tls.certFile) !== resolve(out, 'tls.crt') ||
      resolve(config.tls.keyFile) !== resolve(out, 'tls.key')
    ) {
      throw new UsageError(
        `--dev writes tls.crt and tls.key into one folder: set tls.certFile and tls.keyFile to ${join(out, 'tls.crt')} and ${join(out, 'tls.key')}`,
      );
    }
    const { ensureCertificates } = await import('../certs/ensure-certificates.js'); // node-forge: dev mode only
    const certs = await ensureCertificates({ out });
    if (certs.generated) logger.info({ dir: out }, 'generated development certificates');
  }
  const cacheTooBig = cacheMemoryWarning(config.cache.maxEntries, getHeapStatistics().heap_size_limit);
  if (cacheTooBig) logger.warn(cacheTooBig, 'result cache may not fit the heap');
  const metrics = createMetrics();
  let shuttingDown = false;
  let listening = false;
  // The first load's failure is the start-up error (one line, exit 1); later ones are logged and retried.
  let starting = true;
  let startFailure: TlsReloadError | undefined;
  const reloader = createTlsReloader({
    certFile: config.tls.certFile,
    keyFile: config.tls.keyFile,
    onReload: (pair) => {
      metrics.certExpiry.set(Math.floor(pair.notAfter.getTime() / 1000));
      if (listening) {
        // The full options each time: setSecureContext builds the context from its argument alone.
        (webhook.server as unknown as TlsServer).setSecureContext(servingTlsOptions(pair));
        logger.info({ notAfter: pair.notAfter.toISOString() }, 'serving certificate reloaded');
      }
    },
    onError: (error) => {
      if (starting) startFailure = error;
      else logger.warn({ code: error.code, reason: error.message }, 'certificate reload failed');
    },
  });
  await reloader.start();
  starting = false;
  const initial = reloader.current();
  if (!initial) {
    reloader.stop();
    throw startupCertificateError(startFailure, config.tls.certFile, config.tls.keyFile);
  }
  let engine: Engine;
  try {
    engine = await composeEngine({
      config,
      metrics,
      env: options.env,
      homeDir: options.homeDir,
      watchNodes: true,
      watchNamespaces: true,
      log: logger,
    });
  } catch (error) {
    reloader.stop();
    throw error;
  }
  logger.info({ kubernetes: engine.kubeSource ?? 'not used' }, 'engine ready');
  const webhook = buildWebhookApp({
    config,
    reviewer: engine.reviewer,
    metrics,
    logger,
    reviewLogger: loggers.reviews,
    tls: { key: initial.key, cert: initial.cert },
  });
  const health = buildHealthApp({
    metrics,
    readiness: {
      notReadyReason: () =>
        shuttingDown
          ? 'shutting down'
          : !listening
            ? 'not listening yet'
            : !reloader.healthy()
              ? 'no valid certificate loaded'
              : undefined,
    },
  });
  try {
    await health.listen({ host: config.listen.host, port: config.listen.healthPort });
    await webhook.listen({ host: config.listen.host, port: config.listen.port });
  } catch (error) {
    reloader.stop();
    await Promise.allSettled([webhook.close(), health.close(), engine.close()]);
    throw listenError(error, config.listen.host);
  }
  listening = true;
  // A rotation between the first load and listen() reached current() but not the server: apply it now.
  const latest = reloader.current();
  if (latest && latest !== initial)
    (webhook.server as unknown as TlsServer).setSecureContext(servingTlsOptions(latest));
  logger.info({ port: config.listen.port, healthPort: config.listen.healthPort }, 'pullguard serving');
  // In the background: the webhook serves whatever the audit's discovery and RBAC checks find.
  const audit = startAudit({
    config,
    kube: engine.kubeAccess,
    metrics,
    log: logger,
    env: options.env,
    ...(options.auditLease ? { lease: options.auditLease } : {}),
    composeAuditEngine: () =>
      composeEngine({
        config,
        metrics,
        audit: true,
        ...(engine.kubeAccess ? { kubeAccess: engine.kubeAccess } : {}),
        nodes: engine.nodes,
        env: options.env,
        homeDir: options.homeDir,
        log: logger,
      }),
  }).catch((error: unknown): RunningAudit => {
    logger.warn({ error: (error as Error)?.message }, 'audit off: it could not start');
    return { leading: () => false, stop: () => Promise.resolve() };
  });

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ drainDelayMs: options.drainDelayMs ?? 0 }, 'shutting down');
      if (options.drainDelayMs) await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
      await webhook.close(); // stops accepting, waits for in-flight reviews
      await (await audit).stop(); // releases the Lease, so another replica takes over at once
      reloader.stop();
      await engine.close();
      await health.close();
      logger.info('shut down');
      loggers.flush();
    })();
    return closing;
  };
  return { webhook, health, logger, audit, shutdown };
}

/**
 * The serving pair could not be loaded at start-up: the reloader's reason (naming the file when one is missing or
 * unreadable) plus the fix, as one line. Exit code 1.
 */
function startupCertificateError(
  failure: TlsReloadError | undefined,
  certFile: string,
  keyFile: string,
): TlsReloadError {
  const generate = `create the pair with: pullguard certs --out ${dirname(certFile)} (or run serve --dev for development certificates), or point tls.certFile and tls.keyFile at an existing pair`;
  if (!failure)
    return new TlsReloadError('PG_CERT_INVALID', `no valid certificate at ${certFile} / ${keyFile}; ${generate}`);
  switch (failure.code) {
    case 'PG_CERT_FILE_MISSING':
      return new TlsReloadError(failure.code, `${failure.message}; ${generate}`, { cause: failure });
    case 'PG_CERT_FILE_UNREADABLE':
      return new TlsReloadError(failure.code, `${failure.message}; make it readable by the user pullguard runs as`, {
        cause: failure,
      });
    default:
      return new TlsReloadError(
        failure.code,
        `${failure.message} (${certFile}, ${keyFile}); replace the pair: ${generate}`,
        { cause: failure },
      );
  }
}

/** `EADDRINUSE`, `EACCES`…: which address and port, and the keys to change. */
function listenError(error: unknown, host: string): PullguardError {
  const { code, port } = error as { code?: unknown; port?: unknown };
  const where = typeof port === 'number' ? `${host}:${port}` : host;
  const reason = typeof code === 'string' ? code : (error as Error).message;
  return new PullguardError(
    'PG_LISTEN_FAILED',
    `cannot listen on ${where} (${reason}); free the port or change listen.port / listen.healthPort`,
    { cause: error },
  );
}

/** The loggers at `LOG_LEVEL`; a level pino does not know is a usage error, not a stack trace. */
function loggersAt(level: string | undefined): ReturnType<typeof createLoggers> {
  try {
    return createLoggers(level);
  } catch (error) {
    throw new UsageError(
      `LOG_LEVEL "${level}" is not a log level: use fatal, error, warn, info, debug, trace or silent`,
      { cause: error },
    );
  }
}

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
import { buildHealthApp } from '../server/health-app.js';
import { createTlsReloader } from '../server/tls-reloader.js';
import { servingTlsOptions } from '../server/tls-options.js';
import { buildWebhookApp } from '../server/webhook-app.js';
import { composeEngine } from './compose-engine.js';
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
}

export interface RunningServer {
  readonly webhook: FastifyInstance;
  readonly health: FastifyInstance;
  readonly logger: Logger;
  /** Fail readiness, finish in-flight reviews, close everything. Idempotent. */
  shutdown(): Promise<void>;
}

export async function runServe(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  const loggers = createLoggers(options.logLevel);
  const { logger } = loggers;
  if (options.dev) {
    // Development certificates are written as <dir>/tls.crt and <dir>/tls.key; other names would never be served.
    const out = dirname(config.tls.certFile);
    if (resolve(config.tls.certFile) !== resolve(out, 'tls.crt') || resolve(config.tls.keyFile) !== resolve(out, 'tls.key')) {
      throw new UsageError(`--dev writes tls.crt and tls.key into one folder: set tls.certFile and tls.keyFile to ${join(out, 'tls.crt')} and ${join(out, 'tls.key')}`);
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
    onError: (error) => logger.warn({ code: error.code, reason: error.message }, 'certificate reload failed'),
  });
  await reloader.start();
  const initial = reloader.current();
  if (!initial) throw new Error(`no valid certificate at ${config.tls.certFile} / ${config.tls.keyFile}; run: pullguard certs --out <dir>`);
  const engine = await composeEngine({ config, metrics, env: options.env, homeDir: options.homeDir, watchNodes: true, watchNamespaces: true, log: logger });
  logger.info({ kubernetes: engine.kubeSource ?? 'not used' }, 'engine ready');
  const webhook = buildWebhookApp({ config, reviewer: engine.reviewer, metrics, logger, reviewLogger: loggers.reviews, tls: { key: initial.key, cert: initial.cert } });
  const health = buildHealthApp({
    metrics,
    readiness: {
      notReadyReason: () =>
        shuttingDown ? 'shutting down' : !listening ? 'not listening yet' : !reloader.healthy() ? 'no valid certificate loaded' : undefined,
    },
  });
  await health.listen({ host: config.listen.host, port: config.listen.healthPort });
  await webhook.listen({ host: config.listen.host, port: config.listen.port });
  listening = true;
  // A rotation between the first load and listen() reached current() but not the server: apply it now.
  const latest = reloader.current();
  if (latest && latest !== initial) (webhook.server as unknown as TlsServer).setSecureContext(servingTlsOptions(latest));
  logger.info({ port: config.listen.port, healthPort: config.listen.healthPort }, 'pullguard serving');

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ drainDelayMs: options.drainDelayMs ?? 0 }, 'shutting down');
      if (options.drainDelayMs) await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
      await webhook.close(); // stops accepting, waits for in-flight reviews
      reloader.stop();
      await engine.close();
      await health.close();
      logger.info('shut down');
      loggers.flush();
    })();
    return closing;
  };
  return { webhook, health, logger, shutdown };
}

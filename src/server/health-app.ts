/**
 * The plain-HTTP side on 8080: liveness, readiness and metrics (docs/design.md §5.2). Readiness reflects pullguard
 * itself (certificate loaded, listening, not shutting down) and never a registry, so a registry outage cannot take the
 * webhook out of its Service.
 */
import fastify, { type FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';

export interface Readiness {
  /** Undefined when ready, else why not (static text). */
  notReadyReason(): string | undefined;
}

export function buildHealthApp(options: { readonly metrics: Metrics; readonly readiness: Readiness }): FastifyInstance {
  const app = fastify({ logger: false, return503OnClosing: true });
  // Answering at all proves the event loop turns; that is what liveness means for a single-threaded server.
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const reason = options.readiness.notReadyReason();
    if (reason) return reply.code(503).send({ status: 'not ready', reason });
    return { status: 'ready' };
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });
  return app as unknown as FastifyInstance;
}

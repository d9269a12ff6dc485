/**
 * The HTTPS side: `POST /validate` takes an AdmissionReview v1 and always answers it. A well-formed review gets
 * HTTP 200 with a valid AdmissionReview; a malformed body gets a 400 JSON error that says what is wrong; nothing
 * gets a 500 (SPEC §3.3). `buildWebhookApp` returns an unstarted instance, so tests can `inject()` without a socket.
 */
import fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { buildResponse } from '../admission/build-response.js';
import { decodeReview } from '../admission/decode-review.js';
import type { AdmissionRequest } from '../admission/review-schema.js';
import type { Config } from '../config/load-config.js';
import type { Metrics } from '../observability/metrics.js';
import { reviewBudgetMs } from '../review/budget.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { answerFor, logFindings } from '../review/render-outcome.js';
import type { Reviewer, ReviewOutcome } from '../review/review-object.js';
import { metadataOf } from '../review/skip-rules.js';
import { findWorkloadKind } from '../workload/pod-spec-paths.js';

/** controller-runtime's limit for an AdmissionReview; fastify's 1 MiB default is too small for big workloads. */
export const BODY_LIMIT_BYTES = 7 * 1024 * 1024;

export interface WebhookAppOptions {
  readonly config: Config;
  readonly reviewer: Reviewer;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The one-line-per-review summary (no redaction: its fields are an allowlist); defaults to `logger`. */
  readonly reviewLogger?: Logger;
  /** Serving key and certificate (PEM); omit for plain HTTP (tests with inject()). */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export function buildWebhookApp(options: WebhookAppOptions): FastifyInstance {
  const log = options.logger;
  const reviewLog = options.reviewLogger ?? options.logger;
  // No fastify logger: its per-request child loggers cost more than a review on the warm path, and the route logs
  // the one `review` line itself (SPEC §3.5).
  const app = fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: false,
    // The API server reuses connections; a server idle timeout shorter than its reuse window causes EOF errors.
    keepAliveTimeout: 75_000,
    requestTimeout: 30_000,
    ...(options.tls ? { https: { key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2' as const } } : {}),
  }) as unknown as FastifyInstance;

  // Accept any content type as JSON: the API server always sends JSON, and a wrong header should still get a
  // precise 400 rather than a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      // JSON.parse quotes the input in some messages; keep only the position so no body content is echoed.
      const position = /at position (\d+)/.exec((error as Error).message)?.[1];
      const where = position ? ` (at byte ${position})` : '';
      done(Object.assign(new Error(`body is not valid JSON${where}`), { statusCode: 400, code: 'INVALID_JSON' }), undefined);
    }
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (!error.statusCode || error.statusCode >= 500) log.warn({ code: error.code, reason: error.message }, 'request failed before review');
    const code = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'BODY_TOO_LARGE' : error.code === 'INVALID_JSON' ? 'INVALID_JSON' : 'BAD_REQUEST';
    const message = code === 'BODY_TOO_LARGE' ? `body exceeds ${BODY_LIMIT_BYTES} bytes` : error.message;
    // fastify closes the connection after an oversized body. Closing while the client still sends makes the kernel
    // reset the connection, and the reset throws away the 400 the client had not read yet; so read the rest first.
    if (code === 'BODY_TOO_LARGE') await discardRest(request.raw);
    // Every malformed request is a 400 with a JSON error (SPEC §3.3, R3), an oversized body included.
    return sendError(reply, 400, code, message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; POST /validate`));

  app.post('/validate', async (request, reply) => {
    const started = performance.now();
    const decoded = decodeReview(request.body);
    if (!decoded.ok) {
      log.info({ uid: decoded.error.uid, error: decoded.error.message }, 'rejected malformed review');
      return sendError(reply, 400, decoded.error.code, decoded.error.message);
    }
    const admission = decoded.request;
    const budgetMs = reviewBudgetMs(options.config.network.budgetMs, (request.query as Record<string, unknown> | undefined)?.['timeout']);
    // A deadline that ends with the review (see linked-deadline.ts for why not AbortSignal.timeout).
    const deadline = linkedDeadline(undefined, budgetMs, 'review budget exhausted');
    let outcome: ReviewOutcome;
    try {
      outcome = await options.reviewer.review({
        kind: admission.kind,
        operation: admission.operation,
        ...(admission.subResource ? { subResource: admission.subResource } : {}),
        ...(admission.namespace ? { namespace: admission.namespace } : {}),
        ...(admission.name ? { name: admission.name } : {}),
        object: admission.object ?? undefined,
        oldObject: admission.oldObject ?? undefined,
        signal: deadline.signal,
      });
    } catch (error) {
      // A bug must not block deploys: admit, say so, and log it. The uid is echoed, so the API server accepts it.
      log.error({ err: error, uid: admission.uid }, 'review failed unexpectedly');
      return reply.send(buildResponse(admission.uid, { allowed: true, warnings: ['pullguard hit an internal error; images were not verified'] }));
    } finally {
      deadline.release();
    }
    if (outcome.status === 'invalid') {
      log.info({ uid: admission.uid, error: outcome.problem }, 'rejected malformed object');
      return sendError(reply, 400, 'INVALID_OBJECT', `invalid ${admission.kind.kind} in AdmissionReview: ${outcome.problem}`);
    }
    const answer = answerFor(outcome);
    const decision = outcome.status === 'reviewed' ? outcome.decision.decision : 'allow';
    const durationMs = performance.now() - started;
    logReview(reviewLog, admission, outcome, decision, durationMs);
    options.metrics.admissionRequests.inc({ kind: metricKind(admission.kind), operation: admission.operation, decision, dry_run: String(admission.dryRun === true) });
    options.metrics.admissionDuration.observe(durationMs / 1000);
    return reply.send(buildResponse(admission.uid, answer));
  });
  return app;
}

/** At most this much of an oversized body is read and thrown away before answering (a lingering close). */
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;
const DISCARD_LIMIT_MS = 5_000;

/** Reads and drops the rest of a request body, up to the limits above; a client sending more gets the reset. */
function discardRest(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let received = 0;
    const finish = (): void => {
      clearTimeout(timer);
      body.off('data', count).off('end', finish).off('error', finish).off('close', finish);
      resolve();
    };
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > DISCARD_LIMIT_BYTES) finish();
    };
    const timer = setTimeout(finish, DISCARD_LIMIT_MS);
    body.on('data', count).once('end', finish).once('error', finish).once('close', finish);
    body.resume();
  });
}

/** A bounded label value: the kinds pullguard checks by name, anything else `other` (the request is untrusted). */
function metricKind(kind: { group: string; kind: string }): string {
  return findWorkloadKind(kind.group, kind.kind)?.kind ?? 'other';
}

function sendError(reply: FastifyReply, statusCode: number, code: string, message: string): FastifyReply {
  return reply.code(statusCode).type('application/json').send({ error: { code, message } });
}

function logReview(log: { info(obj: object, msg: string): void }, admission: AdmissionRequest, outcome: ReviewOutcome, decision: string, durationMs: number): void {
  const metadata = metadataOf(admission.object);
  const generateName = typeof metadata?.['generateName'] === 'string' ? bounded(metadata['generateName']) : undefined;
  const name = bounded(admission.name || (typeof metadata?.['name'] === 'string' ? metadata['name'] : undefined));
  log.info(
    {
      uid: admission.uid,
      kind: admission.kind.kind,
      namespace: bounded(admission.namespace),
      ...(name ? { name } : generateName ? { generateName } : {}),
      operation: admission.operation,
      dryRun: admission.dryRun === true,
      decision,
      durationMs: Math.round(durationMs * 100) / 100,
      ...(outcome.status === 'skipped' ? { skipped: outcome.reason } : {}),
      findings: logFindings(outcome),
    },
    'review',
  );
}

/** Kubernetes names are at most 253 characters; a longer one is junk and must not bloat a log line. */
function bounded(text: string | undefined): string | undefined {
  return text !== undefined && text.length > 253 ? `${text.slice(0, 253)}…` : text;
}

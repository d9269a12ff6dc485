/**
 * The HTTPS side: `POST /validate` takes an AdmissionReview v1 and always answers it. A well-formed review gets
 * HTTP 200 with a valid AdmissionReview; anything else gets a 4xx with `{"error": {"code", "message"}}` that says
 * what is wrong (error-replies.ts), from fastify's handlers and from Node's HTTP parser alike; nothing gets a 500.
 * `buildWebhookApp` returns an unstarted instance, so tests can `inject()` without a socket.
 */
import fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { Readable } from 'node:stream';
import { getHeapStatistics } from 'node:v8';
import type { Logger } from 'pino';
import { buildResponse } from '../admission/build-response.js';
import { decodeReview } from '../admission/decode-review.js';
import { MAX_REVIEW_BYTES } from '../admission/review-limits.js';
import type { AdmissionRequest } from '../admission/review-schema.js';
import type { Config } from '../config/load-config.js';
import { clip, errorSummary, LOG_LIMITS } from '../observability/bounded-text.js';
import type { Metrics } from '../observability/metrics.js';
import { reviewBudgetMs } from '../review/budget.js';
import { answerFor } from '../review/render-outcome.js';
import type { Reviewer, ReviewInput, ReviewOutcome } from '../review/review-object.js';
import { linkedDeadline } from '../runtime/linked-deadline.js';
import { workloadCatalog } from '../workload/workload-catalog.js';
import { bodyBudgetBytes, installBodyBudget } from './body-budget.js';
import { answerExpectationsAndConnect, clientErrorHandler } from './client-errors.js';
import { sendError, type ErrorCode } from './error-replies.js';
import { createMemoryBudget, type MemoryBudget } from './memory-budget.js';
import { countReview, logReview } from './review-log.js';
import { servingTlsOptions } from './tls-options.js';

export interface WebhookAppOptions {
  readonly config: Config;
  readonly reviewer: Reviewer;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The one-line-per-review summary (no redaction: its fields are an allowlist); defaults to `logger`. */
  readonly reviewLogger?: Logger;
  /** Serving key and certificate (PEM); omit for plain HTTP (tests with inject()). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Memory for request bodies in flight; defaults to a share of the V8 heap (body-budget.ts). */
  readonly memoryBudget?: MemoryBudget;
  /** Node's HTTP timeouts, ms: whole request (default 30 s) and headers (default 10 s). */
  readonly timeouts?: { readonly requestMs?: number; readonly headersMs?: number };
}

/** The smallest budget a review is given after waiting for room to read its body. */
const MIN_REVIEW_MS = 200;

export function buildWebhookApp(options: WebhookAppOptions): FastifyInstance {
  const log = options.logger;
  const reviewLog = options.reviewLogger ?? options.logger;
  // For the metrics' kind label: the kinds the reviewer checks (its own catalog is built from the same config).
  const workloads = workloadCatalog(options.config.workloads);
  const requestMs = options.timeouts?.requestMs ?? 30_000;
  const headersMs = Math.min(options.timeouts?.headersMs ?? 10_000, requestMs);
  const serverOptions = {
    // Requests without Host are answered below in the error shape, not with Node's bare 400.
    requireHostHeader: false,
    headersTimeout: headersMs,
    // How often Node looks for requests past their timeouts (its default, 30 s, would double them).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersMs / 4))),
  };
  // No fastify logger: its per-request child loggers cost more than a review on the warm path, and the route logs
  // the one `review` line itself.
  const app = fastify({
    bodyLimit: MAX_REVIEW_BYTES,
    return503OnClosing: false,
    // The API server reuses connections; a server idle timeout shorter than its reuse window causes EOF errors.
    keepAliveTimeout: 75_000,
    requestTimeout: requestMs,
    frameworkErrors: (_error, _request, reply) => void sendError(reply, 'BAD_REQUEST', 'the request URL is not valid'),
    clientErrorHandler: clientErrorHandler(log),
    ...(options.tls ? { https: { ...servingTlsOptions(options.tls), ...serverOptions } } : { http: serverOptions }),
  }) as unknown as FastifyInstance;
  answerExpectationsAndConnect(app.server as Server);

  const bodies = installBodyBudget(app, {
    budget: options.memoryBudget ?? createMemoryBudget(bodyBudgetBytes(getHeapStatistics().heap_size_limit)),
    // Half the review's budget at most, so the review still has the other half.
    maxWaitMs: (request) => reviewBudgetMs(options.config.network.budgetMs, queryTimeout(request.query)) / 2,
  });
  // One hook before any body is read (each fastify hook costs on the warm path).
  app.addHook('preParsing', (request, reply, payload, done) => {
    // RFC 9112 §3.2: an HTTP/1.1 request without Host gets a 400.
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      sendError(reply, 'BAD_REQUEST', 'an HTTP/1.1 request needs a Host header');
      return;
    }
    // Unknown routes are answered before their bodies are read: nothing is buffered for a 404.
    if (request.is404) {
      sendError(reply, 'NOT_FOUND', notFoundMessage(request.method, request.url));
      return;
    }
    bodies.lease(request, reply, () => done(null, payload));
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    bodies.settle(request); // an oversized chunked body may take a while to discard: not with the budget held
    const known = knownCode(error);
    if (!known && (!error.statusCode || error.statusCode >= 500))
      log.warn({ error: errorSummary(error) }, 'request failed before review');
    // fastify closes the connection after an oversized body. Closing while the client still sends makes the kernel
    // reset the connection, and the reset throws away the 400 the client had not read yet; so read the rest first.
    if (known === 'BODY_TOO_LARGE') {
      await discardRest(request.raw);
      return sendError(reply, 'BODY_TOO_LARGE', `body exceeds ${MAX_REVIEW_BYTES} bytes`);
    }
    if (known) return sendError(reply, known, error.message);
    // Other client errors carry fastify's own static messages; anything else is ours and says nothing of internals.
    const clientError = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
    return sendError(reply, 'BAD_REQUEST', clientError ? error.message : 'the request could not be processed');
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'NOT_FOUND', notFoundMessage(request.method, request.url)),
  );

  app.post('/validate', async (request, reply) => {
    const started = performance.now();
    const decoded = decodeReview(request.body);
    if (!decoded.ok) {
      log.info(
        { uid: decoded.error.uid, error: clip(decoded.error.message, LOG_LIMITS.message) },
        'rejected malformed review',
      );
      return sendError(reply, decoded.error.code, decoded.error.message);
    }
    const admission = decoded.request;
    const budgetMs =
      reviewBudgetMs(options.config.network.budgetMs, queryTimeout(request.query)) - bodies.waitedMs(request);
    // A deadline that ends with the review (see linked-deadline.ts for why not AbortSignal.timeout).
    const deadline = linkedDeadline(undefined, Math.max(MIN_REVIEW_MS, budgetMs), 'review budget exhausted');
    let outcome: ReviewOutcome;
    try {
      outcome = await options.reviewer.review(reviewInput(admission, deadline.signal));
    } catch (error) {
      // A bug must not block deploys: admit, say so, and log it (bounded, no credentials: bounded-text.ts). The uid
      // is echoed, so the API server accepts the answer.
      log.error({ error: errorSummary(error), uid: admission.uid }, 'review failed unexpectedly');
      const failedMs = performance.now() - started;
      logReview(reviewLog, options.config.logging.reviews, admission, undefined, 'warn', failedMs);
      countReview(options.metrics, workloads, admission, 'warn', failedMs);
      return reply.send(
        buildResponse(admission.uid, {
          allowed: true,
          warnings: ['pullguard hit an internal error; images were not verified'],
        }),
      );
    } finally {
      deadline.release();
    }
    if (outcome.status === 'invalid') {
      const problem = clip(outcome.problem, LOG_LIMITS.message);
      log.info({ uid: admission.uid, error: problem }, 'rejected malformed object');
      return sendError(
        reply,
        'INVALID_OBJECT',
        `invalid ${clip(admission.kind.kind, LOG_LIMITS.label)} in AdmissionReview: ${problem}`,
      );
    }
    const answer = answerFor(outcome);
    const verdict = outcome.status === 'reviewed' ? outcome.decision.verdict : 'allow';
    const durationMs = performance.now() - started;
    logReview(reviewLog, options.config.logging.reviews, admission, outcome, verdict, durationMs);
    countReview(options.metrics, workloads, admission, verdict, durationMs);
    return reply.send(buildResponse(admission.uid, answer));
  });
  return app;
}

/** What the reviewer reads of a request (fields set one by one: this runs on every review). */
function reviewInput(admission: AdmissionRequest, signal: AbortSignal): ReviewInput {
  const input: { -readonly [K in keyof ReviewInput]: ReviewInput[K] } = {
    kind: admission.kind,
    operation: admission.operation,
    object: admission.object ?? undefined,
    oldObject: admission.oldObject ?? undefined,
    signal,
  };
  if (admission.subResource) input.subResource = admission.subResource;
  if (admission.namespace) input.namespace = admission.namespace;
  if (admission.name) input.name = admission.name;
  return input;
}

/** The codes our own errors (the body parser's) carry, and fastify's oversized body. */
function knownCode(error: FastifyError): ErrorCode | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'BODY_TOO_LARGE';
  return error.code === 'INVALID_JSON' || error.code === 'TOO_DEEP' || error.code === 'TOO_COMPLEX'
    ? error.code
    : undefined;
}

function queryTimeout(query: unknown): unknown {
  return (query as Record<string, unknown> | undefined)?.['timeout'];
}

function notFoundMessage(method: string, url: string): string {
  return `no route ${clip(method, LOG_LIMITS.label)} ${clip(url.split('?')[0] ?? '', LOG_LIMITS.name)}; POST /validate`;
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

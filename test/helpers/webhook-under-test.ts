/**
 * The real webhook app (`buildWebhookApp`) and review engine (`createReviewer`), wired for `inject()`: a fake
 * resolver that records what it is asked, and pino writing JSON lines into an array instead of stdout.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildConfig, DEFAULT_CONFIG, type Config } from '../../src/config/load-config.js';
import { canonicalReference } from '../../src/image/reference.js';
import { loggerOptions } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import type { Resolution } from '../../src/resolution/resolution.js';
import type { ImageResolver } from '../../src/resolution/image-resolver.js';
import type { NamespaceModePort } from '../../src/review/ports.js';
import { createReviewer } from '../../src/review/review-object.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';

export interface WebhookUnderTest {
  readonly app: FastifyInstance;
  readonly metrics: Metrics;
  /** Every JSON log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Canonical references the resolver was asked about, in order (empty when offline). */
  readonly resolved: string[];
}

export interface WebhookUnderTestOptions {
  /** Raw config (as in the YAML file); defaults when absent. */
  readonly config?: unknown;
  /** Answer per canonical reference; absent means offline (no resolver at all). */
  readonly resolve?: (reference: string) => Resolution;
  readonly namespaceMode?: NamespaceModePort;
  /** The pino level of the captured logs; `info` when absent. */
  readonly logLevel?: string;
}

export function webhookUnderTest(options: WebhookUnderTestOptions = {}): WebhookUnderTest {
  const config = configFrom(options.config);
  const logs: Record<string, unknown>[] = [];
  const resolved: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino(loggerOptions(options.logLevel ?? 'info'), sink);
  const answer = options.resolve;
  const resolver: ImageResolver | undefined = answer
    ? {
        resolve: async ({ reference }) => {
          const canonical = canonicalReference(reference);
          resolved.push(canonical);
          return answer(canonical);
        },
      }
    : undefined;
  const reviewer = createReviewer({
    config,
    ...(resolver ? { resolver } : {}),
    ...(options.namespaceMode ? { namespaceMode: options.namespaceMode } : {}),
  });
  const metrics = createMetrics({ processMetrics: false });
  const app = buildWebhookApp({ config, reviewer, metrics, logger });
  return { app, metrics, logs, resolved };
}

function configFrom(raw: unknown): Config {
  if (raw === undefined) return DEFAULT_CONFIG;
  const result = buildConfig(raw);
  if (!result.ok) throw new Error(`test config is invalid: ${result.problems.join('; ')}`);
  return result.config;
}

/**
 * The webhook assembled in-process exactly as `pullguard serve` assembles it (composeEngine + buildWebhookApp, real
 * registry client and adapters; test/helpers/webhook-under-test.ts is the variant with a fake resolver), with
 * its logs captured, so integration tests go through `POST /validate` and can grep every log line for secrets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { composeEngine } from '../../src/cli/compose-engine.js';
import { buildConfig, type Config } from '../../src/config/load-config.js';
import { loggerOptions } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { LookupFunction } from '../../src/resolver/image-resolver.js';
import { buildWebhookApp } from '../../src/server/webhook-app.js';

export interface ReviewAnswer {
  readonly statusCode: number;
  readonly body: any;
  readonly raw: string;
  readonly elapsedMs: number;
}

export interface WebhookUnderTest {
  readonly config: Config;
  review(body: object, options?: { timeout?: string }): Promise<ReviewAnswer>;
  logs(): string;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export async function startWebhookUnderTest(options: {
  config: object;
  kubeconfigPath?: string;
  watchNodes?: boolean;
  watchNamespaces?: boolean;
  lookup?: LookupFunction;
}): Promise<WebhookUnderTest> {
  const built = buildConfig(options.config);
  if (!built.ok) throw new Error(`test config invalid: ${built.problems.join('; ')}`);
  const config = built.config;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino(loggerOptions('debug'), sink);
  const metrics = createMetrics({ processMetrics: false });
  const home = await mkdtemp(join(tmpdir(), 'pullguard-home-'));
  const engine = await composeEngine({
    config,
    metrics,
    env: {},
    homeDir: home,
    kubernetes: options.kubeconfigPath ? true : false,
    watchNodes: options.watchNodes ?? false,
    watchNamespaces: options.watchNamespaces ?? false,
    ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const app = buildWebhookApp({ config, reviewer: engine.reviewer, metrics, logger });
  await app.ready();
  return {
    config,
    async review(body, reviewOptions = {}) {
      const started = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: `/validate?timeout=${reviewOptions.timeout ?? '10s'}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      return {
        statusCode: response.statusCode,
        body: response.json(),
        raw: response.body,
        elapsedMs: performance.now() - started,
      };
    },
    logs: () => lines.join(''),
    metrics: () => metrics.registry.metrics(),
    async close() {
      await app.close();
      await engine.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

let uidCounter = 0;

/** An AdmissionReview v1 for `object`, as the API server would send it. */
export function admissionReview(
  object: Record<string, any>,
  options: { operation?: string; namespace?: string; oldObject?: object; dryRun?: boolean } = {},
): object {
  const [group, version] = String(object['apiVersion']).includes('/')
    ? String(object['apiVersion']).split('/')
    : ['', String(object['apiVersion'])];
  const namespace = options.namespace ?? object['metadata']?.namespace ?? 'default';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${++uidCounter}-${Math.random().toString(16).slice(2)}`,
      kind: { group, version, kind: object['kind'] },
      resource: { group, version, resource: `${String(object['kind']).toLowerCase()}s` },
      name: object['metadata']?.name,
      namespace,
      operation: options.operation ?? 'CREATE',
      userInfo: { username: 'dev@example.com' },
      object: { ...object, metadata: { ...object['metadata'], namespace } },
      oldObject: options.oldObject ?? null,
      dryRun: options.dryRun ?? false,
    },
  };
}

/** A Deployment whose containers use `images`, with optional pod-spec extras (imagePullSecrets, serviceAccountName…). */
export function deployment(
  name: string,
  images: readonly string[],
  podSpec: object = {},
  namespace = 'shop',
): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { ...podSpec, containers: images.map((image, i) => ({ name: `c${i}`, image })) },
      },
    },
  };
}

/** A Pod whose containers use `images`. */
export function pod(
  name: string,
  images: readonly string[],
  podSpec: object = {},
  namespace = 'shop',
): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { ...podSpec, containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  };
}

/**
 * HTTP to registries and their token realms: one keep-alive undici Agent per configured registry (its CA,
 * `insecureSkipVerify` and concurrency limit) with at most 16 GETs of them in flight (body-slots.ts), every
 * connection through the SSRF guard, every request under `network.requestTimeout` and the caller's deadline, bodies
 * capped, redirects followed by hand (at most 3, each hop guarded, `Authorization` dropped when the origin changes)
 * and the duration observed per registry. With a request rate (`network.requestsPerSecondPerRegistry`, or a
 * stricter one the caller asks for), every request to a host first waits for that host's token (rate-gate.ts),
 * under the caller's deadline only: `network.requestTimeout` starts once the request is sent.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { Config, RegistryConfig } from '../../config/load-config.js';
import type { Metrics } from '../../observability/metrics.js';
import { linkedDeadline } from '../../runtime/linked-deadline.js';
import { MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, declaredLength, discardBody, readCapped } from './body-reader.js';
import { createBodySlots, type BodySlots } from './body-slots.js';
import { createGuardedConnector } from './guarded-connector.js';
import { createRateGate, type RateGate } from './rate-gate.js';
import { RegistryError, translateError } from './registry-error.js';
import { createRegistryLookup, registryLabel } from '../../config/registry-settings.js';
import type { SsrfGuard } from './ssrf-guard.js';
import { rateOfPerSecond, rateProblem, stricterRate, type RequestRate } from './token-bucket.js';

const MAX_REDIRECTS = 3;

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface TransportRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  /** The caller's deadline. */
  readonly signal: AbortSignal;
  /** The registry whose TLS settings apply: the image's registry, also when talking to its token realm. */
  readonly registry: RegistryConfig | undefined;
  /** Read the body of a 2xx answer (over 4 MiB is a `too-large` error). Error bodies of GETs are read up to 64 KiB. */
  readonly readBody?: boolean;
  /** With `readBody`: a smaller cap than 4 MiB for this body (over it is a `too-large` error). */
  readonly maxBodyBytes?: number;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** 2xx with `readBody`: the body. Non-2xx GET: the first 64 KiB. Otherwise undefined. */
  readonly body?: Buffer;
  /** Where the answer came from, after redirects. */
  readonly url: URL;
}

export interface RegistryTransport {
  request(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

export interface TransportDeps {
  readonly config: Config;
  readonly guard: SsrfGuard;
  readonly metrics?: Metrics;
  /**
   * A request rate per registry host for this transport's callers (a scan, an audit); where the config sets one
   * too, the stricter applies. Without either, requests are not rate limited.
   */
  readonly requestRate?: RequestRate;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function createRegistryTransport(deps: TransportDeps): RegistryTransport {
  const { config, guard, metrics } = deps;
  const timeoutMs = config.network.requestTimeoutMs;
  const registryFor = createRegistryLookup(config);
  const gate = rateGateFor(deps);
  const agents = new Map<RegistryConfig | undefined, Agent>();
  const getSlots = new Map<RegistryConfig | undefined, BodySlots>();
  const slotsFor = (registry: RegistryConfig | undefined): BodySlots => {
    let slots = getSlots.get(registry);
    if (!slots) getSlots.set(registry, (slots = createBodySlots()));
    return slots;
  };

  const agentFor = (registry: RegistryConfig | undefined): Agent => {
    let agent = agents.get(registry);
    if (!agent) {
      agent = new Agent({
        connections: registry?.concurrency ?? config.network.concurrencyPerRegistry,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        maxHeaderSize: 32 * 1024,
        connect: createGuardedConnector({
          guard,
          ...(registry?.caFile !== undefined ? { ca: [...rootCertificates, readCa(registry)] } : {}),
          rejectUnauthorized: !(registry?.insecureSkipVerify ?? false),
          connectTimeoutMs: timeoutMs,
        }),
      });
      agents.set(registry, agent);
    }
    return agent;
  };

  const hop = async (request: TransportRequest, url: URL, headers: Record<string, string>) => {
    const label = registryLabel(registryFor(url.host));
    if (gate) {
      const waitStarted = performance.now();
      try {
        await waitForToken(gate, url.host, request.signal);
      } finally {
        metrics?.registryRateWait.observe({ registry: label }, (performance.now() - waitStarted) / 1000);
      }
    }
    const deadline = linkedDeadline(request.signal, timeoutMs, 'registry request timed out');
    const { signal } = deadline;
    const started = performance.now();
    let giveBack: (() => void) | undefined;
    try {
      if (request.method === 'GET') giveBack = await slotsFor(request.registry).acquire(signal);
      const response = await agentFor(request.registry).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers,
        signal,
        // undici closes the connection after every HEAD by default (a guard against servers that send a body
        // anyway), which made each manifest check a new TCP (and TLS) connection. Registries answer HEAD
        // correctly; keep the connection alive.
        reset: false,
      });
      const status = response.statusCode;
      let body: Buffer | undefined;
      if (status >= 200 && status < 300 && request.readBody && request.method === 'GET') {
        const cap = Math.min(request.maxBodyBytes ?? MAX_BODY_BYTES, MAX_BODY_BYTES);
        const read = await readCapped(response.body, cap, declaredLength(response.headers['content-length']));
        if (read.truncated)
          throw new RegistryError('too-large', { host: url.host, detail: `response body over ${formatBytes(cap)}` });
        body = read.bytes;
      } else if (status >= 400 && request.method === 'GET') {
        body = (await readCapped(response.body, MAX_ERROR_BODY_BYTES)).bytes;
      } else {
        await discardBody(response.body);
      }
      return { status, headers: response.headers, body };
    } catch (error) {
      throw translateError(error, { host: url.host, deadline: request.signal, requestTimedOut: deadline.timedOut() });
    } finally {
      giveBack?.();
      deadline.release();
      metrics?.registryRequestDuration.observe({ registry: label }, (performance.now() - started) / 1000);
    }
  };

  return {
    async request(request) {
      let url = request.url;
      let headers: Record<string, string> = { ...request.headers };
      for (let redirects = 0; ; redirects++) {
        const answer = await hop(request, url, headers);
        const location = answer.headers.location;
        if (!REDIRECT_STATUSES.has(answer.status) || typeof location !== 'string') {
          return { status: answer.status, headers: answer.headers, ...(answer.body ? { body: answer.body } : {}), url };
        }
        if (redirects >= MAX_REDIRECTS) {
          throw new RegistryError('redirects', { host: url.host, detail: `more than ${MAX_REDIRECTS} redirects` });
        }
        const next = nextUrl(url, location);
        // Credentials never follow a redirect to another origin (distribution-spec; docs/design.md §7.2 R4).
        if (next.origin !== url.origin) headers = withoutAuthorization(headers);
        url = next;
      }
    },
    async close() {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}

function rateGateFor(deps: TransportDeps): RateGate | undefined {
  const configured = deps.config.network.requestsPerSecondPerRegistry;
  const rate = stricterRate(configured === undefined ? undefined : rateOfPerSecond(configured), deps.requestRate);
  if (rate === undefined) return undefined;
  const problem = rateProblem(rate);
  // The config's rate passed its schema; only a caller's own constant can be wrong, and that is a bug.
  if (problem !== undefined) throw new RangeError(`invalid request rate: ${problem}`);
  return createRateGate(rate);
}

async function waitForToken(gate: RateGate, host: string, signal: AbortSignal): Promise<void> {
  try {
    await gate.acquire(host, signal);
  } catch (error) {
    // Only the caller's signal ends a wait: the deadline, which the review reports as a timeout.
    throw translateError(error, { host, deadline: signal, requestTimedOut: false });
  }
}

function nextUrl(current: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch (error) {
    throw new RegistryError('redirects', { host: current.host, detail: 'redirect to an invalid URL', cause: error });
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new RegistryError('redirects', { host: current.host, detail: 'redirect to a non-HTTP URL' });
  }
  return next;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

function readCa(registry: RegistryConfig): string {
  try {
    return readFileSync(registry.caFile as string, 'utf8');
  } catch (error) {
    throw new RegistryError('tls', {
      host: registry.host,
      detail: `cannot read caFile ${registry.caFile}`,
      cause: error,
    });
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

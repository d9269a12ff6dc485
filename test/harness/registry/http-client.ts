import { Agent, request } from 'undici';

/** A buffered HTTP answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Minimal HTTP client for the harness's own calls (readiness probe, pushes); trusts `caPem` when given. */
export interface HarnessHttp {
  send(
    url: string,
    options?: {
      method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      headers?: Record<string, string>;
      body?: Buffer | string;
      timeoutMs?: number;
    },
  ): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** Creates a client with its own connection pool (closed by `close()`). */
export function harnessHttp(caPem?: string): HarnessHttp {
  const agent = new Agent({
    connect: caPem === undefined ? {} : { ca: caPem },
    keepAliveTimeout: 1_000,
  });
  return {
    async send(url, options = {}) {
      const timeoutMs = options.timeoutMs ?? 10_000;
      const response = await request(url, {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        body: options.body ?? null,
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body };
    },
    // destroy, not close: a probe still waiting on a dead or hanging port must not delay shutdown.
    close: () => agent.destroy(),
  };
}

/** First value of a response header (undici lower-cases names). */
export function headerValue(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

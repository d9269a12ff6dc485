/**
 * `pullguard certs --secret NAME --patch-webhook NAME` (docs/design.md §4.3): sets `clientConfig.caBundle` of every
 * webhook of the ValidatingWebhookConfiguration to the Secret's CA. One JSON patch
 * (https://www.rfc-editor.org/rfc/rfc6902) whose first operation tests `metadata.resourceVersion`, so a
 * configuration changed since it was read is never patched by index: the API server answers 422 (a failed `test`)
 * or 409, and it is read again, at most {@link MAX_PATCHES} times. Nothing is sent when every webhook already
 * carries the bundle. A configuration that does not exist yet (`kubectl apply` of a rendered chart creates it in no
 * particular order) is waited for, with a backoff, up to `waitMs`. RBAC: `get` and `patch` on
 * validatingwebhookconfigurations (admissionregistration.k8s.io), by name.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PullguardError } from '../errors/pullguard-error.js';
import { apiFailure, isInvalid, isObject, resourceVersionOf, type CertsApiRequest } from './certs-api.js';

export interface WebhookCaBundleOptions {
  readonly name: string;
  /** base64 of the CA's PEM, as `clientConfig.caBundle` holds it. */
  readonly caBundle: string;
  /** How long to wait for the configuration to exist (default 60 s). */
  readonly waitMs?: number;
  /** Told once, when the configuration is not there yet. */
  readonly say: (line: string) => void;
  /** For tests; default Node's timers. */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

export interface WebhookCaBundleResult {
  readonly action: 'patched' | 'unchanged';
  readonly webhooks: number;
}

const DEFAULT_WEBHOOK_WAIT_MS = 60_000;
const MAX_PATCHES = 5;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

export async function ensureWebhookCaBundle(
  request: CertsApiRequest,
  options: WebhookCaBundleOptions,
): Promise<WebhookCaBundleResult> {
  const path = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${encodeURIComponent(options.name)}`;
  const object = {
    label: `ValidatingWebhookConfiguration ${options.name}`,
    rbac: `validatingwebhookconfigurations in API group "admissionregistration.k8s.io" (resourceNames: ["${options.name}"])`,
  };
  const waitMs = options.waitMs ?? DEFAULT_WEBHOOK_WAIT_MS;
  const pause = options.sleep ?? sleep;
  let waited = 0;
  let delay = FIRST_DELAY_MS;
  let patches = 0;
  for (;;) {
    const read = await request('GET', path);
    if (read.status === 'error') throw apiFailure('get', object, read);
    if (read.status !== 'ok') {
      if (read.status === 'conflict') throw apiFailure('get', object, { kind: 'invalid', detail: 'HTTP 409' });
      if (waited >= waitMs)
        throw new PullguardError(
          'PG_CERTS_WEBHOOK_NOT_FOUND',
          `${object.label} does not exist (waited ${Math.round(waitMs / 1000)} s); install the webhook configuration, then run the command again`,
        );
      if (waited === 0)
        options.say(`${object.label} does not exist yet: waiting for it up to ${Math.round(waitMs / 1000)} s`);
      const step = Math.min(delay, waitMs - waited);
      await pause(step);
      waited += step;
      delay = Math.min(delay * 2, MAX_DELAY_MS);
      continue;
    }
    const webhooks = Array.isArray(read.value['webhooks']) ? (read.value['webhooks'] as unknown[]) : [];
    const bundles = webhooks.map((webhook) => {
      const config = isObject(webhook) ? webhook['clientConfig'] : undefined;
      return isObject(config) ? config['caBundle'] : undefined;
    });
    if (bundles.every((bundle) => bundle === options.caBundle))
      return { action: 'unchanged', webhooks: webhooks.length };
    const version = resourceVersionOf(read.value);
    if (version === undefined)
      throw apiFailure('patch', object, { kind: 'invalid', detail: 'it has no metadata.resourceVersion' });
    const operations = [
      { op: 'test', path: '/metadata/resourceVersion', value: version },
      ...webhooks.map((_, i) => ({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: options.caBundle })),
    ];
    const patched = await request('PATCH', path, operations, 'application/json-patch+json');
    if (patched.status === 'ok') return { action: 'patched', webhooks: webhooks.length };
    if (patched.status === 'error' && !isInvalid(patched)) throw apiFailure('patch', object, patched);
    // 409 or 422 (the resourceVersion tested is stale), or 404 (deleted meanwhile): read again.
    if (++patches >= MAX_PATCHES)
      throw new PullguardError(
        'PG_CERTS_API_FAILED',
        `cannot patch ${object.label}: it changed under every one of ${MAX_PATCHES} attempts; run the command again`,
      );
  }
}

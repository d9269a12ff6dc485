/**
 * `pullguard certs --secret NAME` (docs/design.md §4.3): makes sure the `kubernetes.io/tls` Secret holds a usable CA
 * and serving certificate. A usable one is kept untouched (stored-certificates.ts says what usable means); otherwise
 * new ones are generated and the Secret created, or replaced under the resourceVersion read. A 409 means another run
 * (the chart's other hook Job) wrote first: read again and keep what it wrote when usable, at most
 * {@link MAX_ATTEMPTS} rounds. RBAC: `get`, `create`, `update` on secrets in the namespace.
 */
import {
  apiFailure,
  isInvalid,
  isObject,
  resourceVersionOf,
  type ApiObject,
  type CertsApiRequest,
} from './certs-api.js';
import { assertValidDays, generateCertificates, type GeneratedCertificates } from './generate-certificates.js';
import { assessStoredCertificates, type StoredCertificates } from './stored-certificates.js';
import { subjectAltNames } from './subject-alt-names.js';
import { PullguardError } from '../errors/pullguard-error.js';

export interface CertificateSecretOptions {
  readonly namespace: string;
  readonly name: string;
  readonly service: string;
  readonly days: number;
  readonly extraSans: readonly string[];
  readonly now: Date;
}

/** What was done, and the CA and serving certificate the Secret now holds (never the key). */
export interface CertificateSecretResult {
  readonly action: 'kept' | 'created' | 'replaced';
  /** Why the stored certificates were replaced. */
  readonly reason?: string;
  readonly caPem: string;
  readonly notAfter: Date;
  readonly sans: readonly string[];
}

/** The labels the Secret carries: who owns it, so an admin can tell it from a hand-made one. */
const CERTIFICATE_SECRET_LABELS = {
  'app.kubernetes.io/name': 'pullguard',
  'app.kubernetes.io/component': 'webhook-certificate',
  'app.kubernetes.io/managed-by': 'pullguard-certs',
} as const;

/** Rounds of read-then-write before giving up on a Secret that keeps changing. */
const MAX_ATTEMPTS = 5;

export async function ensureCertificateSecret(
  request: CertsApiRequest,
  options: CertificateSecretOptions,
): Promise<CertificateSecretResult> {
  const { namespace, name } = options;
  const collection = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const item = `${collection}/${encodeURIComponent(name)}`;
  const object: ApiObject = { label: `Secret ${namespace}/${name}`, rbac: `secrets in the namespace "${namespace}"` };
  // Bad flags fail before any request, even when the stored certificates would be kept.
  const wanted = subjectAltNames(options.service, namespace, options.extraSans);
  assertValidDays(options.days);
  let generated: GeneratedCertificates | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await request('GET', item);
    if (read.status === 'error') throw apiFailure('get', object, read);
    if (read.status === 'conflict') throw apiFailure('get', object, { kind: 'invalid', detail: 'HTTP 409' });
    let reason: string | undefined;
    if (read.status === 'ok') {
      const assessed = assessStoredCertificates(storedOf(read.value), wanted, options.now);
      if (assessed.usable)
        return { action: 'kept', caPem: assessed.caPem, notAfter: assessed.notAfter, sans: assessed.sans };
      reason = assessed.reason;
    }
    generated ??= generateCertificates({
      service: options.service,
      namespace,
      days: options.days,
      extraSans: options.extraSans,
      now: options.now,
    });
    const version = read.status === 'ok' ? resourceVersionOf(read.value) : undefined;
    const body = secretBody(options, generated, version);
    const written = version === undefined ? await request('POST', collection, body) : await request('PUT', item, body);
    const verb = version === undefined ? 'create' : 'update';
    if (isInvalid(written) && verb === 'update')
      throw apiFailure(verb, object, {
        kind: 'invalid',
        detail:
          "HTTP 422 (is it of another type than kubernetes.io/tls? a Secret's type cannot change: delete it and run again)",
      });
    if (written.status === 'error') throw apiFailure(verb, object, written);
    if (written.status === 'ok') {
      const { caPem, notAfter, sans } = generated;
      return {
        action: version === undefined ? 'created' : 'replaced',
        ...(reason ? { reason } : {}),
        caPem,
        notAfter,
        sans,
      };
    }
    // 409: another run created or replaced it first; 404: it was deleted meanwhile. Either way: read again.
  }
  throw new PullguardError(
    'PG_CERTS_API_FAILED',
    `cannot write ${object.label}: it changed under every one of ${MAX_ATTEMPTS} attempts; run the command again`,
  );
}

function secretBody(options: CertificateSecretOptions, certs: GeneratedCertificates, resourceVersion?: string) {
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { ...CERTIFICATE_SECRET_LABELS },
      ...(resourceVersion !== undefined ? { resourceVersion } : {}),
    },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': base64(certs.certPem), 'tls.key': base64(certs.keyPem), 'ca.crt': base64(certs.caPem) },
  };
}

/** The three keys of a Secret's `data`, decoded; a key that is missing or not a string is absent. */
function storedOf(secret: Readonly<Record<string, unknown>>): StoredCertificates {
  const data = isObject(secret['data']) ? secret['data'] : {};
  const text = (key: string) => {
    const value = data[key];
    return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
  };
  const [caPem, certPem, keyPem] = [text('ca.crt'), text('tls.crt'), text('tls.key')];
  return {
    ...(caPem !== undefined ? { caPem } : {}),
    ...(certPem !== undefined ? { certPem } : {}),
    ...(keyPem !== undefined ? { keyPem } : {}),
  };
}

import t from 'tap';
import { decodeReview } from './decode-review.js';

const request = { uid: 'u-1', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', object: {} };
const review = (patch: Record<string, unknown>, requestPatch: Record<string, unknown> = {}) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { ...request, ...requestPatch },
  ...patch,
});
const without = (key: string) => Object.fromEntries(Object.entries(request).filter(([k]) => k !== key));

t.test('malformed bodies: a stable code and a message that says what is wrong', async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /^body must be a JSON object/],
    ['an array', [review({})], /^body must be a JSON object/],
    ['a string', 'AdmissionReview', /^body must be a JSON object/],
    ['a number', 42, /^body must be a JSON object/],
    [
      'v1beta1',
      review({ apiVersion: 'admission.k8s.io/v1beta1' }),
      /unsupported apiVersion "admission\.k8s\.io\/v1beta1"; only admission\.k8s\.io\/v1/,
    ],
    ['a numeric apiVersion', review({ apiVersion: 1 }), /apiVersion must be/],
    ['no apiVersion', { kind: 'AdmissionReview', request }, /required properties apiVersion/],
    ['another kind', review({ kind: 'AdmissionRequest' }), /kind must be "AdmissionReview"/],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, /required properties request/],
    ['request is null', review({ request: null }), /request must be object/],
    ['no uid', review({ request: without('uid') }), /required properties uid/],
    ['a numeric uid', review({}, { uid: 7 }), /request\.uid must be string/],
    ['an empty uid', review({}, { uid: '' }), /request\.uid must not have fewer than 1 characters/],
    ['a huge uid', review({}, { uid: 'u'.repeat(100_000) }), /request\.uid must not have more than 256 characters/],
    [
      'an operation that does not exist',
      review({}, { operation: 'PATCH' }),
      /request\.operation must be "CREATE" or "UPDATE" or "DELETE" or "CONNECT"/,
    ],
    ['a lowercase operation', review({}, { operation: 'create' }), /request\.operation must be/],
    ['kind as a string', review({}, { kind: 'Pod' }), /request\.kind must be object/],
    [
      'kind without its kind',
      review({}, { kind: { group: '', version: 'v1' } }),
      /request\.kind must have required properties kind/,
    ],
    ['dryRun as a string', review({}, { dryRun: 'true' }), /request\.dryRun must be boolean/],
    ['object as an array', review({}, { object: [] }), /request\.object must be object or null/],
    ['oldObject as a string', review({}, { oldObject: 'x' }), /request\.oldObject must be object or null/],
    ['no operation', review({ request: without('operation') }), /required properties operation/],
  ];
  for (const [name, body, message] of cases) {
    const result = decodeReview(body);
    t.equal(result.ok, false, `${name}: rejected`);
    if (!result.ok) {
      t.equal(result.error.code, 'INVALID_REVIEW', `${name}: code`);
      t.match(result.error.message, message, `${name}: ${result.error.message}`);
      t.ok(result.error.message.length < 1024, `${name}: bounded message`);
    }
  }
});

t.test('a rejected body keeps a usable uid for the logs, bounded', async (t) => {
  const bad = decodeReview(review({}, { operation: 'PATCH' }));
  t.equal(bad.ok === false && bad.error.uid, 'u-1');
  const huge = decodeReview(review({}, { uid: 'u'.repeat(100_000) }));
  t.ok(huge.ok === false && (huge.error.uid?.length ?? 0) <= 129);
});

t.test('a well-formed review decodes, extra fields let through', async (t) => {
  const result = decodeReview(
    review({}, { userInfo: { username: 'alice' }, options: { kind: 'CreateOptions' }, dryRun: true, oldObject: null }),
  );
  t.ok(result.ok);
  if (result.ok) {
    t.equal(result.request.uid, 'u-1');
    t.equal(result.request.dryRun, true);
  }
  for (const operation of ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])
    t.ok(decodeReview(review({}, { operation })).ok, operation);
});

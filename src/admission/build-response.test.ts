import t from 'tap';
import { buildResponse } from './build-response.js';

t.test('allowed: echoes uid and GVK, no status, no patch, empty lists left out', async (t) => {
  const review = buildResponse('u-1', { allowed: true, warnings: [], auditAnnotations: {} });
  t.same(review, {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'u-1', allowed: true },
  });
});

t.test('denied: 403 Forbidden with the message; warnings and audit annotations kept', async (t) => {
  const review = buildResponse('u-2', {
    allowed: false,
    message: 'nope',
    warnings: ['w'],
    auditAnnotations: { findings: '[]' },
  });
  t.same(review.response, {
    uid: 'u-2',
    allowed: false,
    status: { code: 403, reason: 'Forbidden', message: 'nope' },
    warnings: ['w'],
    auditAnnotations: { findings: '[]' },
  });
  t.notOk('patch' in review.response);
  t.notOk('patchType' in review.response);
});

t.test('a denial always has a message', async (t) => {
  t.match(buildResponse('u', { allowed: false }).response.status?.message, /\S/);
});

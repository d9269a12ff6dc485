import t from 'tap';
import { apiServerProblems } from './api-server-checks.js';

const ok = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', allowed: true } };
const answer = (body: unknown, statusCode = 200) => ({
  statusCode,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const withResponse = (patch: Record<string, unknown>) => ({ ...ok, response: { ...ok.response, ...patch } });

t.test('a valid answer has no problems', async (t) => {
  t.same(apiServerProblems(answer(ok), 'u'), []);
  t.same(
    apiServerProblems(
      answer(
        withResponse({ allowed: false, status: { code: 403, reason: 'Forbidden', message: 'no' }, warnings: ['w'] }),
      ),
      'u',
    ),
    [],
  );
});

t.test('each thing the API server rejects is reported', async (t) => {
  const cases: [string, ReturnType<typeof answer>, RegExp][] = [
    ['HTTP 500', answer(ok, 500), /HTTP status 500/],
    ['not JSON', answer('<html>'), /not JSON/],
    ['wrong apiVersion', answer({ ...ok, apiVersion: 'admission.k8s.io/v1beta1' }), /apiVersion/],
    ['no kind', answer({ apiVersion: ok.apiVersion, response: ok.response }), /kind/],
    ['no response', answer({ apiVersion: ok.apiVersion, kind: ok.kind }), /absent/],
    ['uid mismatch', answer(withResponse({ uid: 'other' })), /response\.uid/],
    ['allowed as a string', answer(withResponse({ allowed: 'true' })), /allowed/],
    ['a patch', answer(withResponse({ patch: 'W10=' })), /patch/],
    ['a patchType', answer(withResponse({ patchType: 'JSONPatch' })), /patchType/],
    ['a long warning', answer(withResponse({ warnings: ['x'.repeat(121)] })), /121 characters/],
    ['a newline in a warning', answer(withResponse({ warnings: ['a\nb'] })), /control character/],
    ['a Warning: prefix', answer(withResponse({ warnings: ['Warning: x'] })), /Warning:/],
    ['12 warnings', answer(withResponse({ warnings: Array(12).fill('w') })), /12 warnings/],
    [
      'a lone surrogate',
      { statusCode: 200, body: JSON.stringify(withResponse({ warnings: ['\ud800'] })).replace('\\ud800', '\ud800') },
      /UTF-8/,
    ],
    ['denial without status', answer(withResponse({ allowed: false })), /without response\.status/],
    [
      'denial with code 400',
      answer(withResponse({ allowed: false, status: { code: 400, reason: 'Forbidden', message: 'm' } })),
      /status\.code/,
    ],
    [
      'denial without reason',
      answer(withResponse({ allowed: false, status: { code: 403, message: 'm' } })),
      /status\.reason/,
    ],
    [
      'denial over 4 KiB',
      answer(withResponse({ allowed: false, status: { code: 403, reason: 'Forbidden', message: 'm'.repeat(5000) } })),
      /bytes/,
    ],
  ];
  for (const [name, input, expected] of cases) t.match(apiServerProblems(input, 'u').join('; '), expected, name);
});

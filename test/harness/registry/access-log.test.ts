import t from 'tap';
import {
  countManifestRequests,
  FLUSH_MARKER,
  isManifestUri,
  parseAccessLog,
  parseAccessLogLine,
} from './access-log.js';

const line = (method: string, uri: string, status: number): string =>
  `127.0.0.1 - - [25/Nov/2026:15:21:36 +0000] "${method} ${uri} HTTP/1.1" ${status} 92 "" "undici"`;

/** The time in `line`'s lines. */
const AT = Date.UTC(2026, 10, 25, 15, 21, 36) / 1000;

t.test('parseAccessLogLine reads method, uri and status of combined-format lines', async (t) => {
  const cases: [string, string, ReturnType<typeof parseAccessLogLine>][] = [
    [
      'HEAD 200',
      line('HEAD', '/v2/a/manifests/v1', 200),
      { method: 'HEAD', uri: '/v2/a/manifests/v1', status: 200, atSeconds: AT },
    ],
    [
      '401 with user field',
      '127.0.0.1 - alice [25/Nov/2026:15:26:33 +0000] "GET /v2/ HTTP/2.0" 401 87 "" "x"',
      { method: 'GET', uri: '/v2/', status: 401, atSeconds: Date.UTC(2026, 10, 25, 15, 26, 33) / 1000 },
    ],
    [
      'query kept',
      line('PUT', '/v2/a/blobs/uploads/u?_state=x&digest=sha256%3Aab', 201),
      { method: 'PUT', uri: '/v2/a/blobs/uploads/u?_state=x&digest=sha256%3Aab', status: 201, atSeconds: AT },
    ],
    ['json app log', '{"msg":"response completed","http.request.method":"GET"}', undefined],
    [
      'a time zone east of UTC',
      line('GET', '/v2/', 200).replace('+0000', '+0130'),
      { method: 'GET', uri: '/v2/', status: 200, atSeconds: AT - 5400 },
    ],
    ['no such month', line('GET', '/v2/', 200).replace('Nov', 'Nox'), undefined],
    ['truncated', '127.0.0.1 - - [25/Nov/2026:15:21:36 +0000] "HEAD /v2/', undefined],
    ['empty', '', undefined],
  ];
  for (const [name, input, expected] of cases) t.same(parseAccessLogLine(input), expected, name);
});

t.test('parseAccessLog drops the harness own requests and noise', async (t) => {
  const text = [
    line('GET', '/v2/?pullguard-harness-probe', 200),
    line('GET', '/v2/', 200),
    line('GET', `/v2/?${FLUSH_MARKER}=1`, 200),
    'garbage',
    line('HEAD', '/v2/team/app/manifests/v1', 404),
    '',
  ].join('\n');
  t.same(parseAccessLog(text), [
    { method: 'GET', uri: '/v2/', status: 200, atSeconds: AT },
    { method: 'HEAD', uri: '/v2/team/app/manifests/v1', status: 404, atSeconds: AT },
  ]);
});

t.test('isManifestUri matches tags and digests under nested repositories only', async (t) => {
  const cases: [string, boolean][] = [
    ['/v2/app/manifests/v1', true],
    ['/v2/team/sub/app/manifests/sha256:' + 'a'.repeat(64), true],
    ['/v2/team/app/manifests/v1?x=1', true],
    ['/v2/team/app/blobs/sha256:abc', false],
    ['/v2/team/app/tags/list', false],
    ['/v2/', false],
    ['/v2/manifests/v1', false],
    ['/v2/team/app/manifests/', false],
  ];
  for (const [uri, expected] of cases) t.equal(isManifestUri(uri), expected, uri);
});

t.test('countManifestRequests filters by method', async (t) => {
  const entries = [
    { method: 'HEAD', uri: '/v2/a/manifests/v1', status: 200, atSeconds: AT },
    { method: 'GET', uri: '/v2/a/manifests/v1', status: 200, atSeconds: AT },
    { method: 'HEAD', uri: '/v2/a/manifests/v2', status: 404, atSeconds: AT },
    { method: 'PUT', uri: '/v2/a/manifests/v1', status: 201, atSeconds: AT },
    { method: 'HEAD', uri: '/v2/a/blobs/sha256:x', status: 200, atSeconds: AT },
  ];
  t.equal(countManifestRequests(entries), 3);
  t.equal(countManifestRequests(entries, 'HEAD'), 2);
  t.equal(countManifestRequests(entries, 'GET'), 1);
});

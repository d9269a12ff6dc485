import t from 'tap';
import { classifyClientError } from './client-errors.js';
import { ERROR_STATUS } from './error-replies.js';

t.test('parser errors map to a documented code and status', async (t) => {
  const cases: [string | undefined, string, number][] = [
    ['ERR_HTTP_REQUEST_TIMEOUT', 'REQUEST_TIMEOUT', 408],
    ['HPE_HEADER_OVERFLOW', 'HEADERS_TOO_LARGE', 431],
    ['HPE_PAUSED_H2_UPGRADE', 'BAD_REQUEST', 400],
    ['HPE_INVALID_CHUNK_SIZE', 'BAD_REQUEST', 400],
    ['HPE_INVALID_METHOD', 'BAD_REQUEST', 400],
    [undefined, 'BAD_REQUEST', 400],
  ];
  for (const [code, expected, status] of cases) {
    const answer = classifyClientError(code);
    t.equal(answer.code, expected, String(code));
    t.equal(ERROR_STATUS[answer.code], status);
  }
  t.ok(classifyClientError(`HPE_${'X'.repeat(10_000)}`).message.length < 200, 'a code is quoted bounded');
});

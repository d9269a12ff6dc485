/** The logger `pullguard serve` builds (createLoggers, as serve-command.ts calls it) redacts credential-shaped fields. */
import t from 'tap';
import { createLoggers } from './logger.js';

/** createLoggers' own factory and options, writing into an array instead of stdout. */
function capturedLoggers(): { loggers: ReturnType<typeof createLoggers>; lines: () => string[] } {
  const lines: string[] = [];
  const loggers = createLoggers('info', { write: (line: string) => void lines.push(line) });
  return {
    loggers,
    lines: () =>
      lines
        .join('')
        .split('\n')
        .filter((l) => l !== ''),
  };
}

const SECRETS = {
  password: 'pw-4f1d9c-planted',
  auth: Buffer.from('alice:auth-8e2b7a-planted').toString('base64'),
  token: 'tok-77c1e0-planted',
  bearer: 'Bearer hdr-91aa3c-planted',
  accessToken: 'at-0b5e62-planted',
  identityToken: 'idt-c4d8f1-planted',
  dockerConfig: Buffer.from(JSON.stringify({ auths: { 'ghcr.io': { auth: 'cfg-5a6b7c-planted' } } })).toString(
    'base64',
  ),
} as const;

t.test('every credential-shaped field is redacted, at the top level and one level down', async (t) => {
  const { loggers, lines } = capturedLoggers();
  loggers.logger.info(
    {
      password: SECRETS.password,
      auth: SECRETS.auth,
      token: SECRETS.token,
      authorization: SECRETS.bearer,
      access_token: SECRETS.accessToken,
      identitytoken: SECRETS.identityToken,
      data: { '.dockerconfigjson': SECRETS.dockerConfig },
      credentials: [{ username: 'alice', password: SECRETS.password }],
    },
    'top level',
  );
  loggers.logger.warn(
    {
      req: { method: 'GET', headers: { authorization: SECRETS.bearer } },
      registry: {
        password: SECRETS.password,
        auth: SECRETS.auth,
        token: SECRETS.token,
        access_token: SECRETS.accessToken,
        identitytoken: SECRETS.identityToken,
      },
      response: { headers: { authorization: SECRETS.bearer } },
      secret: { data: { '.dockerconfigjson': SECRETS.dockerConfig } },
      login: { authorization: SECRETS.bearer, credentials: { username: 'alice', password: SECRETS.password } },
    },
    'nested',
  );
  const text = lines().join('\n');
  t.equal(lines().length, 2, 'both lines were written');
  for (const [name, value] of Object.entries(SECRETS)) t.notOk(text.includes(value), `${name} never appears`);
  t.notOk(text.includes('planted'), 'no planted value appears at all');
  const [top, nested] = lines().map((l) => JSON.parse(l) as Record<string, any>);
  t.equal(top?.['password'], '[redacted]', 'the field stays, its value is censored');
  t.equal(top?.['data'], '[redacted]');
  t.equal(nested?.['req']?.headers?.authorization, '[redacted]');
  t.equal(nested?.['registry']?.password, '[redacted]');
  t.equal(nested?.['req']?.method, 'GET', 'other fields are kept');
});

t.test(
  'the review summary logger writes into the same stream, and the general logger stays redacted beside it',
  async (t) => {
    const { loggers, lines } = capturedLoggers();
    loggers.reviews.info({ uid: 'u-1', verdict: 'allow' }, 'review');
    loggers.logger.error({ error: { message: 'boom' }, password: SECRETS.password }, 'review failed unexpectedly');
    const written = lines();
    t.equal(written.length, 2);
    t.match(written[0], /"uid":"u-1"/);
    t.notOk(written[1]?.includes(SECRETS.password), 'the password is not in the error line');
    t.match(JSON.parse(written[1] ?? '{}'), { service: 'pullguard', password: '[redacted]' });
  },
);

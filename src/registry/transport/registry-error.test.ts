import t from 'tap';
import { errors as undiciErrors } from 'undici';
import { RegistryError, resolutionOfError, translateError } from './registry-error.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const live = () => new AbortController().signal;

t.test('foreign errors get stable kinds and catalogue codes, with the original kept as cause', async (t) => {
  const cases: [unknown, string][] = [
    [withCode('ENOTFOUND'), 'dns'],
    [withCode('EAI_AGAIN'), 'dns'],
    [withCode('ECONNREFUSED'), 'refused'],
    [withCode('EHOSTUNREACH'), 'refused'],
    [withCode('ECONNRESET'), 'reset'],
    [new undiciErrors.SocketError('other side closed'), 'reset'],
    [new undiciErrors.HeadersOverflowError(), 'protocol'],
    [new undiciErrors.HeadersTimeoutError(), 'timeout'],
    [new undiciErrors.BodyTimeoutError(), 'timeout'],
    [new undiciErrors.ConnectTimeoutError(), 'timeout'],
    [new undiciErrors.ResponseExceededMaxSizeError(), 'too-large'],
    [withCode('HPE_INVALID_CONSTANT'), 'protocol'],
    [withCode('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    [withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    [withCode('CERT_HAS_EXPIRED'), 'tls'],
    [new AggregateError([withCode('ECONNREFUSED')], 'all failed'), 'refused'],
    [Object.assign(new Error('wrapped'), { cause: withCode('ENOTFOUND') }), 'dns'],
    [new DOMException('aborted', 'AbortError'), 'timeout'],
    [new Error('no code at all'), 'protocol'],
    ['a string', 'protocol'],
  ];
  for (const [error, kind] of cases) {
    const translated = translateError(error, { host: 'r.example:5000', deadline: live() });
    t.equal(translated.kind, kind, String((error as { code?: string }).code ?? error));
    t.equal(translated.code, `PG_REGISTRY_${kind.toUpperCase().replace('-', '_')}`, 'the catalogue code of the kind');
    t.equal(translated.exitCode, 1);
    t.equal(translated.cause, error);
    t.equal(translated.host, 'r.example:5000');
  }
});

t.test("the caller's deadline wins over whatever undici made of the abort", async (t) => {
  const translated = translateError(withCode('UND_ERR_ABORTED'), { host: 'h', deadline: AbortSignal.abort() });
  t.equal(translated.kind, 'deadline');
  t.equal(translated.code, 'PG_REGISTRY_DEADLINE');
  const perRequest = translateError(withCode('UND_ERR_ABORTED'), {
    host: 'h',
    deadline: live(),
    requestTimedOut: true,
  });
  t.equal(perRequest.kind, 'timeout');
});

t.test('messages never carry the foreign message (it may quote a body or URL)', async (t) => {
  const translated = translateError(withCode('ECONNRESET', 'secret-ish text from the peer'), {
    host: 'h',
    deadline: live(),
  });
  t.notMatch(translated.message, /secret-ish/);
  t.notMatch(translated.detail, /secret-ish/);
});

t.test('RegistryErrors map to resolutions', async (t) => {
  const make = (kind: ConstructorParameters<typeof RegistryError>[0], extra = {}) =>
    new RegistryError(kind, { host: 'h', detail: 'd', ...extra });
  t.same(resolutionOfError(make('timeout'), 12), { outcome: 'timeout', afterMs: 12 });
  t.same(resolutionOfError(make('deadline'), 5), { outcome: 'timeout', afterMs: 5 });
  t.same(resolutionOfError(make('blocked', { address: '127.0.0.1' }), 0), {
    outcome: 'blocked',
    host: 'h',
    address: '127.0.0.1',
  });
  t.same(resolutionOfError(make('insecure'), 0), { outcome: 'unreachable', cause: 'protocol', detail: 'd' });
  for (const code of ['dns', 'refused', 'reset', 'tls', 'protocol', 'too-large', 'redirects'] as const) {
    t.same(resolutionOfError(make(code), 0), { outcome: 'unreachable', cause: code, detail: 'd' });
  }
  t.equal(make('blocked').temporary, false);
  t.equal(make('dns').temporary, true);
});

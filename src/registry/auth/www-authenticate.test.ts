import t from 'tap';
import { parseWwwAuthenticate, pickChallenge, type Challenge } from './www-authenticate.js';

const plain = (challenges: Challenge[]) =>
  challenges.map((c) => ({ scheme: c.scheme, params: { ...c.params }, ...(c.token68 ? { token68: c.token68 } : {}) }));

const cases: { name: string; header: string | string[]; want: ReturnType<typeof plain> }[] = [
  {
    name: 'Docker Hub bearer challenge',
    header:
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
    want: [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      },
    ],
  },
  {
    name: 'ECR basic challenge',
    header: 'Basic realm="https://1.dkr.ecr.eu-west-2.amazonaws.com/",service="ecr.amazonaws.com"',
    want: [
      {
        scheme: 'basic',
        params: { realm: 'https://1.dkr.ecr.eu-west-2.amazonaws.com/', service: 'ecr.amazonaws.com' },
      },
    ],
  },
  {
    name: 'two challenges in one line (Forgejo)',
    header:
      'Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*",Basic realm="https://codeberg.org/v2",service="container_registry",scope="*"',
    want: [
      {
        scheme: 'bearer',
        params: { realm: 'https://codeberg.org/v2/token', service: 'container_registry', scope: '*' },
      },
      { scheme: 'basic', params: { realm: 'https://codeberg.org/v2', service: 'container_registry', scope: '*' } },
    ],
  },
  {
    name: 'comma inside a quoted value, and spaces after commas',
    header: 'Bearer realm="https://r/token", scope="repository:samalba/my-app:pull,push", service="s"',
    want: [
      {
        scheme: 'bearer',
        params: { realm: 'https://r/token', scope: 'repository:samalba/my-app:pull,push', service: 's' },
      },
    ],
  },
  {
    name: 'case-insensitive scheme and parameter names, values verbatim',
    header: 'bEaReR REALM="https://R/Token",Service=Reg',
    want: [{ scheme: 'bearer', params: { realm: 'https://R/Token', service: 'Reg' } }],
  },
  {
    name: 'escapes in quoted strings',
    header: 'Basic realm="a \\"quoted\\" realm \\\\ here"',
    want: [{ scheme: 'basic', params: { realm: 'a "quoted" realm \\ here' } }],
  },
  {
    name: 'error parameter after a bad token',
    header: 'Bearer realm="https://r/t",service="s",scope="repository:a:pull",error="insufficient_scope"',
    want: [
      {
        scheme: 'bearer',
        params: { realm: 'https://r/t', service: 's', scope: 'repository:a:pull', error: 'insufficient_scope' },
      },
    ],
  },
  {
    name: 'repeated header lines (undici gives an array)',
    header: ['Basic realm="basic-realm"', 'Bearer realm="https://r/t"'],
    want: [
      { scheme: 'basic', params: { realm: 'basic-realm' } },
      { scheme: 'bearer', params: { realm: 'https://r/t' } },
    ],
  },
  {
    name: 'token68 and bare schemes',
    header: 'Negotiate abc+/def==, NTLM, Basic realm=x',
    want: [
      { scheme: 'negotiate', params: {}, token68: 'abc+/def==' },
      { scheme: 'ntlm', params: {} },
      { scheme: 'basic', params: { realm: 'x' } },
    ],
  },
  {
    name: 'spaces around "=" (BWS)',
    header: 'Bearer realm = "https://r/t" , service = s',
    want: [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 's' } }],
  },
  {
    name: 'first duplicate parameter wins; __proto__ is a plain parameter',
    header: 'Bearer realm="a",realm="b",__proto__="x"',
    want: [{ scheme: 'bearer', params: { realm: 'a', ['__proto__']: 'x' } }],
  },
  {
    name: 'unterminated quote runs to the end',
    header: 'Bearer realm="https://r/t, service="s',
    want: [{ scheme: 'bearer', params: { realm: 'https://r/t, service=' } }],
  },
  { name: 'empty header', header: '', want: [] },
  { name: 'garbage', header: '=== ,,, "x"', want: [] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const got = plain(parseWwwAuthenticate(c.header));
    // __proto__ must survive as an own key, so compare via JSON of entries.
    t.same(
      got.map((g) => ({ ...g, params: Object.entries(g.params) })),
      c.want.map((w) => ({ ...w, params: Object.entries(w.params) })),
    );
  });
}

t.test('undefined header gives no challenges', async (t) => {
  t.same(parseWwwAuthenticate(undefined), []);
});

t.test('pickChallenge prefers Bearer with a realm, then Basic', async (t) => {
  const both = parseWwwAuthenticate('Basic realm="b", Bearer realm="https://r/t"');
  t.equal(pickChallenge(both)?.scheme, 'bearer');
  const bearerWithoutRealm = parseWwwAuthenticate('Bearer service="x", Basic realm="b"');
  t.equal(pickChallenge(bearerWithoutRealm)?.scheme, 'basic');
  t.equal(pickChallenge(parseWwwAuthenticate('Negotiate abc')), undefined);
});

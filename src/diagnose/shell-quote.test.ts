import { execFileSync } from 'node:child_process';
import t from 'tap';
import { command, MAX_VALUE_CHARS, shellWord } from './shell-quote.js';

/** What a POSIX shell makes of `printf '%s\n' WORDS`: the arguments it received, one per line. */
function argsAfterShell(words: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\n' ${words}`], { encoding: 'utf8' });
  return out.split('\n').slice(0, -1);
}

const HOSTILE = [
  'app; rm -rf ~',
  "it's",
  "'",
  "''; touch /tmp/pwned; echo '",
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  'a | b && c',
  '*',
  '~root',
  '=cmd',
  'x > /tmp/out',
  '"double" \\back\\ $HOME ${HOME}',
  'nginx:1.29@sha256:abc',
  '{a,b}',
  '!!',
];

t.test('every value comes back out of a real shell as exactly one argument, unchanged', async (t) => {
  for (const value of HOSTILE) {
    const quoted = shellWord(value, 'image');
    if (!quoted.ok) {
      t.fail(`refused ${value}`);
      continue;
    }
    t.same(argsAfterShell(quoted.word), [value], value);
  }
});

t.test('plain names stay readable; anything else is single-quoted', async (t) => {
  t.same(shellWord('shop', 'namespace'), { ok: true, word: 'shop' });
  t.same(shellWord('ghcr.io/acme/app:1.2', 'image'), { ok: true, word: 'ghcr.io/acme/app:1.2' });
  t.same(shellWord('a b', 'pod name'), { ok: true, word: "'a b'" });
  t.same(shellWord("it's", 'pod name'), { ok: true, word: `'it'\\''s'` });
  t.same(shellWord('=x', 'pod name'), { ok: true, word: "'=x'" });
  t.same(shellWord('app=nginx:1.29', 'container and image'), { ok: true, word: 'app=nginx:1.29' });
});

t.test('values no command may carry are refused with the field named', async (t) => {
  t.match(shellWord('app\nkubectl delete ns prod', 'pod name'), {
    ok: false,
    unsafe: {
      problem: 'unsafe-value',
      field: 'pod name',
      detail: 'no command printed: the pod name contains control characters',
    },
  });
  t.match(shellWord('a\u001b[2Jb', 'image'), { ok: false, unsafe: { detail: /control characters/ } });
  t.match(shellWord('a\u0085b', 'image'), { ok: false, unsafe: { detail: /control characters/ } });
  t.match(shellWord('', 'namespace'), { ok: false, unsafe: { detail: /is empty/ } });
  t.match(shellWord(42, 'namespace'), { ok: false, unsafe: { detail: /is empty/ } });
  t.match(shellWord('x'.repeat(MAX_VALUE_CHARS + 1), 'image'), { ok: false, unsafe: { detail: /longer than/ } });
  t.same(shellWord('x'.repeat(MAX_VALUE_CHARS), 'image').ok, true);
  t.match(shellWord('--kubeconfig=/tmp/evil', 'pod name', { positional: true }), {
    ok: false,
    unsafe: { detail: 'no command printed: the pod name starts with "-"' },
  });
  t.same(shellWord('--kubeconfig=/tmp/evil', 'registry host').ok, true, 'a flag value may start with -');
});

t.test('a command joins literals and quoted values; the first unsafe value stops it', async (t) => {
  const ok = command(['kubectl delete pod ', { value: 'a b', field: 'pod name', positional: true }, ' -n shop']);
  t.same(ok, { ok: true, text: "kubectl delete pod 'a b' -n shop" });
  const bad = command([
    'kubectl delete pod ',
    { value: '-x', field: 'pod name', positional: true },
    ' -n ',
    { value: 'a\nb', field: 'namespace' },
  ]);
  t.match(bad, { ok: false, unsafe: { field: 'pod name' } });
});

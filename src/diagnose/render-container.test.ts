import t from 'tap';
import { classifyRuntimeMessage } from '../policy/runtime-message.js';
import { containerLines, field, type Paint } from './render-container.js';
import type { ContainerDiagnosisReport } from './report.js';
import { MISSING_TAG_POD } from '../../test/diagnose/diagnose-reports.js';

const app: ContainerDiagnosisReport = (() => {
  const [first] = MISSING_TAG_POD.containers;
  if (first === undefined) throw new Error('fixture');
  return first;
})();
const noColour: Paint = (_tone, text) => text;

/** The `Runtime error:` lines of a container whose node wrote `text`. */
function runtimeLines(text: string, extra: Partial<ContainerDiagnosisReport['runtimeError']> = {}): string[] {
  const c: ContainerDiagnosisReport = {
    ...app,
    runtimeError: { ...classifyRuntimeMessage(text), ...extra, text },
  };
  const out = containerLines(c, noColour);
  const at = out.findIndex((l) => l.startsWith('    Runtime error:'));
  const end = out.findIndex((l, i) => i > at && !l.startsWith(' '.repeat(20)));
  return out.slice(at, end);
}

t.test("the runtime's error: its kind, whose words, what else it says, and the class that says the same", async (t) => {
  t.same(
    runtimeLines(
      'initializing source docker://docker.io/acme/app:1: reading manifest 1 in docker.io/acme/app: toomanyrequests: You have reached your unauthenticated pull rate limit (Mirrors also failed: [mirror.example/acme/app:1: i/o timeout]): toomanyrequests: rate limit',
      { findingClass: 'rateLimited' },
    ).slice(0, 1),
    ['    Runtime error:  rate limited (cri-o, mirrors also failed) → rateLimited'],
  );
  t.same(
    runtimeLines(
      'failed to pull and unpack image "ghcr.io/acme/app:1": failed to resolve reference "ghcr.io/acme/app:1": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token: 403 Forbidden',
    ).slice(0, 1),
    ['    Runtime error:  access denied (containerd, credentials were sent and refused)'],
  );
  t.same(
    runtimeLines(
      'failed to pull and unpack image "registry.internal/app:1": failed to resolve reference "registry.internal/app:1": failed to do request: Head "https://registry.internal/v2/app/manifests/1": dial tcp: lookup registry.internal on 10.96.0.10:53: no such host',
      { findingClass: 'unreachable' },
    ).slice(0, 1),
    ['    Runtime error:  node-side: DNS lookup failed (containerd) → unreachable'],
  );
});

t.test('a classified text not shown above follows its line; one shown above is not repeated', async (t) => {
  t.same(runtimeLines('something odd\u001b[2J'), [
    '    Runtime error:  not recognised',
    '                    something odd\\x1b[2J',
  ]);
  t.same(runtimeLines(app.events.failed?.message ?? ''), ['    Runtime error:  not found (containerd)']);
});

t.test('a label is padded and the lines after the first are indented under the value', async (t) => {
  t.same(field('  ', 8, 'Name:', ['a', 'b', '']), ['  Name:   a', '          b', '']);
});

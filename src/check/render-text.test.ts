import t from 'tap';
import { checkRecords } from './check-records.js';
import { APP, LATEST, NOT_FOUND, reviewed, SIDECAR } from '../../test/check/check-outcomes.js';
import { createTextWriter, type TextOptions } from './render-text.js';
import type { CheckedObject } from './run-checks.js';

const denied = reviewed(
  [
    { use: APP, canonical: 'docker.io/library/nginx:1.99', resolution: { outcome: 'not-found', missing: 'tag' } },
    { use: SIDECAR, canonical: 'docker.io/library/busybox:latest', resolution: { outcome: 'found' } },
  ],
  [NOT_FOUND, LATEST],
);
const warned = reviewed(
  [{ use: SIDECAR, canonical: 'docker.io/library/busybox:latest', resolution: { outcome: 'found' } }],
  [LATEST],
  { line: 20 },
);
const allowed = reviewed(
  [{ use: APP, canonical: 'docker.io/library/nginx:1.99', resolution: { outcome: 'found' } }],
  [],
  { file: 'b.yaml', line: 4 },
);
const empty = reviewed([], [], { file: 'b.yaml', line: 9 });
const skipped: CheckedObject = {
  ...reviewed([], [], { file: 'b.yaml', line: 12 }),
  outcome: { status: 'skipped', reason: 'mirror pod' },
};

/** What the writer writes for `checked`, each object with its own records, then the summary. */
function renderText(checked: readonly CheckedObject[], options: TextOptions, inputErrors?: number): string {
  let text = '';
  const writer = createTextWriter((chunk) => (text += chunk), options);
  for (const item of checked) writer.write(item, checkRecords([item]));
  writer.finish(inputErrors);
  return text;
}

const summaryLine = (checked: readonly CheckedObject[], offline = false, inputErrors?: number): string =>
  renderText(checked, { color: false, offline }, inputErrors).trimEnd().split('\n').at(-1) ?? '';

t.test('grouped by file, in the words of the webhook', async (t) => {
  const checked = [denied, warned, allowed, empty, skipped];
  const text = renderText(checked, { color: false, offline: false });
  t.equal(
    text,
    [
      'app.yaml',
      '  DENY  Deployment shop/web (line 1)',
      '        1 of 2 images in Deployment shop/web would fail to pull (ErrImagePull/ImagePullBackOff):',
      '        - container "app" (spec.template.spec.containers[0].image): "nginx:1.99" (docker.io/library/nginx:1.99): tag "1.99" does not exist in docker.io/library/nginx. Fix: use an existing tag. Node error (containerd, assumed): Failed to pull image "nginx:1.99": failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve image: docker.io/library/nginx:1.99: not found',
      '        warning: container "sidecar": "busybox" has no tag and pulls :latest. Fix: pin a version tag or a digest.',
      '  WARN  Deployment shop/web (line 20): docker.io/library/busybox:latest',
      '        warning: container "sidecar": "busybox" has no tag and pulls :latest. Fix: pin a version tag or a digest.',
      'b.yaml',
      '  OK    Deployment shop/web (line 4): docker.io/library/nginx:1.99',
      '  OK    Deployment shop/web (line 9): no images',
      '  SKIP  Deployment shop/web (line 12): mirror pod',
      '4 objects, 4 images: 1 denied, 2 warnings; 1 skipped',
      '',
    ].join('\n'),
  );
});

t.test("a denied use quotes the node's error in the words of the runtime the review found", async (t) => {
  if (denied.outcome.status !== 'reviewed') throw new Error('fixture');
  const crio: CheckedObject = { ...denied, outcome: { ...denied.outcome, runtime: 'cri-o' } };
  const line = renderText([crio], { color: false, offline: false })
    .split('\n')
    .find((l) => l.includes('container "app"'));
  t.match(
    line,
    / Fix: use an existing tag\. Node error \(cri-o\): Failed to pull image "nginx:1\.99": initializing source docker:\/\/docker\.io\/library\/nginx:1\.99: reading manifest 1\.99 in docker\.io\/library\/nginx: manifest unknown$/,
  );
});

t.test('colour marks the verdicts when asked', async (t) => {
  const text = renderText([denied, allowed], { color: true, offline: false });
  t.match(text, '\u001b[31mDENY \u001b[0m');
  t.match(text, '\u001b[32mOK   \u001b[0m');
  t.match(text, '\u001b[33mwarning:\u001b[0m');
});

t.test('the summary line', async (t) => {
  t.equal(summaryLine([]), '0 objects, 0 images: 0 denied, 0 warnings');
  t.equal(summaryLine([allowed], true), '1 object, 1 image: 0 denied, 0 warnings (offline: registries not checked)');
  t.equal(summaryLine([warned]), '1 object, 1 image: 0 denied, 1 warning');
  t.equal(summaryLine([denied, warned]), '2 objects, 3 images: 1 denied, 2 warnings', 'counted over objects');
  const invalid: CheckedObject = { ...allowed, outcome: { status: 'invalid', problem: 'x' } };
  t.equal(summaryLine([invalid, skipped]), '0 objects, 0 images: 0 denied, 0 warnings; 1 skipped, 1 invalid');
  t.equal(summaryLine([], false, 2), '0 objects, 0 images: 0 denied, 0 warnings; 2 input errors');
});

t.test('CI output in full: every warning and every denied use, uncut', async (t) => {
  const uses = Array.from({ length: 12 }, (_, i) => ({
    ...SIDECAR,
    name: `c${i}`,
    path: `spec.template.spec.containers[${i}].image`,
  }));
  const long = 'x'.repeat(200);
  const many = reviewed(
    uses.map((use) => ({ use, canonical: 'docker.io/library/busybox:latest', resolution: { outcome: 'found' } })),
    uses.map((use, i) => ({ ...LATEST, use, verdict: i < 11 ? 'warn' : 'deny', cause: `${long} ${i}.` })),
  );
  const text = renderText([many], { color: false, offline: false });
  t.equal(text.match(/warning: /g)?.length, 11, 'all 11 warnings, not 10 and a rest line');
  t.match(text, `container "c10": ${long} 10. Fix: pin a version tag or a digest.`, 'whole message');
  t.notMatch(text, /audit annotation|…/, 'nothing cut');
  t.match(text, /denied by policy \(latestTag\):\n {8}- container "c11"/);
});

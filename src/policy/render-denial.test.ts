import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import type { DecidedFinding } from './finding.js';
import { MAX_MESSAGE_BYTES, renderDenial } from './render-denial.js';

const use = (name: string, path: string, image: string, section: ImageUse['section'] = 'containers'): ImageUse => ({
  image,
  name,
  section,
  path,
});
const deny = (u: ImageUse | undefined, extra: Partial<DecidedFinding> = {}): DecidedFinding => ({
  class: 'notFound',
  verdict: 'deny',
  ...(u ? { use: u } : {}),
  cause: 'tag "1.99.9" does not exist.',
  short: 's',
  ...extra,
});

t.test('the example of docs/design.md §2.2, line for line', async (t) => {
  const message = renderDenial(
    [
      deny(use('app', 'spec.template.spec.containers[0].image', 'nginx:1.99.9'), {
        canonical: 'docker.io/library/nginx:1.99.9',
        cause: 'tag "1.99.9" does not exist. Closest tags: 1.29.3, 1.29, 1.28.0.',
      }),
      deny(
        use(
          'migrate',
          'spec.template.spec.initContainers[0].image',
          'registry.example.com/tools/migrate:2.1',
          'initContainers',
        ),
        {
          class: 'unauthorized',
          canonical: 'registry.example.com/tools/migrate:2.1',
          cause:
            'registry.example.com requires authentication and no imagePullSecret of this pod has credentials for it.',
          fix: 'Fix: kubectl create secret docker-registry regcred …',
        },
      ),
      { ...deny(use('side', 'spec.template.spec.containers[1].image', 'nginx')), verdict: 'warn' },
    ],
    { objectLabel: 'Deployment shop/web', checkedUses: 3 },
  );
  t.equal(
    message,
    [
      '2 of 3 images in Deployment shop/web would fail to pull (ErrImagePull/ImagePullBackOff):',
      '- container "app" (spec.template.spec.containers[0].image): "nginx:1.99.9" (docker.io/library/nginx:1.99.9): tag "1.99.9" does not exist. Closest tags: 1.29.3, 1.29, 1.28.0. Node error (containerd, assumed): Failed to pull image "nginx:1.99.9": failed to pull and unpack image "docker.io/library/nginx:1.99.9": failed to resolve image: docker.io/library/nginx:1.99.9: not found',
      '- init container "migrate" (spec.template.spec.initContainers[0].image): "registry.example.com/tools/migrate:2.1": registry.example.com requires authentication and no imagePullSecret of this pod has credentials for it. Fix: kubectl create secret docker-registry regcred … Node error (containerd, assumed): Failed to pull image "registry.example.com/tools/migrate:2.1": failed to pull and unpack image "registry.example.com/tools/migrate:2.1": failed to resolve image: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ].join('\n'),
  );
});

t.test("a custom resource's unnamed container: its field path once", async (t) => {
  const message = renderDenial(
    [
      deny(use('', 'spec.templates[0].container.image', 'r.io/x:1')),
      deny(use('', 'spec.templates[1].initContainers[0].image', 'r.io/i:1', 'initContainers')),
      deny(use('s1', 'spec.steps[1].image', 'r.io/s:1')),
    ],
    { objectLabel: 'Workflow ci/wf', checkedUses: 3 },
  );
  t.same(message.split('\n').slice(1), [
    '- container (spec.templates[0].container.image): "r.io/x:1": tag "1.99.9" does not exist.',
    '- init container (spec.templates[1].initContainers[0].image): "r.io/i:1": tag "1.99.9" does not exist.',
    '- container "s1" (spec.steps[1].image): "r.io/s:1": tag "1.99.9" does not exist.',
  ]);
});

t.test('summary wording', async (t) => {
  const one = renderDenial([deny(use('a', 'spec.containers[0].image', 'A'), { class: 'invalidReference' })], {
    objectLabel: 'Pod shop/web',
    checkedUses: 1,
  });
  t.match(one, /^1 of 1 image in Pod shop\/web would fail to pull \(InvalidImageName\):\n/);
  const podLevel = renderDenial(
    [deny(undefined, { class: 'invalidPullSecret', subject: 'pull secret shop/regcred', cause: 'cannot be decoded.' })],
    { objectLabel: 'Pod shop/web', checkedUses: 2 },
  );
  t.equal(
    podLevel,
    'Pod shop/web would fail to pull its images (ErrImagePull/ImagePullBackOff):\n- pull secret shop/regcred: cannot be decoded.',
  );
});

t.test('past 10 failing images: "… and N more", and always under 4 KiB', async (t) => {
  for (const [count, imageLength] of [
    [11, 20],
    [25, 20],
    [10, 2000],
    [40, 500],
  ] as const) {
    const findings = Array.from({ length: count }, (_, i) =>
      deny(use(`c${i}`, `spec.containers[${i}].image`, `example.com/${'x'.repeat(imageLength)}:${i}`)),
    );
    const message = renderDenial(findings, { objectLabel: 'Deployment shop/web', checkedUses: count });
    const lines = message.split('\n');
    t.ok(
      Buffer.byteLength(message) < MAX_MESSAGE_BYTES,
      `${count}×${imageLength}: ${Buffer.byteLength(message)} bytes`,
    );
    t.ok(lines.length <= 12, `${count}×${imageLength}: at most summary + 10 + rest`);
    const shown = lines.filter((l) => l.startsWith('- ')).length;
    if (shown < count)
      t.equal(
        lines.at(-1),
        `… and ${count - shown} more failing images`,
        `${count}×${imageLength}: the rest is counted`,
      );
    t.ok(message.isWellFormed());
  }
  const exactlyTen = renderDenial(
    Array.from({ length: 10 }, (_, i) => deny(use(`c${i}`, `spec.containers[${i}].image`, `e.com/a:${i}`))),
    { objectLabel: 'P', checkedUses: 10 },
  );
  t.notMatch(exactlyTen, /more/, 'ten fit without a rest line');
});

t.test('policy denials are named as policy, and Never as ErrImageNeverPull', async (t) => {
  const latest = deny(use('a', 'spec.containers[0].image', 'nginx'), { class: 'latestTag', cause: 'pulls :latest.' });
  const never = deny(use('b', 'spec.containers[1].image', 'app:1'), { class: 'pullPolicyNever', cause: 'never.' });
  const missing = deny(use('c', 'spec.containers[2].image', 'app:9'));
  const context = { objectLabel: 'Pod shop/web', checkedUses: 3 };
  t.match(renderDenial([latest], context), /^1 of 3 images in Pod shop\/web denied by policy \(latestTag\):\n- /);
  const neverOnly = renderDenial([never], context).split('\n')[0];
  t.equal(
    neverOnly,
    '1 of 3 images in Pod shop/web denied by policy (pullPolicyNever: ErrImageNeverPull where the node lacks the image):',
  );
  t.notMatch(neverOnly, /ErrImagePull\//, 'Never is no ErrImagePull');
  t.equal(
    renderDenial([latest, never, missing], context).split('\n')[0],
    '3 of 3 images in Pod shop/web denied: 1 would fail to pull (ErrImagePull/ImagePullBackOff), 2 by policy (latestTag; pullPolicyNever: ErrImageNeverPull where the node lacks the image):',
  );
  const secret = deny(undefined, { class: 'invalidPullSecret', subject: 'pull secret shop/r', cause: 'bad.' });
  t.equal(
    renderDenial([secret, latest], context).split('\n')[0],
    '1 of 3 images in Pod shop/web denied: its images would fail to pull (ErrImagePull/ImagePullBackOff), 1 by policy (latestTag):',
  );
});

t.test('full (pullguard check): every line whole, however many', async (t) => {
  const findings = Array.from({ length: 30 }, (_, i) =>
    deny(use(`c${i}`, `spec.containers[${i}].image`, `example.com/${'x'.repeat(2000)}:${i}`)),
  );
  const message = renderDenial(findings, { objectLabel: 'P', checkedUses: 30, full: true });
  const lines = message.split('\n');
  t.equal(lines.length, 31, 'summary and all 30 lines');
  t.ok(Buffer.byteLength(message) > MAX_MESSAGE_BYTES, 'past the API server bound');
  t.notMatch(message, /…|more failing/, 'nothing cut');
  t.ok(lines[30]?.endsWith(`x:29": tag "1.99.9" does not exist.`));
});

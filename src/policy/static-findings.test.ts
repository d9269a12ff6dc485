import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import { exemptMatcher, staticCheck } from './static-findings.js';

const use = (image: string, pullPolicy?: string): ImageUse => ({
  image,
  name: 'app',
  section: 'containers',
  path: 'spec.containers[0].image',
  ...(pullPolicy ? { pullPolicy } : {}),
});
const none = exemptMatcher([]);

t.test('static checks per image', async (t) => {
  const cases: [string, string | undefined, string[], string | undefined, string | undefined][] = [
    // image, pullPolicy, classes, skipRegistry, canonical
    ['nginx', undefined, ['latestTag'], undefined, 'docker.io/library/nginx:latest'],
    ['nginx:latest', undefined, ['latestTag'], undefined, 'docker.io/library/nginx:latest'],
    ['nginx:1.29', undefined, [], undefined, 'docker.io/library/nginx:1.29'],
    [`nginx@sha256:${'a'.repeat(64)}`, undefined, [], undefined, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [
      `nginx:latest@sha256:${'b'.repeat(64)}`,
      undefined,
      [],
      undefined,
      `docker.io/library/nginx:latest@sha256:${'b'.repeat(64)}`,
    ],
    ['localhost:5000/foo:bar', undefined, [], undefined, 'localhost:5000/foo:bar'],
    ['[::1]:5000/foo:1', undefined, [], undefined, '[::1]:5000/foo:1'],
    ['example.com/app:1', 'Never', ['pullPolicyNever'], 'pullPolicyNever', 'example.com/app:1'],
    ['example.com/app', 'Never', ['latestTag', 'pullPolicyNever'], 'pullPolicyNever', 'example.com/app:latest'],
    ['example.com/app:1', 'Always', [], undefined, 'example.com/app:1'],
    ['Nginx', undefined, ['invalidReference'], 'invalid', undefined],
    ['nginx:' + 't'.repeat(129), undefined, ['invalidReference'], 'invalid', undefined],
    ['https://example.com/app:1', undefined, ['invalidReference'], 'invalid', undefined],
    [' nginx', undefined, ['invalidReference'], 'invalid', undefined],
    ['a'.repeat(64).replace(/a/g, 'f'), undefined, ['invalidReference'], 'invalid', undefined],
  ];
  for (const [image, pullPolicy, classes, skip, canonical] of cases) {
    const check = staticCheck(use(image, pullPolicy), none);
    const name = `${image.slice(0, 40)} ${pullPolicy ?? ''}`;
    t.same(
      check.findings.map((f) => f.class),
      classes,
      `${name}: classes`,
    );
    t.equal(check.skipRegistry, skip, `${name}: registry skip`);
    t.equal(check.canonical, canonical, `${name}: canonical reference`);
  }
});

t.test('an invalid reference keeps the parser reason and the kubelet error name', async (t) => {
  const [finding] = staticCheck(use('Nginx:1'), none).findings;
  t.match(finding, {
    class: 'invalidReference',
    outcome: 'invalid',
    cause: /repository name \(.*\) must be lowercase.*InvalidImageName/,
  });
});

t.test('exempt images are not checked at all, matched on the canonical reference', async (t) => {
  const exempt = exemptMatcher(['registry.k8s.io/pause:*', 'docker.io/library/busybox:*']);
  for (const image of ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:latest', 'busybox', 'busybox:1.36']) {
    const check = staticCheck(use(image, 'Never'), exempt);
    t.same(check.findings, [], `${image}: no findings`);
    t.equal(check.skipRegistry, 'exempt', `${image}: no registry check`);
  }
  t.equal(staticCheck(use('registry.k8s.io/pause/x:1'), exempt).skipRegistry, undefined, '* does not cross /');
  t.equal(staticCheck(use('Busybox'), exempt).skipRegistry, 'invalid', 'an invalid reference cannot be exempt');
});

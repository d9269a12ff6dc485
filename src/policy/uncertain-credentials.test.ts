import t from 'tap';
import type { Finding } from './finding.js';
import { uncertainCredentials } from './uncertain-credentials.js';

const use = {
  image: 'example.com/app:1',
  name: 'app',
  section: 'containers',
  path: 'spec.containers[0].image',
} as const;
const refused: Finding = {
  class: 'unauthorized',
  outcome: 'unauthorized',
  use,
  canonical: 'example.com/app:1',
  cause: 'example.com refused the pull credentials.',
  fix: 'Fix: check the pull secret.',
  short: 'example.com/app:1: unauthorized',
};

t.test('with unreadable pull secrets a refusal becomes unreachable, saying why', async (t) => {
  const softened = uncertainCredentials(refused, true);
  t.equal(softened.class, 'unreachable');
  t.equal(softened.outcome, 'unauthorized', 'the registry outcome behind it is kept');
  t.equal(
    softened.cause,
    'example.com refused the pull credentials. pullguard could not read every pull secret of this pod, so this is not certain.',
  );
  t.equal(softened.short, 'cannot verify example.com/app:1: pull secrets unreadable; admitted anyway');
  t.equal(softened.fix, refused.fix);
});

t.test('with every credential seen, a refusal stays a refusal', async (t) => {
  t.equal(uncertainCredentials(refused, false), refused);
});

t.test('only refusals are softened: other classes pass through whatever the credentials', async (t) => {
  const missing: Finding = { ...refused, class: 'notFound', outcome: 'not-found' };
  t.equal(uncertainCredentials(missing, true), missing);
  const nodeCredentials: Finding = { ...refused, class: 'nodeCredentials' };
  t.equal(uncertainCredentials(nodeCredentials, true), nodeCredentials);
});

t.test('a pod-level finding without a reference names "image"', async (t) => {
  const { canonical: _, ...podLevel } = refused;
  t.match(uncertainCredentials(podLevel, true), {
    class: 'unreachable',
    short: 'cannot verify image: pull secrets unreadable; admitted anyway',
  });
});

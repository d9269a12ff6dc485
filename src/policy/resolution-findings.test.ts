import t from 'tap';
import { compactIndexPlatforms } from '../platform/index-platforms.js';
import { parsePlatform, type Platform } from '../platform/platform.js';
import type { Resolution } from '../resolution/resolution.js';
import { resolutionFinding, type ImageFacts, type PodFacts } from './resolution-findings.js';
import { exemptMatcher, staticCheck, type ParsedCheck } from './static-findings.js';

function parsedCheck(image: string): ParsedCheck {
  const check = staticCheck(
    { image, name: 'app', section: 'containers', path: 'spec.containers[0].image' },
    exemptMatcher([]),
  );
  if (check.reference === undefined) throw new Error(`not a valid image in test: ${image}`);
  return check;
}
const platform = (text: string): Platform => {
  const parsed = parsePlatform(text);
  if (!parsed) throw new Error(text);
  return parsed;
};
const pod: PodFacts = {
  namespace: 'shop',
  podSpecPath: 'spec',
  serviceAccountName: 'default',
  candidates: undefined,
  credentialsUncertain: false,
};
const anonymous: ImageFacts = { hadCredentials: false, nodeCredentials: false };
const check = parsedCheck('example.com/team/app:1.0');
const refused: Resolution = { outcome: 'unauthorized', reason: 'anonymous-refused' };

t.test("a found image is fine, unless its index serves none of the pod's platforms", async (t) => {
  t.equal(resolutionFinding(check, { outcome: 'found', digest: 'sha256:x' }, pod, anonymous), undefined);
  const amd64Only: Resolution = { outcome: 'found', index: compactIndexPlatforms([platform('linux/amd64')]) };
  t.equal(resolutionFinding(check, amd64Only, pod, anonymous), undefined, 'platforms unknown: no platform check');
  t.match(
    resolutionFinding(
      check,
      amd64Only,
      { ...pod, candidates: { platforms: [platform('linux/arm64')], source: 'nodes', notes: [] } },
      anonymous,
    ),
    { class: 'platformMismatch', canonical: 'example.com/team/app:1.0' },
  );
});

t.test('a registry answer names the repository from the parsed reference', async (t) => {
  const finding = resolutionFinding(check, { outcome: 'not-found', missing: 'repository' }, pod, anonymous);
  t.match(finding, {
    class: 'notFound',
    outcome: 'not-found',
    use: check.use,
    canonical: 'example.com/team/app:1.0',
    cause: /repository example\.com\/team\/app does not exist/,
  });
});

t.test(
  'a refusal: unauthorized; node credentials without a pod credential; unreachable when credentials are uncertain',
  async (t) => {
    t.match(resolutionFinding(check, refused, pod, anonymous), { class: 'unauthorized' });
    t.match(resolutionFinding(check, refused, pod, { hadCredentials: false, nodeCredentials: true }), {
      class: 'nodeCredentials',
    });
    t.match(resolutionFinding(check, refused, pod, { hadCredentials: true, nodeCredentials: true }), {
      class: 'unauthorized',
    });
    t.match(resolutionFinding(check, refused, { ...pod, credentialsUncertain: true }, anonymous), {
      class: 'unreachable',
      short: /pull secrets unreadable/,
    });
  },
);

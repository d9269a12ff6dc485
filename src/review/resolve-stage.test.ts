import t from 'tap';
import type { RegistryCredential } from '../credentials/credential.js';
import { canonicalReference } from '../image/reference.js';
import { exemptMatcher, staticCheck, type RegistryCheck } from '../policy/static-findings.js';
import type { ImageResolver, ResolveOptions } from '../resolution/image-resolver.js';
import type { Resolution } from '../resolution/resolution.js';
import { extractPodSpec } from '../workload/extract-pod-spec.js';
import { findWorkloadKind } from '../workload/pod-spec-paths.js';
import type { PullCredentials } from '../credentials/pull-credentials.js';
import type { PullCredentialsPort } from './ports.js';
import { resolveStage, type ResolveDeps, type Resolved } from './resolve-stage.js';
import { registryChecks } from './static-stage.js';

const POD_KIND = findWorkloadKind('', 'Pod');
function podView(images: string[]) {
  if (!POD_KIND) throw new Error('Pod is a workload kind');
  const extracted = extractPodSpec(POD_KIND, {
    spec: { imagePullSecrets: [{ name: 'regcred' }], containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  });
  if (!extracted.ok) throw new Error(extracted.problem);
  return extracted.view;
}
function checksOf(images: string[]): { view: ReturnType<typeof podView>; checks: RegistryCheck[] } {
  const view = podView(images);
  return { view, checks: registryChecks(view.uses.map((use) => staticCheck(use, exemptMatcher([])))) };
}

const FOUND: Resolution = { outcome: 'found', digest: 'sha256:x' };
const CRED: RegistryCredential = { username: 'u', password: 'p', source: 'secret shop/regcred' };

/** A resolver that records its calls and answers from a table by canonical reference (found when absent). */
function recording(answers: Record<string, Resolution> = {}, cached: Record<string, Resolution> = {}) {
  const calls: string[] = [];
  const resolver: ImageResolver = {
    resolve: async (options: ResolveOptions) => {
      calls.push(canonicalReference(options.reference));
      return answers[canonicalReference(options.reference)] ?? FOUND;
    },
    peek: (options) => cached[canonicalReference(options.reference)],
  };
  return { resolver, calls };
}

const outcomes = (resolved: Resolved, checks: readonly RegistryCheck[]) =>
  checks.map((check) => resolved.resolutions.get(check)?.resolution.outcome);

const run = (
  deps: Partial<ResolveDeps> & Pick<ResolveDeps, 'resolver'>,
  images: string[],
  signal = AbortSignal.timeout(5000),
) => {
  const { view, checks } = checksOf(images);
  return resolveStage({ now: Date.now, ...deps }, { checks, view, namespace: 'shop', signal }).then((resolved) => ({
    resolved,
    checks,
  }));
};

t.test('uses of one canonical reference are resolved once, and each use gets the answer', async (t) => {
  const { resolver, calls } = recording({ 'example.com/a:1': { outcome: 'not-found', missing: 'tag' } });
  const { resolved, checks } = await run({ resolver }, ['example.com/a:1', 'example.com/a:1', 'example.com/b:1']);
  t.same(calls.sort(), ['example.com/a:1', 'example.com/b:1']);
  t.same(outcomes(resolved, checks), ['not-found', 'not-found', 'found']);
  t.same(resolved.failures, []);
  t.equal(resolved.candidates, undefined, 'no platform port: platforms unknown');
});

t.test('a cached answer settles without a registry call', async (t) => {
  const { resolver, calls } = recording(
    {},
    { 'example.com/a:1': { outcome: 'unauthorized', reason: 'anonymous-refused' } },
  );
  const { resolved, checks } = await run({ resolver }, ['example.com/a:1']);
  t.same(calls, []);
  t.same(outcomes(resolved, checks), ['unauthorized']);
});

t.test('pull credentials are looked up by repository (host/path), and their problems come back as data', async (t) => {
  const asked: string[] = [];
  const credentials: PullCredentials = {
    credentialsFor: (repository) => (asked.push(repository), repository === 'example.com/team/private' ? [CRED] : []),
    problems: [{ kind: 'missingPullSecret', secret: 'shop/other', why: 'not-found' }],
    uncertain: false,
  };
  const pullCredentials: PullCredentialsPort = async () => credentials;
  const { resolver } = recording();
  const { resolved, checks } = await run({ resolver, pullCredentials }, [
    'example.com/team/private:1',
    'example.com/public:1',
  ]);
  t.same(asked, ['example.com/team/private', 'example.com/public']);
  t.same(
    checks.map((check) => resolved.resolutions.get(check)?.hadCredentials),
    [true, false],
  );
  t.same(resolved.credentialProblems, credentials.problems);
  t.equal(resolved.credentialsUncertain, false);
});

t.test('pull credentials that throw: anonymous lookups, refusals uncertain, one pod-level failure', async (t) => {
  const pullCredentials: PullCredentialsPort = async () => {
    throw new SyntaxError('boom');
  };
  const { resolver } = recording();
  const { resolved } = await run({ resolver, pullCredentials }, ['example.com/a:1']);
  t.equal(resolved.credentialsUncertain, true);
  t.match(resolved.failures, [{ class: 'unreachable', subject: "pod's pull credentials" }]);
  t.equal(resolved.resolutions.size, 1, 'the image is still resolved');
});

t.test('a resolver that rejects for one image fails only that image', async (t) => {
  const resolver: ImageResolver = {
    resolve: async ({ reference }) => {
      if (canonicalReference(reference) === 'example.com/bad:1') throw new TypeError('boom');
      return FOUND;
    },
  };
  const { resolved, checks } = await run({ resolver }, ['example.com/bad:1', 'example.com/ok:1']);
  t.same(outcomes(resolved, checks), [undefined, 'found'], 'no resolution for the failed image');
  t.match(resolved.failures, [
    { class: 'unreachable', use: { name: 'c0' }, short: 'internal error checking example.com/bad:1; admitted anyway' },
  ]);
});

t.test('the review deadline: an answer that does not come in time is a timeout', async (t) => {
  const resolver: ImageResolver = { resolve: () => new Promise<Resolution>(() => undefined) };
  const deadline = new AbortController();
  setTimeout(() => deadline.abort(), 20);
  const { resolved, checks } = await run({ resolver }, ['example.com/slow:1'], deadline.signal);
  t.same(outcomes(resolved, checks), ['timeout']);
});

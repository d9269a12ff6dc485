import t from 'tap';
import { compactIndexPlatforms } from '../platform/index-platforms.js';
import { parsePlatform, type Platform } from '../platform/platform.js';
import { exemptMatcher, staticCheck, type RegistryCheck, type StaticCheck } from '../policy/static-findings.js';
import type { Resolution } from '../resolution/resolution.js';
import { extractPodSpec } from '../workload/extract-pod-spec.js';
import { findWorkloadKind } from '../workload/pod-spec-paths.js';
import { findingsStage, type FindingsInput } from './findings-stage.js';
import type { ImageResolved, Resolved } from './resolve-stage.js';
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

/** The stage's input for `images`, each resolved to the given answer (absent: not resolved). */
function scenario(
  images: [string, Resolution | undefined][],
  resolvedFields: Partial<Resolved> = {},
  hadCredentials = false,
) {
  const view = podView(images.map(([image]) => image));
  const checks: StaticCheck[] = view.uses.map((use) => staticCheck(use, exemptMatcher([])));
  const resolutions = new Map<StaticCheck, ImageResolved>();
  registryChecks(checks).forEach((check: RegistryCheck) => {
    const resolution = images[view.uses.indexOf(check.use)]?.[1];
    if (resolution) resolutions.set(check, { check, resolution, hadCredentials });
  });
  const resolved: Resolved = {
    resolutions,
    refusals: new Map(),
    credentialProblems: [],
    credentialsUncertain: false,
    candidates: undefined,
    failures: [],
    ...resolvedFields,
  };
  const input: FindingsInput = {
    uses: view.uses,
    checks,
    resolved,
    view,
    namespace: 'shop',
    nodeCredentials: () => false,
  };
  return { input, view };
}
const classes = (input: FindingsInput) =>
  findingsStage(input).map((f) => [f.use?.name ?? f.subject ?? f.path, f.class]);
const missing: Resolution = { outcome: 'not-found', missing: 'tag' };
const refused: Resolution = { outcome: 'unauthorized', reason: 'anonymous-refused' };

t.test("offline: only the static checks' findings", async (t) => {
  const { input } = scenario([
    ['nginx', undefined],
    ['example.com/a:1', undefined],
  ]);
  t.same(classes({ ...input, resolved: undefined }), [['c0', 'latestTag']]);
});

t.test(
  "pod-level findings first, then each use in the object's order: static findings before the registry's",
  async (t) => {
    const failure = { class: 'unreachable' as const, subject: "pod's platforms", cause: 'x.', short: 'x' };
    const { input } = scenario(
      [
        ['example.com/a:latest', missing],
        ['example.com/b:1', missing],
      ],
      {
        credentialProblems: [{ kind: 'missingPullSecret', secret: 'shop/regcred', why: 'not-found' }],
        failures: [failure],
      },
    );
    t.same(classes(input), [
      ['pull secret shop/regcred', 'missingPullSecret'],
      ["pod's platforms", 'unreachable'],
      ['c0', 'latestTag'],
      ['c0', 'notFound'],
      ['c1', 'notFound'],
    ]);
  },
);

t.test("a refusal is softened when the pod's pull credentials are uncertain", async (t) => {
  const certain = scenario([['example.com/a:1', refused]]).input;
  t.same(classes(certain), [['c0', 'unauthorized']]);
  const uncertain = scenario([['example.com/a:1', refused]], { credentialsUncertain: true }).input;
  t.same(classes(uncertain), [['c0', 'unreachable']]);
});

t.test('node credentials: asked only for a refusal without pod credentials', async (t) => {
  const asked: string[] = [];
  const nodeCredentials = (host: string) => (asked.push(host), true);
  const { input } = scenario([
    ['node.example.com/a:1', refused],
    ['other.example.com/b:1', { outcome: 'found' }],
  ]);
  t.same(classes({ ...input, nodeCredentials }), [['c0', 'nodeCredentials']]);
  t.same(asked, ['node.example.com'], 'a found image needs no lookup');
  const withSecrets = scenario([['node.example.com/a:1', refused]], {}, true).input;
  t.same(
    classes({ ...withSecrets, nodeCredentials }),
    [['c0', 'unauthorized']],
    'a pod credential was refused: a real refusal',
  );
});

t.test('credential providers: asked only for a refusal, with the ServiceAccount’s annotation keys', async (t) => {
  const asked: string[] = [];
  const quay = {
    name: 'quay',
    matchImages: ['quay.example.com'],
    tokenAttributes: {
      serviceAccountTokenAudience: 'quay.example.com',
      requireServiceAccount: true,
      requiredServiceAccountAnnotationKeys: ['quay.io/robot'],
      optionalServiceAccountAnnotationKeys: [],
      cacheType: 'ServiceAccount',
    },
  };
  const credentialProviders = (repository: string) => (asked.push(repository), [quay]);
  const images: [string, Resolution][] = [
    ['quay.example.com/team/a:1', refused],
    ['quay.example.com/team/b:1', { outcome: 'found' }],
    ['quay.example.com/team/c:1', missing],
  ];
  const lacking = scenario(images, { serviceAccountAnnotations: { status: 'found', keys: new Set(['other']) } }, true);
  t.same(classes({ ...lacking.input, credentialProviders }), [
    ['c0', 'missingServiceAccountAnnotation'],
    ['c2', 'missingServiceAccountAnnotation'],
    ['c2', 'notFound'],
  ]);
  t.same(
    asked,
    ['quay.example.com/team/a', 'quay.example.com/team/c'],
    'an image a pod secret serves is not matched against the providers',
  );
  const annotated = scenario(images, {
    serviceAccountAnnotations: { status: 'found', keys: new Set(['quay.io/robot']) },
  });
  t.same(classes({ ...annotated.input, credentialProviders }), [
    ['c0', 'nodeCredentials'],
    ['c2', 'notFound'],
  ]);
  const anonymous = scenario(images, { serviceAccountAnnotations: { status: 'found', keys: new Set() } });
  t.same(
    classes({ ...anonymous.input, credentialProviders }),
    [
      ['c0', 'missingServiceAccountAnnotation'],
      ['c1', 'missingServiceAccountAnnotation'],
      ['c2', 'missingServiceAccountAnnotation'],
      ['c2', 'notFound'],
    ],
    'the kubelet skips the provider whatever pullguard could read anonymously',
  );
  const uncertain = scenario(images, {
    credentialsUncertain: true,
    serviceAccountAnnotations: { status: 'found', keys: new Set() },
  });
  t.same(
    classes({ ...uncertain.input, credentialProviders }),
    [
      ['c0', 'unreachable'],
      ['c1', 'unreachable'],
      ['c2', 'unreachable'],
      ['c2', 'notFound'],
    ],
    'unreadable pull secrets soften the denial, as for any refusal',
  );
});

t.test("a found index is checked against the pod's platforms, when they are known", async (t) => {
  const p = (text: string): Platform => {
    const platform = parsePlatform(text);
    if (!platform) throw new Error(text);
    return platform;
  };
  const found: Resolution = { outcome: 'found', index: compactIndexPlatforms([p('linux/amd64')]) };
  t.same(
    classes(
      scenario([['example.com/a:1', found]], {
        candidates: { platforms: [p('linux/arm64')], source: 'nodes', notes: [] },
      }).input,
    ),
    [['c0', 'platformMismatch']],
  );
  t.same(classes(scenario([['example.com/a:1', found]]).input), [], 'platforms unknown: no platform check');
});

t.test("a throw while building one image's finding fails only that image", async (t) => {
  const poisoned = {
    outcome: 'not-found',
    missing: 'tag',
    get suggestions(): string[] {
      throw new RangeError('boom');
    },
  } as unknown as Resolution;
  const logged: object[] = [];
  const { input } = scenario([
    ['example.com/odd:1', poisoned],
    ['example.com/b:1', missing],
  ]);
  const findings = findingsStage({ ...input, log: { warn: (details) => void logged.push(details) } });
  t.same(
    findings.map((f) => [f.use?.name, f.class]),
    [
      ['c0', 'unreachable'],
      ['c1', 'notFound'],
    ],
  );
  t.equal(findings[0]?.short, 'internal error checking example.com/odd:1; admitted anyway');
  t.same(logged, [{ step: 'resolve', error: { name: 'RangeError' } }]);
});

/**
 * Custom resources that embed pod specs or containers (docs/design.md §1.1, §1.6), end to end through POST /validate
 * against the real Distribution registry: an Argo Workflow and a Tekton Task (built-in rows) and a kind known only
 * from the `workloads:` config key. Messages name the full field path; an UPDATE re-checks only what changed.
 */
import t from 'tap';
import { pushImage, startRegistry } from '../harness/registry/index.js';
import { admissionReview, startWebhookUnderTest } from '../helpers/engine-webhook.js';

const reg = await startRegistry({ mode: 'plain' });
t.teardown(() => reg.stop());
await pushImage(reg, { repository: 'team/step', tags: ['1.0', '1.1'], format: 'oci-manifest' });
const webhook = await startWebhookUnderTest({
  config: {
    registries: [{ host: reg.host, plainHttp: true }],
    credentials: { kubernetes: false },
    workloads: [{ group: 'example.com', kind: 'Widget', containers: ['spec.runners[*]'], podFields: 'spec.pod' }],
  },
});
t.teardown(() => webhook.close());

const image = (tag: string) => `${reg.host}/team/step:${tag}`;
const workflow = (name: string, tags: readonly string[]) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name, namespace: 'ci' },
  spec: {
    entrypoint: 't0',
    templates: tags.map((tag, i) => ({ name: `t${i}`, container: { image: image(tag), command: ['true'] } })),
  },
});
const task = (name: string, tags: readonly string[]) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: { name, namespace: 'ci' },
  spec: { steps: tags.map((tag, i) => ({ name: `s${i}`, image: image(tag) })) },
});
const widget = (name: string, tags: readonly string[]) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'ci' },
  spec: { runners: tags.map((tag, i) => ({ name: `r${i}`, image: image(tag) })) },
});
const messageOf = (answer: { body: any }): string => answer.body.response?.status?.message ?? '';

const cases = [
  {
    kind: 'Workflow',
    build: workflow,
    path: 'spec.templates[1].container.image',
    who: 'container',
  },
  { kind: 'Task', build: task, path: 'spec.steps[1].image', who: 'container "s1"' },
  { kind: 'Widget', build: widget, path: 'spec.runners[1].image', who: 'container "r1"' },
] as const;

for (const [index, { kind, build, path, who }] of cases.entries()) {
  t.test(`${kind}: a missing tag is denied with its field path, existing images are allowed`, async (t) => {
    const ok = await webhook.review(admissionReview(build('ok', ['1.0', '1.1'])));
    t.equal(ok.statusCode, 200);
    t.equal(ok.body.response.allowed, true, 'existing tags are allowed');
    t.same(ok.body.response.warnings ?? [], [], 'with no warning');

    const missing = await webhook.review(admissionReview(build('missing', ['1.0', '9.9'])));
    t.equal(missing.body.response.allowed, false);
    t.match(messageOf(missing), new RegExp(`^1 of 2 images in ${kind} ci/missing would fail to pull`));
    t.ok(messageOf(missing).includes(`- ${who} (${path}): "${image('9.9')}"`), `names ${path}`);
    t.match(messageOf(missing), /tag "9\.9" does not exist/);
    t.ok(JSON.parse(missing.body.response.auditAnnotations.findings)[0].path === path, 'the audit record too');
  });

  t.test(`${kind}: an UPDATE that changes one image re-checks only that use`, async (t) => {
    const old = build('upd', ['0.1', '1.0']);
    const before = await reg.manifestRequests();
    const changed = await webhook.review(
      admissionReview(build('upd', ['0.1', `7.${index}`]), { operation: 'UPDATE', oldObject: old }),
    );
    t.equal(changed.body.response.allowed, false, 'the changed use is checked');
    t.match(messageOf(changed), new RegExp(`^1 of 1 image in ${kind} ci/upd`), 'and only that one');
    t.ok(messageOf(changed).includes(`(${path})`));
    t.notOk(messageOf(changed).includes(image('0.1')), 'the unchanged missing tag is not re-checked');
    const unchanged = await webhook.review(
      admissionReview(build('upd', ['0.1', '1.0']), { operation: 'UPDATE', oldObject: old }),
    );
    t.equal(unchanged.body.response.allowed, true, 'an UPDATE that changes no image is allowed');
    t.equal(
      await reg.manifestRequests(),
      before + 1,
      'the registry was asked about the changed image only (a fresh tag)',
    );
  });
}

t.test('metrics count checked custom kinds by name, other kinds as other', async (t) => {
  const unknown = await webhook.review(
    admissionReview({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: {} }),
  );
  t.equal(unknown.body.response.allowed, true);
  const metrics = await webhook.metrics();
  for (const kind of ['Workflow', 'Task', 'Widget', 'other'])
    t.match(metrics, new RegExp(`pullguard_admission_requests_total\\{[^}]*kind="${kind}"`), kind);
  t.notMatch(metrics, /kind="Gadget"/);
});

t.test('a custom object the API server could not have sent is a 400, as for built-in kinds', async (t) => {
  const bad = { ...workflow('bad', ['1.0']), spec: { templates: 'x' } };
  const answer = await webhook.review(admissionReview(bad));
  t.equal(answer.statusCode, 400);
  t.match(answer.body, {
    error: { code: 'INVALID_OBJECT', message: /invalid Workflow in AdmissionReview: spec\.templates/ },
  });
  const badStep = { ...task('bad', ['1.0']), spec: { steps: [{ name: 's', image: 42 }] } };
  const stepAnswer = await webhook.review(admissionReview(badStep));
  t.equal(stepAnswer.statusCode, 400);
  t.match(stepAnswer.body, { error: { code: 'INVALID_OBJECT', message: /spec\.steps\[0\]\.image must be a string/ } });
});

t.test("a private image: the fix names the custom resource's own imagePullSecrets field", async (t) => {
  const tokens = await startRegistry({ mode: 'token' });
  t.teardown(() => tokens.stop());
  await pushImage(tokens, { repository: 'team/private', tags: ['1'], format: 'oci-manifest' });
  const anonymous = await startWebhookUnderTest({
    config: { registries: [{ host: '127.0.0.1:*', caFile: tokens.caFile }], credentials: { kubernetes: false } },
  });
  t.teardown(() => anonymous.close());
  const privateImage = `${tokens.host}/team/private:1`;
  const argo = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: 'private', namespace: 'ci' },
    spec: { templates: [{ name: 'main', container: { image: privateImage } }] },
  };
  const run = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'private', namespace: 'ci' },
    spec: { pipelineSpec: { tasks: [{ name: 'build', taskSpec: { steps: [{ name: 'b', image: privateImage }] } }] } },
  };
  const bareTask = {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: 'private', namespace: 'ci' },
    spec: { steps: [{ name: 'b', image: privateImage }] },
  };
  for (const [object, fix] of [
    [argo, 'then list it under spec.imagePullSecrets or on service account "default"'],
    [run, 'then list it under spec.taskRunTemplate.podTemplate.imagePullSecrets or on service account "default"'],
    [bareTask, 'then list it in the imagePullSecrets of what runs this object'],
  ] as const) {
    const answer = await anonymous.review(admissionReview(object));
    t.equal(answer.body.response.allowed, false, `${object.kind}: denied`);
    t.ok(messageOf(answer).includes(fix), `${object.kind}: ${fix}`);
    t.notMatch(messageOf(answer), /spec\.template\.spec/);
  }
});

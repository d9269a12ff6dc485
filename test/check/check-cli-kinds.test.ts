/**
 * `pullguard check` in-process, with fake stdio: which kinds are checked, ignored or skipped (with a note, and a
 * JSON record). Offline throughout.
 */
import t from 'tap';
import { checkCli } from '../../src/cli/check-cli.js';
import { pod } from './check-manifests.js';
import { fakeIo } from './fake-io.js';
import { parseAllRecords, parseRecords } from './record-schema.js';

t.test('skipped objects are JSON records too', async (t) => {
  const io = fakeIo({ stdin: `apiVersion: example.com/v1\nkind: Widget\n---\n${pod('p', 'nginx:1.25')}` });
  t.equal(await checkCli(['-f', '-', '--offline', '-o', 'json'], io), 0);
  const [skip, use] = parseAllRecords(t, io.out());
  t.same([skip?.record, skip?.line, use?.record], ['skip', 1, 'use']);
  t.match(skip?.message, /Widget \(example\.com\/v1\) is not a kind pullguard checks/);
});

t.test('unknown kinds are skipped with a note on stderr; in JSON mode stdout holds only records', async (t) => {
  const stdin = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: r}\n---\n- just\n- a list\n---\n${pod('p', 'nginx:1.25')}`;
  for (const output of ['text', 'json']) {
    const io = fakeIo({ stdin });
    t.equal(await checkCli(['-f', '-', '--offline', '-o', output], io), 0, output);
    t.match(
      io.err(),
      /^note: <stdin>:1: Application \(argoproj\.io\/v1alpha1\) is not a kind pullguard checks; skipped\nnote: <stdin>:5: not a Kubernetes object \(a list\); skipped\n$/,
      `${output}: notes`,
    );
    if (output === 'json') t.equal(parseRecords(t, io.out()).length, 1);
    else t.match(io.out(), /OK {4}Pod default\/p \(line 8\)/);
  }
});

t.test('pods owned by a checked controller are skipped, as the webhook does', async (t) => {
  const owned = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, controller: true, uid: x}]\nspec:\n  containers: [{name: c, image: "Bad:Image"}]\n`;
  const io = fakeIo({ stdin: owned });
  t.equal(await checkCli(['-f', '-', '--offline'], io), 0);
  t.match(io.out(), /SKIP {2}Pod default\/web-1 \(line 1\): owned by ReplicaSet web/);
  t.match(io.out(), /0 objects, 0 images: 0 denied, 0 warnings; 1 skipped/);
});

t.test('legacy API groups a repository still holds are checked as their apps and batch kinds', async (t) => {
  const legacy = (apiVersion: string, kind: string, name: string, image: string, jobTemplate = false) => {
    const podTemplate = `template:\n  spec:\n    containers:\n      - name: c\n        image: ${image}\n`;
    const spec = jobTemplate ? `jobTemplate:\n  spec:\n${indent(podTemplate, 4)}` : podTemplate;
    return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${indent(spec, 2)}`;
  };
  const stdin = [
    legacy('extensions/v1beta1', 'DaemonSet', 'agent', 'Bad:1'),
    legacy('extensions/v1beta1', 'Deployment', 'web', 'nginx:1.25'),
    legacy('extensions/v1beta1', 'ReplicaSet', 'web-1', 'nginx:1.25'),
    legacy('apps/v1beta2', 'StatefulSet', 'db', 'postgres:16'),
    legacy('batch/v1beta1', 'CronJob', 'nightly', 'busybox:1.36', true),
    legacy('batch/v2alpha1', 'CronJob', 'hourly', 'busybox:1.36', true),
    'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\n',
  ].join('---\n');
  const io = fakeIo({ stdin });
  t.equal(await checkCli(['-f', '-', '--offline', '-o', 'json'], io), 1, 'the DaemonSet is denied');
  t.equal(io.err(), '', 'no note: every kind is checked, the Ingress ignored quietly');
  t.same(
    parseRecords(t, io.out()).map((r) => [r.object.kind, r.object.name, r.path, r.verdict]),
    [
      ['DaemonSet', 'agent', 'spec.template.spec.containers[0].image', 'deny'],
      ['Deployment', 'web', 'spec.template.spec.containers[0].image', 'allow'],
      ['ReplicaSet', 'web-1', 'spec.template.spec.containers[0].image', 'allow'],
      ['StatefulSet', 'db', 'spec.template.spec.containers[0].image', 'allow'],
      ['CronJob', 'nightly', 'spec.jobTemplate.spec.template.spec.containers[0].image', 'allow'],
      ['CronJob', 'hourly', 'spec.jobTemplate.spec.template.spec.containers[0].image', 'allow'],
    ],
  );
});

t.test('an empty List or typed list (a PodList with items: []) is no object and needs no note', async (t) => {
  const stdin = `apiVersion: v1\nkind: PodList\nitems: []\n---\napiVersion: v1\nkind: List\nitems:\n---\n${pod('p', 'nginx:1.25')}`;
  for (const output of ['text', 'json']) {
    const io = fakeIo({ stdin });
    t.equal(await checkCli(['-f', '-', '--offline', '-o', output], io), 0, output);
    t.equal(io.err(), '', `${output}: no note`);
    if (output === 'json')
      t.same(
        parseAllRecords(t, io.out()).map((r) => r.record),
        ['use'],
      );
    else t.match(io.out(), /\n1 object, 1 image: 0 denied/);
  }
});

function indent(text: string, spaces: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(spaces));
}

import t from 'tap';
import type { DiagnoseReport, PodDiagnosis } from './report.js';
import { renderDiagnoseText } from './render-text.js';
import {
  DISK_FULL_POD,
  FIXED_SINCE_POD,
  FULL_REPORT,
  HOSTILE_POD,
  MISSING_TAG_POD,
  NOT_FOUND_EVENT,
} from '../../test/diagnose/diagnose-reports.js';

const EMPTY: DiagnoseReport = { pods: [], notFailing: [], problems: [], unread: [] };
const only = (pod: PodDiagnosis): DiagnoseReport => ({ ...EMPTY, pods: [pod] });
const plain = (report: DiagnoseReport): string => renderDiagnoseText(report, { color: false });
const lines = (report: DiagnoseReport): string[] => plain(report).split('\n');

t.test('a missing tag: the pod, what the node saw, the classified error, the verdict and the fix', async (t) => {
  t.equal(
    plain(only(MISSING_TAG_POD)),
    [
      'Pod:              shop/web-7d9c8b6f5-x2x7q',
      'Owner:            Deployment web',
      'Node:             n1 (linux/arm64, containerd://2.1.4)',
      'Service account:  default',
      'Pull secrets:     <none>',
      'Containers:',
      '  app:',
      '    Image:          ghcr.io/acme/shop:1.4.3 (pull policy IfNotPresent)',
      '    Waiting:        ImagePullBackOff',
      '    Message:        Back-off pulling image "ghcr.io/acme/shop:1.4.3"',
      '    Failed event:   ×4, 5m30s ago (kubelet on n1)',
      `                    ${NOT_FOUND_EVENT}`,
      '    BackOff event:  ×41, 12s ago (kubelet)',
      '                    Back-off pulling image "ghcr.io/acme/shop:1.4.3"',
      '    Runtime error:  not found (containerd) → notFound',
      '    pullguard now:  notFound: tag "1.4.3" does not exist in ghcr.io/acme/shop; the closest existing tags are 1.4.2, 1.4.1.',
      '    Verdict:        still broken',
      '                    tag "1.4.3" does not exist in ghcr.io/acme/shop; the closest existing tags are 1.4.2, 1.4.1.',
      '    Fix:',
      '      1. use the closest existing tag, 1.4.2',
      '           kubectl set image deployment/web app=ghcr.io/acme/shop:1.4.2 -n shop',
      '',
      '1 pod failing (1 container).',
      '',
    ].join('\n'),
  );
});

t.test('a full disk is labelled node-side, with its age as kubectl prints it', async (t) => {
  const out = lines(only(DISK_FULL_POD));
  t.ok(out.includes('    Runtime error:  node-side: disk full (containerd)'));
  t.ok(out.includes('    Failed event:   ×2, 2d3h ago'));
  t.ok(out.includes('    pullguard now:  the image resolves with no problem'));
  t.ok(out.includes('    Verdict:        node-side'));
  t.ok(out.includes('    Fix:            no command to run: see the verdict'));
  t.ok(out.includes('Pull secrets:     dockerhub'));
});

t.test('fixed since: the verdict, and the command that retries at once', async (t) => {
  const out = lines(only(FIXED_SINCE_POD));
  t.ok(out.includes('Owner:            <none>'));
  t.ok(out.includes('Node:             n3 (linux/arm64/v8, cri-o://1.34.1)'));
  t.ok(out.includes('    Runtime error:  access denied (cri-o)'));
  const verdict = out.indexOf('    Verdict:        fixed since');
  t.match(out[verdict + 1], /^ {20}the registry accepts the pod's credentials now\./);
  t.ok(out.includes('           kubectl delete pod report -n jobs'));
});

t.test('an engine that could not check says why; a node not read shows its name only', async (t) => {
  const out = lines(only(HOSTILE_POD));
  t.ok(out.includes('Node:             n1'));
  t.ok(out.some((l) => l.startsWith('    pullguard now:  not checked: the registry did not answer within 10s')));
  t.ok(out.includes('    Verdict:        the two views disagree'));
  t.ok(out.includes('    Runtime error:  not recognised'));
});

t.test('a hostile message cannot clear the screen, move the cursor or forge a line', async (t) => {
  const text = plain(only(HOSTILE_POD));
  t.notOk(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u.test(text), 'no control character but line feeds');
  const out = text.split('\n');
  t.ok(
    out.includes(
      '    Message:        Failed to pull image "evil/x:1"\\x1b[2J\\x1b[H: fine\\rPod:              shop/forged',
    ),
  );
  t.ok(out.includes('                    Verdict:        fixed since'), 'its second line is indented under its label');
  t.same(
    out.filter((l) => /^ {0,4}(Pod|Verdict):/.test(l)),
    ['Pod:              evil/x', '    Verdict:        the two views disagree'],
    'the only headings are pullguard’s own',
  );
  t.ok(out.includes('Owner:            Deployment x\\x1b]0;owned\\x07'));
  t.ok(out.some((l) => l.endsWith('within 10s\\r\\x1b[2K')));
});

t.test('every command is printed whole on a line of its own, never coloured', async (t) => {
  const commands = FULL_REPORT.pods.flatMap((p) =>
    p.containers.flatMap((c) => c.fix.steps.flatMap((s) => (s.command === undefined ? [] : [s.command]))),
  );
  t.ok(commands.length >= 2);
  for (const color of [false, true]) {
    const out = renderDiagnoseText(FULL_REPORT, { color }).split('\n');
    for (const command of commands)
      t.ok(
        out.some((l) => /^ +\S/.test(l) && l.trimStart() === command),
        command,
      );
  }
});

t.test('the steps of a fix are numbered, each command under its step', async (t) => {
  const [app] = MISSING_TAG_POD.containers;
  if (app === undefined) throw new Error('fixture');
  const pod: PodDiagnosis = {
    ...MISSING_TAG_POD,
    containers: [
      {
        ...app,
        section: 'initContainers',
        fix: {
          steps: [
            { say: 'create the secret', command: 'kubectl create secret docker-registry ghcr-io-pull -n shop' },
            { say: 'free space on\nthe node' },
            { say: 'list it', command: `kubectl patch deployment web -n shop -p '{"spec":{}}'` },
          ],
          problems: [],
        },
      },
    ],
  };
  const out = lines(only(pod));
  const at = out.indexOf('    Fix:');
  t.same(out.slice(at, at + 7), [
    '    Fix:',
    '      1. create the secret',
    '           kubectl create secret docker-registry ghcr-io-pull -n shop',
    '      2. free space on',
    '         the node',
    '      3. list it',
    `           kubectl patch deployment web -n shop -p '{"spec":{}}'`,
  ]);
  t.ok(out.includes('  app (init container):'));
});

t.test('the targets not failing, the reads that failed and the problems follow the pods', async (t) => {
  const out = lines(FULL_REPORT);
  const tail = out.slice(out.indexOf('Not failing:'));
  t.same(tail, [
    'Not failing:',
    '  pod shop/api-5c6f8-qq9zt is not failing: its containers have their images.',
    'Could not read:',
    '  cannot read events in namespace shop: forbidden',
    'Problems:',
    '  pod shop/gone does not exist',
    '',
    '4 pods failing (4 containers); 1 target could not be diagnosed.',
    '',
  ]);
  t.equal(out.filter((l) => l.startsWith('Pod:')).length, 4);
});

t.test('nothing failing and no problem is said in one line', async (t) => {
  t.equal(plain(EMPTY), 'Nothing is failing: no container is waiting on an image pull.\n');
  const healthy = plain({ ...EMPTY, notFailing: ['pod shop/web is not failing: its containers have their images.'] });
  t.equal(
    healthy,
    'Not failing:\n  pod shop/web is not failing: its containers have their images.\n\nNothing is failing: no container is waiting on an image pull.\n',
  );
  t.equal(
    plain({ ...EMPTY, problems: ['pod shop/gone does not exist'] })
      .split('\n')
      .at(-2),
    '0 pods failing (0 containers); 1 target could not be diagnosed.',
  );
});

t.test('colour marks headings and verdicts when asked, and nothing else changes', async (t) => {
  const coloured = renderDiagnoseText(FULL_REPORT, { color: true });
  t.match(coloured, '\u001b[1mPod:              shop/web-7d9c8b6f5-x2x7q\u001b[0m');
  t.match(coloured, '\u001b[31mstill broken\u001b[0m');
  t.match(coloured, '\u001b[32mfixed since\u001b[0m');
  t.match(coloured, '\u001b[33mnode-side\u001b[0m');
  t.match(coloured, '\u001b[31mProblems:\u001b[0m');
  t.equal(coloured.replace(/\u001b\[\d+m/g, ''), plain(FULL_REPORT));
  t.notOk(plain(FULL_REPORT).includes('\u001b'), 'no colour code at all without colour');
});

t.test('a long message is printed whole', async (t) => {
  const [app] = MISSING_TAG_POD.containers;
  if (app === undefined) throw new Error('fixture');
  const long = `Back-off pulling image "${'a'.repeat(5000)}"`;
  const out = plain(only({ ...MISSING_TAG_POD, containers: [{ ...app, waiting: { ...app.waiting, message: long } }] }));
  t.ok(out.includes(`    Message:        ${long}\n`));
});

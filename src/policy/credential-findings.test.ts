import t from 'tap';
import { credentialFinding } from './credential-findings.js';

const pod = { podSpecPath: 'spec.template.spec', imagePullSecrets: ['other', 'regcred'] };

t.test("a pod-level finding points at the field to fix: the secret's entry, else serviceAccountName", async (t) => {
  const path = (problem: Parameters<typeof credentialFinding>[0]) => credentialFinding(problem, 'Deployment', pod).path;
  t.equal(
    path({ kind: 'missingPullSecret', secret: 'shop/regcred', why: 'not-found' }),
    'spec.template.spec.imagePullSecrets[1]',
  );
  t.equal(
    path({ kind: 'invalidPullSecret', secret: 'shop/other', problem: 'bad base64' }),
    'spec.template.spec.imagePullSecrets[0]',
  );
  t.equal(
    path({ kind: 'missingPullSecret', secret: 'shop/from-sa', why: 'wrong-type', type: 'Opaque' }),
    'spec.template.spec.serviceAccountName',
    "the service account's secret",
  );
  t.equal(
    path({ kind: 'missingServiceAccount', serviceAccount: 'shop/builder' }),
    'spec.template.spec.serviceAccountName',
  );
  const failed = { kind: 'readFailed', reason: 'timeout', message: 'slow' } as const;
  t.equal(path({ ...failed, what: 'secret', name: 'shop/regcred' }), 'spec.template.spec.imagePullSecrets[1]');
  t.equal(
    path({ ...failed, what: 'serviceaccount', name: 'shop/regcred' }),
    'spec.template.spec.serviceAccountName',
    'a service account read, even with a secret-like name',
  );
});

t.test('an object without pod-level fields (a Tekton Task): the finding names no field', async (t) => {
  const finding = credentialFinding({ kind: 'missingServiceAccount', serviceAccount: 'ci/default' }, 'Task', {
    podSpecPath: undefined,
    imagePullSecrets: [],
  });
  t.equal(finding.path, undefined);
  t.notOk('path' in finding);
  t.match(finding.cause, /the pods of this Task/);
});

t.test('a pull secret name no Secret can have is quoted, and shown only in part when long', async (t) => {
  const fields = { podSpecPath: 'spec', imagePullSecrets: ['', '.', 'x'.repeat(5000)] };
  const dot = credentialFinding({ kind: 'missingPullSecret', secret: 'shop/.', why: 'invalid-name' }, 'Pod', fields);
  t.match(dot, {
    class: 'missingPullSecret',
    path: 'spec.imagePullSecrets[1]',
    subject: 'pull secret shop/"."',
    cause:
      'imagePullSecret "." in namespace shop is not a valid Secret name, so no such Secret can exist; the kubelet skips it.',
    fix: /^Fix: correct the name/,
  });
  const long = credentialFinding(
    { kind: 'missingPullSecret', secret: `shop/${'x'.repeat(5000)}`, why: 'invalid-name' },
    'Pod',
    fields,
  );
  t.equal(long.path, 'spec.imagePullSecrets[2]');
  t.ok(JSON.stringify(long).length < 1000, 'bounded text');
  t.match(long.short, /"x{100}"… \(5000 characters\) in namespace shop/);
});

t.test("a secret over pullguard's limits says so, and does not claim the kubelet fails", async (t) => {
  const finding = credentialFinding(
    {
      kind: 'invalidPullSecret',
      secret: 'shop/huge',
      problem: '.dockerconfigjson is larger than 1 MiB, the most a Secret can hold',
      overLimit: true,
    },
    'Pod',
    pod,
  );
  // The kubelet may use such a secret: pullguard cannot verify with it, so it warns (class unreachable), never denies.
  t.match(finding, {
    class: 'unreachable',
    subject: 'pull secret shop/huge',
    cause:
      'imagePullSecret shop/huge is more than pullguard evaluates (.dockerconfigjson is larger than 1 MiB, the most a Secret can hold); credentials from it were not checked.',
  });
  t.notMatch(finding.cause, /kubelet/);
});

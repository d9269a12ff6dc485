import t from 'tap';
import { credentialFinding } from './credential-findings.js';

const pod = { podSpecPath: 'spec.template.spec', imagePullSecrets: ['other', 'regcred'] };

t.test("a pod-level finding points at the field to fix: the secret's entry, else serviceAccountName", async (t) => {
  const path = (problem: Parameters<typeof credentialFinding>[0]) => credentialFinding(problem, 'Deployment', pod).path;
  t.equal(path({ kind: 'missingPullSecret', secret: 'shop/regcred', why: 'not-found' }), 'spec.template.spec.imagePullSecrets[1]');
  t.equal(path({ kind: 'invalidPullSecret', secret: 'shop/other', problem: 'bad base64' }), 'spec.template.spec.imagePullSecrets[0]');
  t.equal(path({ kind: 'missingPullSecret', secret: 'shop/from-sa', why: 'wrong-type', type: 'Opaque' }), 'spec.template.spec.serviceAccountName', "the service account's secret");
  t.equal(path({ kind: 'missingServiceAccount', serviceAccount: 'shop/builder' }), 'spec.template.spec.serviceAccountName');
  const failed = { kind: 'readFailed', reason: 'timeout', message: 'slow' } as const;
  t.equal(path({ ...failed, what: 'secret', name: 'shop/regcred' }), 'spec.template.spec.imagePullSecrets[1]');
  t.equal(path({ ...failed, what: 'serviceaccount', name: 'shop/regcred' }), 'spec.template.spec.serviceAccountName', 'a service account read, even with a secret-like name');
});

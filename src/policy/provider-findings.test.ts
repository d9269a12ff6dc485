import t from 'tap';
import { providerFinding, type ProviderFindingContext } from './provider-findings.js';

const ctx: ProviderFindingContext = {
  canonical: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.0',
  domain: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  namespace: 'shop',
  serviceAccountName: 'builder',
};

t.test('a called provider: node credentials, not verified, naming the provider and the config key', async (t) => {
  t.equal(providerFinding(undefined, ctx), undefined);
  t.same(providerFinding({ kind: 'called', provider: 'ecr-credential-provider' }, ctx), {
    class: 'nodeCredentials',
    cause:
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.0 matches credential provider ecr-credential-provider (credentials.credentialProviderConfig), whose credentials only the node has; not verified.',
    short:
      'unverified: credential provider ecr-credential-provider pulls 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.0 with node credentials',
  });
});

t.test('missing annotations: the service account, the provider, the keys and the kubectl fix', async (t) => {
  const one = providerFinding({ kind: 'missingAnnotations', provider: 'quay', keys: ['quay.io/robot'] }, ctx);
  t.match(one, {
    class: 'missingServiceAccountAnnotation',
    cause:
      /requires the annotation quay\.io\/robot on the pod's service account, and service account shop\/builder lacks it: the kubelet does not call the provider/,
    fix: 'Fix: kubectl annotate serviceaccount builder -n shop quay.io/robot=<value>',
    short: 'service account shop/builder lacks annotation quay.io/robot (credential provider quay)',
  });
  const two = providerFinding(
    { kind: 'missingAnnotations', provider: 'quay', keys: ['a.example/x', 'b.example/y'] },
    { ...ctx, serviceAccountName: '' },
  );
  t.match(two, {
    cause: /requires the annotations a\.example\/x, b\.example\/y .* service account shop\/default lacks them/,
    fix: 'Fix: kubectl annotate serviceaccount default -n shop a.example/x=<value> b.example/y=<value>',
  });
});

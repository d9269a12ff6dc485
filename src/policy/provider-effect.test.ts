import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseCredentialProviderConfig, type CredentialProvider } from '../credentials/credential-provider-config.js';
import type { ServiceAccountAnnotations } from '../credentials/pull-credentials.js';
import { providerEffect } from './provider-effect.js';

const FIXTURES = new URL('../../test/fixtures/credential-providers/', import.meta.url);

function providersOf(name: string): readonly CredentialProvider[] {
  const parsed = parseCredentialProviderConfig(readFileSync(new URL(name, FIXTURES), 'utf8'), name);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.providers;
}

t.test('the kubelet calls a provider unless its ServiceAccount is missing or lacks a required key', async (t) => {
  const [quay, ecr] = providersOf('kep-4412-service-account-token.yaml') as [CredentialProvider, CredentialProvider];
  const found = (...keys: string[]): ServiceAccountAnnotations => ({ status: 'found', keys: new Set(keys) });
  t.same(providerEffect([], found()), undefined, 'no provider matches');
  t.same(providerEffect([ecr], found()), { kind: 'called', provider: 'ecr-credential-provider' });
  t.same(providerEffect([ecr], { status: 'not-found' }), { kind: 'called', provider: 'ecr-credential-provider' });
  t.same(providerEffect([quay], found('quay.io/federated-robot-account')), {
    kind: 'called',
    provider: 'quay-credential-provider',
  });
  t.same(providerEffect([quay], found('quay.io/host')), {
    kind: 'missingAnnotations',
    provider: 'quay-credential-provider',
    keys: ['quay.io/federated-robot-account'],
  });
  t.same(
    providerEffect([quay], found('Quay.io/federated-robot-account')),
    {
      kind: 'missingAnnotations',
      provider: 'quay-credential-provider',
      keys: ['quay.io/federated-robot-account'],
    },
    'annotation keys are case-sensitive',
  );
  t.same(
    providerEffect([quay], { status: 'not-found' }),
    undefined,
    'a missing ServiceAccount: the plugin is not called',
  );
  t.same(
    providerEffect([quay], undefined),
    { kind: 'called', provider: 'quay-credential-provider' },
    'unknown: assumed called',
  );
  t.same(
    providerEffect([quay, ecr], found()),
    { kind: 'called', provider: 'ecr-credential-provider' },
    'another provider still runs',
  );
});

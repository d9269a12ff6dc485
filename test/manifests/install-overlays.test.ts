/**
 * The two ways to install certificates render correctly: the cert-manager overlay, and a local overlay over the
 * base with the Secret and caBundle patch written by `pullguard certs --manifests` (docs/install.md).
 */
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runCertsCommand } from '../../src/certs/certs-command.js';
import { at, kustomize, single } from './render-manifests.js';
import { validateAgainstSchema } from './schema-validate.js';

const MANIFESTS = fileURLToPath(new URL('../../manifests/', import.meta.url));

t.test('cert-manager overlay: CA chain, serving Certificate for the Secret, caBundle injection', async (t) => {
  const objects = await kustomize(join(MANIFESTS, 'overlays', 'cert-manager'));
  const base = await kustomize(MANIFESTS);
  t.equal(objects.length, base.length + 4, 'the base plus two Issuers and two Certificates');
  const certificate = single(objects, 'Certificate', 'pullguard-tls');
  t.equal(certificate.metadata.namespace, 'pullguard');
  t.equal(at(certificate, ['spec', 'secretName']), 'pullguard-tls', 'the Secret the Deployment mounts');
  t.ok((at(certificate, ['spec', 'dnsNames']) as string[]).includes('pullguard.pullguard.svc'));
  t.match(at(certificate, ['spec', 'usages']), ['server auth']);
  const issuerName = at(certificate, ['spec', 'issuerRef', 'name']);
  const issuer = single(objects, 'Issuer', String(issuerName));
  t.match(at(issuer, ['spec', 'ca']), { secretName: 'pullguard-ca' }, 'signed by a CA, so renewals keep the caBundle');
  t.equal(at(single(objects, 'Certificate', 'pullguard-ca'), ['spec', 'isCA']), true);
  const webhook = single(objects, 'ValidatingWebhookConfiguration', 'pullguard');
  t.equal(webhook.metadata.annotations?.['cert-manager.io/inject-ca-from'], 'pullguard/pullguard-tls');
  t.equal((at(webhook, ['webhooks']) as unknown[]).length, 1, 'the patch did not replace the webhook list');
  t.equal(at(webhook, ['webhooks', 0, 'failurePolicy']), 'Ignore');
});

t.test(
  'a local overlay with the output of `pullguard certs --manifests` sets the Secret and the caBundle',
  async (t) => {
    const dir = t.testdir();
    const result = await runCertsCommand({ out: join(dir, 'certs'), manifests: true }, { stdout: () => {} });
    await writeFile(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        // kustomize takes relative paths only; the base is any directory, here the repository's manifests/.
        `  - ${relative(dir, MANIFESTS)}`,
        '  - certs/secret.yaml',
        'patches:',
        '  - path: certs/webhook-cabundle-patch.yaml',
        '',
      ].join('\n'),
    );
    const objects = await kustomize(dir);
    const webhook = single(objects, 'ValidatingWebhookConfiguration', 'pullguard');
    t.equal((at(webhook, ['webhooks']) as unknown[]).length, 1, 'the patch names the existing webhook');
    t.equal(at(webhook, ['webhooks', 0, 'clientConfig', 'caBundle']), result.caBundle);
    t.match(
      at(webhook, ['webhooks', 0]),
      {
        name: 'images.pullguard.io',
        failurePolicy: 'Ignore',
        clientConfig: { service: { name: 'pullguard', path: '/validate' } },
      },
      'merged by name: the rest of the webhook is intact',
    );
    t.equal((at(webhook, ['webhooks', 0, 'rules']) as unknown[]).length, 3, 'rules kept');
    const secret = single(objects, 'Secret', 'pullguard-tls');
    t.doesNotThrow(() => validateAgainstSchema(secret));
    t.equal(secret.type, 'kubernetes.io/tls');
    const cert = new X509Certificate(Buffer.from(String(at(secret, ['data', 'tls.crt'])), 'base64'));
    t.equal(cert.checkHost('pullguard.pullguard.svc'), 'pullguard.pullguard.svc');
    const ca = new X509Certificate(Buffer.from(result.caBundle, 'base64'));
    t.ok(cert.verify(ca.publicKey), 'the caBundle verifies the served certificate');
  },
);

t.test(
  'an overlay can replace config.yaml (docs/install.md step 5), and the Deployment follows the new name',
  async (t) => {
    const dir = t.testdir({
      'config.yaml':
        'mode: enforce\ntls: {certFile: /etc/pullguard/tls/tls.crt, keyFile: /etc/pullguard/tls/tls.key}\n',
    });
    await writeFile(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        `  - ${relative(dir, MANIFESTS)}`,
        'configMapGenerator:',
        '  - name: pullguard-config',
        '    namespace: pullguard',
        '    behavior: replace',
        '    files:',
        '      - config.yaml',
        '',
      ].join('\n'),
    );
    const objects = await kustomize(dir);
    const base = single(await kustomize(MANIFESTS), 'ConfigMap');
    const configMap = single(objects, 'ConfigMap');
    t.match(at(configMap, ['data', 'config.yaml']), /^mode: enforce/);
    t.not(configMap.metadata.name, base.metadata.name, 'a new name, so the Deployment rolls');
    t.match(at(single(objects, 'Deployment'), ['spec', 'template', 'spec', 'volumes']), [
      { name: 'config', configMap: { name: configMap.metadata.name } },
    ]);
  },
);

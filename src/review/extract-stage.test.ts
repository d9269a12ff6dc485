import t from 'tap';
import { extractStage, type ExtractInput } from './extract-stage.js';

const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const deployment = (images: string[], metadata: object = { name: 'web' }) => ({
  metadata,
  spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});
const input = (overrides: Partial<ExtractInput> = {}): ExtractInput => ({
  kind: DEPLOYMENT,
  operation: 'CREATE',
  namespace: 'shop',
  object: deployment(['example.com/app:1']),
  ...overrides,
});

t.test('a kind without a pod spec, or a request that needs no check, is skipped with its reason', async (t) => {
  t.same(extractStage(input({ kind: { group: '', kind: 'ConfigMap' } })), {
    status: 'skipped',
    reason: 'kind ConfigMap carries no pod spec pullguard checks',
  });
  t.same(extractStage(input({ operation: 'DELETE' })), {
    status: 'skipped',
    reason: 'operation DELETE is not checked',
  });
  t.same(extractStage(input({ subResource: 'scale' })), {
    status: 'skipped',
    reason: 'subresource scale is not checked',
  });
});

t.test('an object pullguard cannot read is invalid, with the problem', async (t) => {
  t.match(extractStage(input({ object: 'not an object' })), { status: 'invalid', problem: /must be an object/ });
});

t.test('a checked object yields its pod spec, the uses to check, the namespace and a label for messages', async (t) => {
  const extracted = extractStage(input({ object: deployment(['example.com/a:1', 'example.com/b:1']) }));
  if (extracted.status !== 'extracted') throw new Error(`expected an extraction, got ${extracted.status}`);
  t.same(
    extracted.uses.map((use) => use.image),
    ['example.com/a:1', 'example.com/b:1'],
  );
  t.equal(extracted.view.podSpecPath, 'spec.template.spec');
  t.equal(extracted.namespace, 'shop');
  t.equal(extracted.objectLabel, 'Deployment shop/web');
});

t.test("the namespace falls back to the object's, then to default; the name to generateName", async (t) => {
  const fromObject = extractStage(
    input({ namespace: '', object: deployment(['example.com/a:1'], { generateName: 'web-', namespace: 'team' }) }),
  );
  t.match(fromObject, { status: 'extracted', namespace: 'team', objectLabel: 'Deployment team/web-' });
  t.match(extractStage(input({ namespace: '', object: deployment(['example.com/a:1'], {}) })), {
    status: 'extracted',
    namespace: 'default',
    objectLabel: 'Deployment default/<unnamed>',
  });
});

t.test('on UPDATE only new or changed image uses are checked', async (t) => {
  const extracted = extractStage(
    input({
      operation: 'UPDATE',
      object: deployment(['example.com/a:2', 'example.com/b:1']),
      oldObject: deployment(['example.com/a:1', 'example.com/b:1']),
    }),
  );
  t.match(extracted, { status: 'extracted' });
  if (extracted.status === 'extracted')
    t.same(
      extracted.uses.map((use) => use.image),
      ['example.com/a:2'],
    );
});

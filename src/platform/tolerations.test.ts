import t from 'tap';
import type { Toleration } from '../workload/extract-pod-spec.js';
import { toleratesTaint, untoleratedTaints, type Taint } from './tolerations.js';

const armTaint: Taint = { key: 'arch', value: 'arm64', effect: 'NoSchedule' };

t.test('toleratesTaint follows core/v1 Toleration.ToleratesTaint', async (t) => {
  const table: [string, Toleration, boolean][] = [
    ['Equal, same key/value/effect', { key: 'arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }, true],
    ['empty operator means Equal', { key: 'arch', value: 'arm64', effect: 'NoSchedule' }, true],
    ['Equal, other value', { key: 'arch', operator: 'Equal', value: 'amd64', effect: 'NoSchedule' }, false],
    ['Equal, value missing', { key: 'arch', operator: 'Equal', effect: 'NoSchedule' }, false],
    ['Exists on the key', { key: 'arch', operator: 'Exists', effect: 'NoSchedule' }, true],
    ['Exists on another key', { key: 'zone', operator: 'Exists' }, false],
    ['empty effect matches every effect', { key: 'arch', operator: 'Exists' }, true],
    ['other effect', { key: 'arch', operator: 'Exists', effect: 'NoExecute' }, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, true],
    ['empty key with Exists, other effect', { operator: 'Exists', effect: 'NoExecute' }, false],
    ['unknown operator', { key: 'arch', operator: 'Lte', value: 'arm64' }, false],
  ];
  for (const [name, toleration, expected] of table) t.equal(toleratesTaint(toleration, armTaint), expected, name);
});

t.test('untoleratedTaints keeps NoSchedule/NoExecute taints nobody tolerates', async (t) => {
  const taints: Taint[] = [
    armTaint,
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'evict', effect: 'NoExecute' },
  ];
  t.same(untoleratedTaints(taints, []), [armTaint, taints[2]], 'PreferNoSchedule never excludes a node');
  t.same(untoleratedTaints(taints, [{ key: 'arch', operator: 'Exists' }]), [taints[2]]);
  t.same(untoleratedTaints(taints, [{ operator: 'Exists' }]), []);
});

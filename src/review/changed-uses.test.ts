import t from 'tap';
import type { ImageUse } from '../workload/image-use.js';
import { changedUses } from './changed-uses.js';

const use = (name: string, image: string, section: ImageUse['section'] = 'containers', index = 0): ImageUse => ({
  name,
  image,
  section,
  path: `spec.${section}[${index}].image`,
});

t.test('only new or changed uses are checked on UPDATE', async (t) => {
  const before = [use('app', 'a:1'), use('side', 's:1', 'containers', 1), use('init', 'i:1', 'initContainers')];
  t.same(changedUses(before, before), [], 'nothing changed');
  t.same(
    changedUses([use('side', 's:1'), use('app', 'a:1', 'containers', 1), use('init', 'i:1', 'initContainers')], before),
    [],
    'reordering is no change',
  );
  t.same(
    changedUses([use('app', 'a:2'), use('side', 's:1', 'containers', 1)], before).map((u) => u.image),
    ['a:2'],
    'one image changed',
  );
  t.same(
    changedUses([...before, use('new', 'n:1', 'containers', 2)], before).map((u) => u.name),
    ['new'],
    'a new container',
  );
  t.same(
    changedUses([use('dbg', 'b:1', 'ephemeralContainers')], []).map((u) => u.name),
    ['dbg'],
    'a new ephemeral container',
  );
  t.same(
    changedUses([use('app', 'a:1', 'initContainers')], [use('app', 'a:1')]).map((u) => u.section),
    ['initContainers'],
    'moved to another list',
  );
});

t.test('uses of different pod specs never match, and a bare container is identified by its path', async (t) => {
  const at = (path: string, name: string, image: string): ImageUse => ({ name, image, section: 'containers', path });
  const first = at('spec.jobs[0].template.spec.containers[0].image', 'main', 'a:1');
  const second = at('spec.jobs[1].template.spec.containers[0].image', 'main', 'b:1');
  t.same(changedUses([first, second], [first, second]), [], 'nothing changed');
  t.same(
    changedUses([first, { ...second, image: 'b:2' }], [first, second]).map((u) => u.image),
    ['b:2'],
    'same container name in another pod spec: only the changed one',
  );
  const step = (index: number, image: string) => at(`spec.steps[${index}].image`, '', image);
  t.same(changedUses([step(0, 's:1'), step(1, 't:1')], [step(0, 's:1'), step(1, 't:1')]), [], 'steps unchanged');
  t.same(
    changedUses([step(0, 's:1'), step(1, 't:2')], [step(0, 's:1'), step(1, 't:1')]).map((u) => u.path),
    ['spec.steps[1].image'],
    'unnamed steps: by path',
  );
});

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { markOwner, sweep, TEMP_DIR_PREFIX } from './stale-dirs.js';

t.test('sweep removes only registry dirs of dead owners', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pullguard-sweep-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = async (name: string, owner?: number): Promise<string> => {
    const full = path.join(root, name);
    await mkdir(path.join(full, 'data'), { recursive: true });
    if (owner !== undefined) await markOwner(full, owner);
    return full;
  };
  const dead = await dir(`${TEMP_DIR_PREFIX}dead`, 111);
  const alive = await dir(`${TEMP_DIR_PREFIX}alive`, 222);
  const unowned = await dir(`${TEMP_DIR_PREFIX}unowned`);
  const garbled = await dir(`${TEMP_DIR_PREFIX}garbled`);
  await writeFile(path.join(garbled, 'owner.pid'), 'not a pid');
  const foreign = await dir('someone-else', 111);
  await sweep(root, (pid) => pid === 222);
  t.notOk(existsSync(dead), 'dead owner swept');
  for (const kept of [alive, unowned, garbled, foreign]) t.ok(existsSync(kept), `${path.basename(kept)} kept`);
});

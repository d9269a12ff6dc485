/** Small manifests and a scratch folder for the in-process `pullguard check` tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';

/** A folder removed when the test ends. */
export async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pullguard-check-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A Pod with one container `c`; `extra` lines go under the container (indented by six spaces). */
export function pod(name: string, image: string, extra = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: ${JSON.stringify(image)}\n${extra}`;
}

/** The runtime registry files of test/fixtures/node-pull/, read as a caller of src/node-pull/ hands them over. */
import { readdirSync, readFileSync } from 'node:fs';
import type { CrioFile } from '../../src/node-pull/crio-registries.js';

const ROOT = new URL('../fixtures/node-pull/', import.meta.url);

/** containerd's config_path: directory name → hosts.toml text. */
export function containerdFixture(): Record<string, string> {
  const base = new URL('containerd/', ROOT);
  const files: Record<string, string> = {};
  for (const name of readdirSync(base)) files[name] = readFileSync(new URL(`${name}/hosts.toml`, base), 'utf8');
  return files;
}

/** registries.conf, then the registries.conf.d drop-ins in file-name order. */
export function crioFixture(): CrioFile[] {
  const base = new URL('crio/', ROOT);
  const dropIns = readdirSync(new URL('registries.conf.d/', base)).sort();
  return ['registries.conf', ...dropIns.map((name) => `registries.conf.d/${name}`)].map((name) => ({
    name,
    text: readFileSync(new URL(name, base), 'utf8'),
  }));
}

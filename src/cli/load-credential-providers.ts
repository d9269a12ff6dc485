/**
 * Reads `credentials.credentialProviderConfig` at start-up: the kubelet's CredentialProviderConfig file, or, as the
 * kubelet accepts too, a directory whose `*.json`, `*.yaml` and `*.yml` files are merged in lexicographic order
 * (pkg/credentialprovider/plugin/config.go `readCredentialProviderConfig` in https://github.com/kubernetes/kubernetes).
 * docs/design.md §1.4. An unreadable file stops start-up with `PG_CREDENTIAL_PROVIDER_CONFIG_UNREADABLE`, an invalid
 * one with `PG_CREDENTIAL_PROVIDER_CONFIG_INVALID` (every problem listed, on one line). Each file is read up to
 * {@link MAX_CONFIG_BYTES}, and a directory up to {@link MAX_CONFIG_FILES} files.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseCredentialProviderConfig, type CredentialProvider } from '../credentials/credential-provider-config.js';
import {
  needsServiceAccountAnnotations,
  providersMatcher,
  type ProvidersFor,
} from '../credentials/credential-providers.js';
import { PullguardError } from '../errors/pullguard-error.js';

/** A real config is a few hundred bytes; this leaves room for hundreds of providers. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_CONFIG_FILES = 64;

/** The providers, ready for the review. */
export interface CredentialProviderSetup {
  readonly providersFor: ProvidersFor;
  /** Some provider requires ServiceAccount annotations: the pod's ServiceAccount is read for them. */
  readonly readsServiceAccount: boolean;
}

/** The providers of the file (or directory) at `path`; throws a PullguardError naming every problem. */
export async function loadCredentialProviders(path: string): Promise<CredentialProviderSetup> {
  const providers: CredentialProvider[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of await configFiles(path)) {
    const parsed = parseCredentialProviderConfig(await readBounded(file), file);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    for (const provider of parsed.providers) {
      if (seen.has(provider.name)) problems.push(`${file}: duplicate provider name "${provider.name}" across files`);
      seen.add(provider.name);
      providers.push(provider);
    }
  }
  if (problems.length > 0)
    throw new PullguardError(
      'PG_CREDENTIAL_PROVIDER_CONFIG_INVALID',
      `invalid credential provider config (credentials.credentialProviderConfig): ${problems.join('; ')}`,
    );
  return { providersFor: providersMatcher(providers), readsServiceAccount: needsServiceAccountAnnotations(providers) };
}

async function configFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch((error: unknown) => unreadable(path, error));
  if (!info.isDirectory()) return [path];
  const names = await readdir(path, { withFileTypes: true }).catch((error: unknown) => unreadable(path, error));
  const files = names
    .filter((entry) => !entry.isDirectory() && ['.json', '.yaml', '.yml'].includes(extname(entry.name)))
    .map((entry) => join(path, entry.name))
    .sort();
  if (files.length === 0) unreadable(path, undefined, 'holds no .json, .yaml or .yml file');
  if (files.length > MAX_CONFIG_FILES) unreadable(path, undefined, `holds more than ${MAX_CONFIG_FILES} config files`);
  return files;
}

async function readBounded(file: string): Promise<string> {
  const handle = await open(file, 'r').catch((error: unknown) => unreadable(file, error));
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CONFIG_BYTES)
        unreadable(file, undefined, `is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof PullguardError) throw error;
    return unreadable(file, error);
  } finally {
    await handle.close();
  }
}

function unreadable(path: string, error: unknown, what?: string): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  throw new PullguardError(
    'PG_CREDENTIAL_PROVIDER_CONFIG_UNREADABLE',
    `cannot read credential provider config ${path} (${what ?? code}); check credentials.credentialProviderConfig in the config file`,
    error === undefined ? undefined : { cause: error },
  );
}

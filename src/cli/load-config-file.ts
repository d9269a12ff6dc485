/** Reads the config named by `--config` or `PULLGUARD_CONFIG`; no file means every default. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CONFIG, parseConfigText, type Config } from '../config/load-config.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export async function loadConfigFile(path: string | undefined): Promise<Config> {
  if (!path) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const result = parseConfigText(text, path);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

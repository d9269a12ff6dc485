/** Reads the config named by `--config` or `PULLGUARD_CONFIG`; no file means every default, unvalidated and instant. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CONFIG, type Config } from '../config/config-from-file.js';
import { PullguardError } from '../errors/pullguard-error.js';

/** The config file cannot be read (`PG_CONFIG_UNREADABLE`) or is invalid (`PG_CONFIG_INVALID`, every problem listed). */
class ConfigError extends PullguardError {
  declare readonly code: 'PG_CONFIG_UNREADABLE' | 'PG_CONFIG_INVALID';

  constructor(
    code: 'PG_CONFIG_UNREADABLE' | 'PG_CONFIG_INVALID',
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    // One line: the problems (each `<file>: <json pointer> <what is wrong>`) separated by semicolons.
    super(code, code === 'PG_CONFIG_INVALID' ? `invalid config: ${problems.join('; ')}` : problems.join('; '), options);
    this.name = 'ConfigError';
  }
}

export async function loadConfigFile(path: string | undefined): Promise<Config> {
  if (!path) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const problem = `${path}: cannot read the config file (${code}); check --config or PULLGUARD_CONFIG`;
    throw new ConfigError('PG_CONFIG_UNREADABLE', [problem], { cause: error });
  }
  // The schema code (TypeBox) is loaded only when there is a file to check (docs/benchmarks.md, P9).
  const { parseConfigText } = await import('../config/load-config.js');
  const result = parseConfigText(text, path);
  if (!result.ok) throw new ConfigError('PG_CONFIG_INVALID', result.problems);
  return result.config;
}

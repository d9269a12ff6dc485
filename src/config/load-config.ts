/**
 * Turns config text into a frozen {@link Config}: schema check, then semantic checks (durations, globs, CIDRs,
 * platforms), reporting every problem at once so an admin fixes the file in one go.
 */
import { Value } from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { configFromFile, type Config } from './config-from-file.js';
import { configProblems } from './config-problems.js';
import { ConfigFileSchema } from './schema.js';

export {
  DEFAULT_BLOCKED_CIDRS,
  DEFAULT_CONFIG,
  NODE_CREDENTIAL_REGISTRIES,
  type Config,
  type RegistryConfig,
  type RuntimeConfig,
} from './config-from-file.js';

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses YAML (or JSON) config text. `source` names the file in problems. Empty text means all defaults. */
export function parseConfigText(text: string, source: string): ConfigResult {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    return { ok: false, problems: [`${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
  return buildConfig(raw ?? {}, source);
}

export function buildConfig(raw: unknown, source = 'config'): ConfigResult {
  const problems = configProblems(raw).map((p) => `${source}: ${p}`);
  if (problems.length > 0 || !Value.Check(ConfigFileSchema, raw)) return { ok: false, problems };
  return { ok: true, config: configFromFile(raw) };
}

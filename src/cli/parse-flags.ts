/** node:util `parseArgs` for a subcommand, its errors (`ERR_PARSE_ARGS_*`) translated into one-line usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';

/** Strict flags, no positionals; an unknown or malformed flag is a {@link UsageError} naming the command. */
export function parseFlags<const O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}; see pullguard --help`, { cause: error });
  }
}

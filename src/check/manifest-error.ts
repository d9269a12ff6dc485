/**
 * The one error type of manifest input for `pullguard check`: a file that cannot be read or parsed. It always names
 * the file, and the line and column when the parser gives them; `pullguard check` reports each one, checks every other
 * input, and exits 2.
 */
import type { ErrorCode } from '../errors/error-codes.js';
import { PullguardError } from '../errors/pullguard-error.js';

export const MANIFEST_ERROR_CODES = [
  'PG_MANIFEST_NOT_FOUND',
  'PG_MANIFEST_UNREADABLE',
  'PG_MANIFEST_TOO_LARGE',
  'PG_MANIFEST_PARSE',
  'PG_MANIFEST_NOT_TEXT',
  'PG_MANIFEST_TEMPLATE',
  'PG_MANIFEST_NO_FILES',
] as const satisfies readonly ErrorCode[];
export type ManifestErrorCode = (typeof MANIFEST_ERROR_CODES)[number];

export class ManifestError extends PullguardError {
  declare readonly code: ManifestErrorCode;
  /** The file as the user named it (`<stdin>` for `-f -`). */
  readonly file: string;
  /** 1-based, when the parser knows it. */
  readonly line: number | undefined;
  /** 1-based, when the parser knows it. */
  readonly column: number | undefined;

  constructor(
    code: ManifestErrorCode,
    options: { file: string; line?: number; column?: number; detail: string; cause?: unknown },
  ) {
    const where =
      options.line === undefined
        ? options.file
        : `${options.file}:${options.line}${options.column === undefined ? '' : `:${options.column}`}`;
    super(code, `${where}: ${options.detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ManifestError';
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

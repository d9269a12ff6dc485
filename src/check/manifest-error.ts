/**
 * The one error type of manifest input for `pullguard check`: a file that cannot be read or parsed. It always names
 * the file, and the line when the parser gives one; the CLI prints it and exits 2.
 */
export const MANIFEST_ERROR_CODES = [
  'MANIFEST_NOT_FOUND',
  'MANIFEST_UNREADABLE',
  'MANIFEST_TOO_LARGE',
  'MANIFEST_PARSE',
  'MANIFEST_NO_FILES',
] as const;
export type ManifestErrorCode = (typeof MANIFEST_ERROR_CODES)[number];

export class ManifestError extends Error {
  readonly code: ManifestErrorCode;
  /** The file as the user named it (`<stdin>` for `-f -`). */
  readonly file: string;
  /** 1-based, when the parser knows it. */
  readonly line: number | undefined;

  constructor(code: ManifestErrorCode, options: { file: string; line?: number; column?: number; detail: string }) {
    const where = options.line === undefined ? options.file : `${options.file}:${options.line}${options.column === undefined ? '' : `:${options.column}`}`;
    super(`${where}: ${options.detail}`);
    this.name = 'ManifestError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
  }
}

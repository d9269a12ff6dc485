/**
 * `-f FILE|DIR|-` → manifest documents. Directories are walked recursively and their `.yaml`, `.yml` and `.json`
 * files read in sorted order, so the output is stable; `-` reads stdin. The I/O edge of `pullguard check`.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeManifest } from './decode-manifest.js';
import { ManifestError } from './manifest-error.js';
import { manifestEntries, type ManifestEntry } from './parse-manifests.js';

/** What is shown for `-f -`. */
const STDIN_NAME = '<stdin>';
/** Per input; larger is not a manifest (and reading it whole would cost the memory). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface ManifestInputs {
  /** The `-f` values, in order. */
  readonly sources: readonly string[];
  /** Relative paths are read from here; they are shown as given. */
  readonly cwd: string;
  readonly stdin: AsyncIterable<unknown>;
}

/**
 * Reads and parses every input, in order, one file at a time: a file is read when the entries of the one before have
 * been taken, so only one file's text is held at once. An input, file or document that cannot be read becomes a
 * {@link ManifestError} in its place, and everything else is still read.
 */
export async function* loadManifests(inputs: ManifestInputs): AsyncGenerator<ManifestEntry> {
  for (const source of inputs.sources) {
    if (source === '-') {
      yield* entriesOf(STDIN_NAME, async () => decodeManifest(await readStdin(inputs.stdin), STDIN_NAME));
      continue;
    }
    let files: string[];
    try {
      files = await manifestFiles(source, inputs.cwd);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      yield error;
      continue;
    }
    for (const file of files)
      yield* entriesOf(file, async () => decodeManifest(await readManifestFile(file, inputs.cwd), file));
  }
}

/**
 * The entries of one input, taken one by one from the parser; a {@link ManifestError} thrown while reading or parsing
 * ends the input as its last entry. Any other error is a bug and propagates.
 */
async function* entriesOf(file: string, read: () => Promise<string>): AsyncGenerator<ManifestEntry> {
  try {
    yield* manifestEntries(await read(), file);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    yield error;
  }
}

/** A file as is; a directory as its manifest files, recursively, sorted by code point (not locale) for stable output. */
export async function manifestFiles(source: string, cwd: string): Promise<string[]> {
  const info = await stat(resolve(cwd, source)).catch((error: NodeJS.ErrnoException) => {
    throw fileError(source, error);
  });
  if (!info.isDirectory()) return [source];
  const files = await walk(source, cwd);
  if (files.length === 0)
    throw new ManifestError('PG_MANIFEST_NO_FILES', {
      file: source,
      detail: 'no .yaml, .yml or .json files in this directory',
    });
  return files;
}

/** Symbolic links to files are followed; links to directories are not, so a link loop cannot hang the walk. */
async function walk(directory: string, cwd: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(resolve(cwd, directory), { withFileTypes: true });
  } catch (error) {
    throw fileError(directory, error as NodeJS.ErrnoException);
  }
  const files: string[] = [];
  for (const entry of [...entries].sort((a, b) => byCodePoint(a.name, b.name))) {
    const { name } = entry;
    const path = join(directory, name);
    if (entry.isDirectory()) files.push(...(await walk(path, cwd)));
    else if (isManifestName(name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(resolve(cwd, path))))))
      files.push(path);
  }
  return files;
}

function isManifestName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function readManifestFile(file: string, cwd: string): Promise<Buffer> {
  const path = resolve(cwd, file);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw fileError(file, error);
  });
  if (info.size > MAX_MANIFEST_BYTES) throw tooLarge(file);
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw fileError(file, error);
  });
}

async function readStdin(stdin: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_MANIFEST_BYTES) throw tooLarge(STDIN_NAME);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function fileError(file: string, error: NodeJS.ErrnoException): ManifestError {
  if (error.code === 'ENOENT')
    return new ManifestError('PG_MANIFEST_NOT_FOUND', { file, detail: 'no such file or directory', cause: error });
  return new ManifestError('PG_MANIFEST_UNREADABLE', {
    file,
    detail: `cannot read (${error.code ?? 'error'})`,
    cause: error,
  });
}

function tooLarge(file: string): ManifestError {
  return new ManifestError('PG_MANIFEST_TOO_LARGE', {
    file,
    detail: `larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB`,
  });
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

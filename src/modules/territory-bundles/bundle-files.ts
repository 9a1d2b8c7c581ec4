/** Reading a bundle directory and writing one: the only file-system code of the module. */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_FILES, EXPORT_ONLY_FILES } from './domain/vocabulary.js';

/** Largest file read (a département's street zones are a few MB; 200 MB is a mistake). */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

export class BundleDirectoryError extends Error {
  override name = 'BundleDirectoryError';
}

export interface BundleDirectory {
  /** file name → text, for the bundle files present. */
  files: Map<string, string>;
  /** Files present that the import does not read (usagers.csv…), for the report. */
  ignored: string[];
  /** With `streamZones`: the path of `zones.csv` (not read into `files`; the import streams it), null when absent. */
  zonesFile: string | null;
}

/** A file of the bundle is unreadable as text; `reason` is the message without the file name. */
export class BundleFileError extends BundleDirectoryError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file} : ${reason}`);
  }
}

const NOT_UTF8 = 'le fichier n’est pas en UTF-8 (enregistrez-le en « CSV UTF-8 »)';

function checkSize(name: string, bytes: number): void {
  if (bytes > MAX_FILE_BYTES) throw new BundleFileError(name, `fichier trop gros (${Math.round(bytes / 1e6)} Mo, 200 au plus)`);
}

/**
 * Reads the bundle files of a directory (UTF-8). `streamZones`: `zones.csv`, the one file that can
 * be large, is left on disk for the import to stream (`zonesFile`).
 */
export async function readBundleDirectory(directory: string, options: { streamZones?: boolean } = {}): Promise<BundleDirectory> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BundleDirectoryError(code === 'ENOENT' ? `dossier introuvable : ${directory}` : code === 'ENOTDIR' ? `${directory} n’est pas un dossier` : `dossier illisible : ${directory}`);
  }
  const known: readonly string[] = Object.values(BUNDLE_FILES);
  const files = new Map<string, string>();
  let zonesFile: string | null = null;
  for (const name of known) {
    if (!names.includes(name)) continue;
    if (name === BUNDLE_FILES.zones && options.streamZones === true) {
      zonesFile = path.join(directory, name);
      checkSize(name, (await stat(zonesFile)).size);
      continue;
    }
    const buffer = await readFile(path.join(directory, name));
    checkSize(name, buffer.byteLength);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
    if (text.includes('\uFFFD')) throw new BundleFileError(name, NOT_UTF8);
    files.set(name, text);
  }
  const exportOnly: readonly string[] = Object.values(EXPORT_ONLY_FILES);
  const ignored = names.filter((name) => exportOnly.includes(name));
  return { files, ignored, zonesFile };
}

/** Size of a file in bytes (the total of a streamed file's progress bar). */
export async function fileSize(filePath: string): Promise<number> {
  return (await stat(filePath)).size;
}

/**
 * A bundle file's text in chunks of 64 KiB, decoded as UTF-8 across chunk boundaries; throws
 * BundleFileError at the first byte that is not UTF-8. `bytes`: the chunk's size on disk.
 */
export async function* streamBundleFile(filePath: string): AsyncGenerator<{ text: string; bytes: number }> {
  const name = path.basename(filePath);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for await (const chunk of createReadStream(filePath, { highWaterMark: 64 * 1024 })) {
    const buffer = chunk as Buffer;
    const text = decoder.decode(buffer, { stream: true });
    if (text.includes('\uFFFD')) throw new BundleFileError(name, NOT_UTF8);
    yield { text, bytes: buffer.byteLength };
  }
  const rest = decoder.decode();
  if (rest.includes('\uFFFD')) throw new BundleFileError(name, NOT_UTF8);
  if (rest !== '') yield { text: rest, bytes: 0 };
}

/** Writes files into a directory, creating it; refuses a directory that already holds bundle files. */
export async function writeBundleDirectory(directory: string, files: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(directory, { recursive: true });
  const existing = await readdir(directory);
  const clash = existing.filter((name) => files.has(name));
  if (clash.length > 0) throw new BundleDirectoryError(`le dossier ${directory} contient déjà ${clash.join(', ')} : choisissez un dossier vide`);
  for (const [name, text] of files) await writeFile(path.join(directory, name), text, 'utf8');
}

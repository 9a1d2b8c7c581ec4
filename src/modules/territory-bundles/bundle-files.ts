/** Reading a bundle directory and writing one: the only file-system code of the module. */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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
}

/** Reads the bundle files of a directory (UTF-8). */
export async function readBundleDirectory(directory: string): Promise<BundleDirectory> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BundleDirectoryError(code === 'ENOENT' ? `dossier introuvable : ${directory}` : code === 'ENOTDIR' ? `${directory} n’est pas un dossier` : `dossier illisible : ${directory}`);
  }
  const known: readonly string[] = Object.values(BUNDLE_FILES);
  const files = new Map<string, string>();
  for (const name of known) {
    if (!names.includes(name)) continue;
    const buffer = await readFile(path.join(directory, name));
    if (buffer.byteLength > MAX_FILE_BYTES) throw new BundleDirectoryError(`${name} : fichier trop gros (${Math.round(buffer.byteLength / 1e6)} Mo, 200 au plus)`);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
    if (text.includes('\uFFFD')) throw new BundleDirectoryError(`${name} : le fichier n’est pas en UTF-8 (enregistrez-le en « CSV UTF-8 »)`);
    files.set(name, text);
  }
  const exportOnly: readonly string[] = Object.values(EXPORT_ONLY_FILES);
  const ignored = names.filter((name) => exportOnly.includes(name));
  return { files, ignored };
}

/** Writes files into a directory, creating it; refuses a directory that already holds bundle files. */
export async function writeBundleDirectory(directory: string, files: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(directory, { recursive: true });
  const existing = await readdir(directory);
  const clash = existing.filter((name) => files.has(name));
  if (clash.length > 0) throw new BundleDirectoryError(`le dossier ${directory} contient déjà ${clash.join(', ')} : choisissez un dossier vide`);
  for (const [name, text] of files) await writeFile(path.join(directory, name), text, 'utf8');
}

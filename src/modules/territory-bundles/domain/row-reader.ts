/**
 * Reading one CSV file into typed fields, collecting every problem as a located French message
 * instead of stopping at the first: the import reports the whole bundle at once.
 */
import { isValidTimeZone, parseIsoDate, parseTimeOfDay } from '../../../shared/time/index.js';
import type { BundleError } from './bundle.js';
import { parseCsv, type CsvRecord } from './csv.js';

/** Longest text accepted in a cell (the longest fields are motif instructions). */
export const MAX_CELL_LENGTH = 2000;
/** Separator of multi-valued cells (`PMI|Service social`). */
export const LIST_SEPARATOR = '|';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused (tabs and line breaks are kept in long texts)
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export class RowReader {
  readonly #cells: ReadonlyMap<string, string>;
  constructor(
    readonly file: string,
    readonly line: number,
    cells: ReadonlyMap<string, string>,
    readonly errors: BundleError[],
  ) {
    this.#cells = cells;
  }

  fail(field: string | null, message: string): void {
    this.errors.push({ file: this.file, line: this.line, field, message });
  }

  /** The trimmed cell, or null when empty or absent; control characters and overlong texts are refused. */
  optionalText(field: string, maxLength = 200): string | null {
    const raw = this.#cells.get(field);
    if (raw === undefined) return null;
    const value = raw.trim();
    if (value === '') return null;
    if (value.length > Math.min(maxLength, MAX_CELL_LENGTH)) {
      this.fail(field, `texte trop long (${value.length} caractères, ${Math.min(maxLength, MAX_CELL_LENGTH)} au plus)`);
      return null;
    }
    const multiline = maxLength > 200;
    if (CONTROL_CHARACTERS.test(value) || (!multiline && /[\r\n\t]/.test(value))) {
      this.fail(field, 'caractères de contrôle non autorisés');
      return null;
    }
    return value;
  }

  text(field: string, maxLength = 200): string {
    const value = this.optionalText(field, maxLength);
    if (value === null && this.#isEmpty(field)) this.fail(field, 'valeur obligatoire manquante');
    return value ?? '';
  }

  #isEmpty(field: string): boolean {
    return (this.#cells.get(field) ?? '').trim() === '';
  }

  integer(field: string, options: { min: number; max: number; fallback?: number }): number {
    const value = this.optionalInteger(field, options);
    if (value !== null) return value;
    if (options.fallback !== undefined && this.#isEmpty(field)) return options.fallback;
    if (this.#isEmpty(field)) this.fail(field, 'valeur obligatoire manquante');
    return options.min;
  }

  optionalInteger(field: string, options: { min: number; max: number }): number | null {
    const text = this.optionalText(field, 20);
    if (text === null) return null;
    if (!/^-?[0-9]+$/.test(text)) {
      this.fail(field, `« ${text} » n’est pas un nombre entier`);
      return null;
    }
    const value = Number(text);
    if (value < options.min || value > options.max) {
      this.fail(field, `${text} est hors des bornes (${options.min} à ${options.max})`);
      return null;
    }
    return value;
  }

  /** A decimal number; a French decimal comma is accepted (48,5 = 48.5). */
  optionalNumber(field: string, options: { min: number; max: number }): number | null {
    const text = this.optionalText(field, 30);
    if (text === null) return null;
    const normalised = text.replace(',', '.');
    if (!/^-?[0-9]+(\.[0-9]+)?$/.test(normalised)) {
      this.fail(field, `« ${text} » n’est pas un nombre`);
      return null;
    }
    const value = Number(normalised);
    if (value < options.min || value > options.max) {
      this.fail(field, `${text} est hors des bornes (${options.min} à ${options.max})`);
      return null;
    }
    return value;
  }

  /** `oui` / `non` (empty = `fallback`). */
  boolean(field: string, fallback: boolean): boolean {
    const text = this.optionalText(field, 10);
    if (text === null) return fallback;
    const lower = text.toLowerCase();
    if (lower === 'oui') return true;
    if (lower === 'non') return false;
    this.fail(field, `« ${text} » : répondez oui ou non`);
    return fallback;
  }

  oneOf<T extends string>(field: string, values: readonly T[], fallback: T): T {
    const text = this.optionalText(field, 60);
    if (text === null) return fallback;
    const found = values.find((value) => value === text);
    if (found === undefined) {
      this.fail(field, `« ${text} » n’est pas une valeur permise (${values.join(', ')})`);
      return fallback;
    }
    return found;
  }

  /** A `|`-separated list of trimmed, non-empty, distinct values. */
  list(field: string, maxLength = 200): string[] {
    const text = this.optionalText(field, MAX_CELL_LENGTH);
    if (text === null) return [];
    const values = text.split(LIST_SEPARATOR).map((value) => value.trim());
    if (values.some((value) => value === '')) {
      this.fail(field, `liste mal formée : un élément vide entre deux « ${LIST_SEPARATOR} »`);
      return [];
    }
    if (values.some((value) => value.length > maxLength)) {
      this.fail(field, `un élément de la liste dépasse ${maxLength} caractères`);
      return [];
    }
    const repeated = values.find((value, index) => values.indexOf(value) !== index);
    if (repeated !== undefined) {
      this.fail(field, `« ${repeated} » est répété dans la liste`);
      return [];
    }
    return values;
  }

  optionalDate(field: string): string | null {
    const text = this.optionalText(field, 20);
    if (text === null) return null;
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) || parseIsoDate(text) === null) {
      this.fail(field, `« ${text} » n’est pas une date AAAA-MM-JJ valide`);
      return null;
    }
    return text;
  }

  date(field: string): string {
    const value = this.optionalDate(field);
    if (value === null && this.#isEmpty(field)) this.fail(field, 'valeur obligatoire manquante');
    return value ?? '';
  }

  /** HH:MM (a trailing :00 is accepted and dropped). */
  time(field: string): string {
    const text = this.optionalText(field, 10);
    if (text === null) {
      if (this.#isEmpty(field)) this.fail(field, 'valeur obligatoire manquante');
      return '';
    }
    const short = /^[0-9]{2}:[0-9]{2}:00$/.test(text) ? text.slice(0, 5) : text;
    if (!/^[0-9]{2}:[0-9]{2}$/.test(short) || parseTimeOfDay(short) === null) {
      this.fail(field, `« ${text} » n’est pas une heure HH:MM valide`);
      return '';
    }
    return short;
  }

  timeZone(field: string, fallback: string): string {
    const text = this.optionalText(field, 60);
    if (text === null) return fallback;
    if (!isValidTimeZone(text) || !(text.includes('/') || text === 'UTC')) {
      this.fail(field, `fuseau horaire « ${text} » inconnu (exemple : Europe/Paris)`);
      return fallback;
    }
    return text;
  }
}

/** One file read into its header check and row readers. */
export interface ReadFile {
  readonly rows: readonly RowReader[];
  /** Some rows of the file are unknown (unreadable CSV, bad header, a line with the wrong number of cells). */
  readonly broken: boolean;
}

/**
 * Parses a file's text, checks its header against the known columns (unknown, repeated and
 * missing required columns are errors) and returns a reader per data line.
 */
export function readCsvFile(file: string, text: string, columns: Readonly<Record<string, boolean>>, errors: BundleError[]): ReadFile {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    errors.push({ file, line: parsed.line, field: null, message: `CSV illisible : ${parsed.message}` });
    return { rows: [], broken: true };
  }
  const reader = new CsvRowStream(file, columns, errors);
  const rows: RowReader[] = [];
  for (const record of parsed.records) {
    const row = reader.read(record);
    if (row !== null) rows.push(row);
  }
  reader.end();
  return { rows, broken: reader.broken };
}

/**
 * The records of one file, one at a time (a streamed file): the first is the header, checked as
 * `readCsvFile` checks it; each later one becomes a reader, or null when it cannot be read.
 * Errors go to `errors` as they are found.
 */
export class CsvRowStream {
  #names: string[] | null = null;
  #headerOk = true;
  /** Some rows of the file are unknown (bad header, a line with the wrong number of cells). */
  broken = false;

  constructor(
    readonly file: string,
    readonly columns: Readonly<Record<string, boolean>>,
    public errors: BundleError[],
  ) {}

  read(record: CsvRecord): RowReader | null {
    const { file, columns, errors } = this;
    if (this.#names === null) {
      // Spreadsheets sometimes save empty trailing columns (`a;b;;`): they are not columns.
      const names = dropTrailingEmpty(record.cells.map((cell) => cell.trim().toLowerCase()));
      this.#names = names;
      names.forEach((name, index) => {
        if (!(name in columns)) {
          errors.push({ file, line: record.line, field: name === '' ? null : name, message: name === '' ? `colonne ${index + 1} sans nom` : `colonne inconnue (colonnes permises : ${Object.keys(columns).join(', ')})` });
          this.#headerOk = false;
        } else if (names.indexOf(name) !== index) {
          errors.push({ file, line: record.line, field: name, message: 'colonne répétée' });
          this.#headerOk = false;
        }
      });
      for (const [name, required] of Object.entries(columns)) {
        if (required && !names.includes(name)) {
          errors.push({ file, line: record.line, field: name, message: 'colonne obligatoire absente de l’en-tête' });
          this.#headerOk = false;
        }
      }
      if (!this.#headerOk) this.broken = true;
      return null;
    }
    if (!this.#headerOk) return null;
    const names = this.#names;
    const cells = record.cells.length > names.length && record.cells.slice(names.length).every((cell) => cell.trim() === '') ? record.cells.slice(0, names.length) : record.cells;
    if (cells.length !== names.length) {
      this.broken = true;
      errors.push({ file, line: record.line, field: null, message: `${cells.length} cellules au lieu de ${names.length} (une par colonne de l’en-tête)` });
      return null;
    }
    const byName = new Map<string, string>();
    names.forEach((name, index) => byName.set(name, cells[index] ?? ''));
    return new RowReader(file, record.line, byName, errors);
  }

  /** The file has ended: an empty file (no header) is an error. */
  end(): void {
    if (this.#names === null) {
      this.errors.push({ file: this.file, line: 0, field: null, message: 'fichier vide : la première ligne doit nommer les colonnes' });
      this.broken = true;
    }
  }
}

function dropTrailingEmpty(names: readonly string[]): string[] {
  let end = names.length;
  while (end > 0 && names[end - 1] === '') end -= 1;
  return names.slice(0, end);
}

/**
 * CSV as French spreadsheet users read and write it: UTF-8 (a leading BOM is accepted and written,
 * so that Excel does not read the file as Windows-1252), `;` between cells (Excel's separator in a
 * French locale; a file whose header uses `,` is read with `,`), double quotes around a cell that
 * holds a separator, a quote or a line break (RFC 4180), LF or CRLF line ends.
 */

export interface CsvRecord {
  /** Physical line (1-based) where the record starts, for error reports. */
  readonly line: number;
  readonly cells: readonly string[];
}

export type CsvParseResult =
  | { readonly ok: true; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

/** The separator of a file: `;` unless the header line has none and has a `,`. */
export function detectSeparator(text: string): ';' | ',' {
  const end = text.search(/\r?\n/);
  const header = end === -1 ? text : text.slice(0, end);
  return !header.includes(';') && header.includes(',') ? ',' : ';';
}

/** Splits a whole CSV text into records (the header is the first one); blank lines are skipped. */
export function parseCsv(input: string): CsvParseResult {
  const parser = new CsvStreamParser();
  const records = parser.push(input);
  const last = parser.end();
  if (!last.ok) return last;
  return { ok: true, records: [...records, ...last.records] };
}

/**
 * The same reader, fed text in chunks (a file streamed line by line, memory bounded by the chunk):
 * `push` returns the records completed so far, `end` the last one (or the unclosed quote).
 * The separator is chosen on the header line, once it is complete.
 */
export class CsvStreamParser {
  #pending = '';
  #started = false;
  #separator: ';' | ',' | null = null;
  #cells: string[] = [];
  #cell = '';
  #line = 1;
  #recordLine = 1;
  #quoted = false;
  #cellWasQuoted = false;

  push(chunk: string): CsvRecord[] {
    return this.#run(chunk, false);
  }

  end(): CsvParseResult {
    const records = this.#run('', true);
    if (this.#quoted) return { ok: false, line: this.#recordLine, message: 'guillemet ouvrant sans guillemet fermant' };
    if (this.#cell !== '' || this.#cells.length > 0 || this.#cellWasQuoted) this.#endRecord(records);
    return { ok: true, records };
  }

  #endRecord(records: CsvRecord[]): void {
    this.#cells.push(this.#cell);
    if (!(this.#cells.length === 1 && this.#cells[0] === '' && !this.#cellWasQuoted)) records.push({ line: this.#recordLine, cells: this.#cells });
    this.#cells = [];
    this.#cell = '';
    this.#cellWasQuoted = false;
  }

  #run(chunk: string, final: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    let text = this.#pending + chunk;
    this.#pending = '';
    if (!this.#started) {
      if (!final && text.length === 0) return records;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
      else if (!final && '\uFEFF'.startsWith(text)) {
        this.#pending = text;
        return records;
      }
      this.#started = true;
    }
    if (this.#separator === null) {
      if (!final && !text.includes('\n')) {
        this.#pending = text;
        return records;
      }
      this.#separator = detectSeparator(text);
    }
    const separator = this.#separator;
    let index = 0;
    while (index < text.length) {
      const char = text[index] as string;
      // A quote or a carriage return at the end of a chunk: its meaning depends on the next character.
      if (!final && index + 1 === text.length && (char === '\r' || (char === '"' && this.#quoted))) {
        this.#pending = char;
        break;
      }
      if (this.#quoted) {
        if (char === '"') {
          if (text[index + 1] === '"') {
            this.#cell += '"';
            index += 2;
            continue;
          }
          this.#quoted = false;
          index += 1;
          continue;
        }
        if (char === '\n') this.#line += 1;
        this.#cell += char;
        index += 1;
        continue;
      }
      if (char === '"' && this.#cell === '') {
        this.#quoted = true;
        this.#cellWasQuoted = true;
        index += 1;
        continue;
      }
      if (char === separator) {
        this.#cells.push(this.#cell);
        this.#cell = '';
        this.#cellWasQuoted = false;
        index += 1;
        continue;
      }
      if (char === '\r' && text[index + 1] === '\n') {
        index += 1;
        continue;
      }
      if (char === '\n') {
        this.#endRecord(records);
        this.#line += 1;
        this.#recordLine = this.#line;
        index += 1;
        continue;
      }
      this.#cell += char;
      index += 1;
    }
    return records;
  }
}

function quoteCell(value: string): string {
  return /[;"\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes a CSV text: BOM, `;`, LF, quotes only where needed. */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(quoteCell).join(';'));
  return `\uFEFF${lines.join('\n')}\n`;
}

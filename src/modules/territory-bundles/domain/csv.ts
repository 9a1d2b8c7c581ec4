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
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const separator = detectSeparator(text);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let cellWasQuoted = false;
  let index = 0;
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !cellWasQuoted)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    cellWasQuoted = false;
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 2;
          continue;
        }
        quoted = false;
        index += 1;
        continue;
      }
      if (char === '\n') line += 1;
      cell += char;
      index += 1;
      continue;
    }
    if (char === '"' && cell === '') {
      quoted = true;
      cellWasQuoted = true;
      index += 1;
      continue;
    }
    if (char === separator) {
      cells.push(cell);
      cell = '';
      cellWasQuoted = false;
      index += 1;
      continue;
    }
    if (char === '\r' && text[index + 1] === '\n') {
      index += 1;
      continue;
    }
    if (char === '\n') {
      endRecord();
      line += 1;
      recordLine = line;
      index += 1;
      continue;
    }
    cell += char;
    index += 1;
  }
  if (quoted) return { ok: false, line: recordLine, message: 'guillemet ouvrant sans guillemet fermant' };
  if (cell !== '' || cells.length > 0 || cellWasQuoted) endRecord();
  return { ok: true, records };
}

function quoteCell(value: string): string {
  return /[;"\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes a CSV text: BOM, `;`, LF, quotes only where needed. */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(quoteCell).join(';'));
  return `\uFEFF${lines.join('\n')}\n`;
}

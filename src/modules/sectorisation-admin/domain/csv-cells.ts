/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return may be run as a formula by Excel or LibreOffice. The zones
 * export writes such a cell with a leading apostrophe, which spreadsheets show as text; the
 * import removes that apostrophe again, so that the round trip keeps the value (ADR 0031).
 * Only the free-text cells (commune and street names) can hold such a value: sector ids, INSEE
 * codes and BAN ids have closed formats.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as the export writes it. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value an exported (neutralised) cell stands for. */
export function restoreFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** Whether a typed name would start a formula (refused in the forms). */
export function startsLikeFormula(value: string): boolean {
  return FORMULA_START.test(value);
}

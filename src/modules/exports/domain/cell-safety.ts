// Text cells of an export are data, never formulas. An XLSX cell written as a string is not
// evaluated, but the same file saved as CSV, or a value pasted elsewhere, is: a name typed as
// `=HYPERLINK("http://…")` or `+33…` would become a formula (OWASP « CSV injection »). Every
// text that starts with one of the characters a spreadsheet reads as the start of a formula gets
// a leading apostrophe, which spreadsheets show as text and never evaluate.

/** Characters that make a spreadsheet read a cell as a formula (tab and carriage return included). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

// XML 1.0 cannot hold C0 control characters other than tab, line feed and carriage return, nor
// lone surrogates: a file that carried them would not open.
// eslint-disable-next-line no-control-regex -- the point is to remove control characters
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Whether a spreadsheet would read this text as a formula. */
export function startsLikeFormula(text: string): boolean {
  return text.length > 0 && FORMULA_TRIGGERS.has(text.charAt(0));
}

/**
 * The text as a cell may hold it: characters XML cannot carry removed, and a leading apostrophe
 * when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
 */
export function neutraliseCellText(text: string): string {
  const clean = text.replace(NOT_XML_CHARACTERS, '');
  return startsLikeFormula(clean) ? `'${clean}` : clean;
}

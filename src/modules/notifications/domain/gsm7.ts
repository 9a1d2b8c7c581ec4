// GSM-7 normalisation and segment counting (research/ecosystem.md §5.2, 3GPP TS 23.038).
//
// One character outside the GSM-7 alphabet switches a whole SMS to UCS-2, which halves what a
// segment holds (160 → 70): a typographic apostrophe ’ or the no-break space French typography
// puts before « : » is enough to double the bill. `toGsm7` rewrites French text so that this
// never happens; `countSegments` says what a provider will bill, before sending.

export interface SegmentCount {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  readonly units: number;
  readonly segments: number;
}

/** The GSM 03.38 basic character set (one septet each), escape 0x1B excluded. */
const GSM7_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: each costs two septets (escape + character). */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

/** One SMS holds 140 octets: 160 septets, or 70 UTF-16 units; concatenation spends 6 octets on a header. */
const GSM7_SINGLE = 160;
const GSM7_PER_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PER_PART = 67;

/**
 * Characters outside GSM-7 with a readable GSM-7 equivalent that Unicode decomposition does not
 * give (typography, ligatures, a few letters). Letters with accents are folded by decomposition.
 */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  // apostrophes and single quotes
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u02BC': "'",
  '\u02BB': "'",
  '\u00B4': "'",
  '`': "'",
  '\u2039': "'",
  '\u203A': "'",
  // double quotes and guillemets
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  // spaces (no-break, narrow no-break, typographic widths, tab)
  '\t': ' ',
  '\u00A0': ' ',
  '\u202F': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u205F': ' ',
  '\u3000': ' ',
  // dashes and minus
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\uFE58': '-',
  '\uFE63': '-',
  '\uFF0D': '-',
  '\u2022': '-',
  // other punctuation
  '\u2026': '...',
  '\u00B7': '.',
  '\u00B0': 'o',
  '\u00D7': 'x',
  '\u00F7': '/',
  // letters Unicode does not decompose
  '\u0153': 'oe',
  '\u0152': 'OE',
  '\u0111': 'd',
  '\u0110': 'D',
  '\u00F0': 'd',
  '\u0142': 'l',
  '\u0141': 'L',
  '\u0131': 'i',
  '\u00FE': 'th',
  '\u00DE': 'TH',
  // line breaks: one LF
  '\u2028': '\n',
  '\u2029': '\n',
  '\u0085': '\n',
};

const COMBINING_MARK = /\p{M}/gu;
/** Invisible characters (controls, zero-width, soft hyphen, variation selectors): dropped. */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{M}]$/u;

/** True when every character of `text` is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const character of text) if (!BASIC.has(character) && !EXTENSION.has(character)) return false;
  return true;
}

/** True when `character` is one that `toGsm7` may output (GSM-7 without CR and form feed). */
function isKept(character: string): boolean {
  return character !== '\r' && character !== '\f' && (BASIC.has(character) || EXTENSION.has(character));
}

function foldCharacter(character: string): string {
  if (isKept(character)) return character;
  const replacement = REPLACEMENTS[character];
  if (replacement !== undefined) return replacement;
  // â → a, ç → c, À → A, ﬁ → fi, ² → 2, full-width letters → ASCII
  const decomposed = character.normalize('NFKD').replace(COMBINING_MARK, '');
  if (decomposed !== '' && Array.from(decomposed).every(isKept)) return decomposed;
  if (INVISIBLE.test(character)) return '';
  return '?';
}

/**
 * Rewrites a French text so that it is GSM-7 only: typographic apostrophes and quotes become ' and
 * ", « » become " (with their inner spaces), every kind of space becomes a space, dashes become -,
 * … becomes ..., œ becomes oe, letters with accents outside GSM-7 lose them (â ê î ô û ë ï ç À È…;
 * é è ù ì ò à É Ç Ä Ö Ñ Ü ä ö ñ ü ß Å å Æ æ Ø ø stay), line breaks become LF, invisible characters
 * go, and anything else becomes '?'. Idempotent.
 */
export function toGsm7(text: string): string {
  const unified = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/«[\s\u00A0\u202F]*/g, '"')
    .replace(/[\s\u00A0\u202F]*»/g, '"');
  let result = '';
  for (const character of unified) result += foldCharacter(character);
  return result;
}

/** Fills segments of `capacity` with items of the given sizes, never splitting an item. */
function countParts(sizes: readonly number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > capacity) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

/**
 * Segments a provider will bill for this text: GSM-7 when every character is in the alphabet
 * (160 septets in one SMS, 153 per part once concatenated; extension characters count 2 and an
 * escape pair never straddles two parts), UCS-2 otherwise (70 UTF-16 units, 67 per part; a
 * character outside the BMP counts 2 and is never split). An empty text still costs one SMS.
 */
export function countSegments(text: string): SegmentCount {
  if (isGsm7(text)) {
    const sizes = Array.from(text).map((character) => (EXTENSION.has(character) ? 2 : 1));
    const units = sizes.reduce((sum, size) => sum + size, 0);
    return { encoding: 'GSM-7', units, segments: units <= GSM7_SINGLE ? 1 : countParts(sizes, GSM7_PER_PART) };
  }
  const sizes = Array.from(text).map((character) => character.length);
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= UCS2_SINGLE ? 1 : countParts(sizes, UCS2_PER_PART) };
}

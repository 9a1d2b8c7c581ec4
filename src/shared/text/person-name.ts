// Comparison of people's names typed by humans: accents, case, apostrophes (’ or '), hyphens and
// spaces do not count, so "N’Guyen", "nguyen" and "N Guyen" are the same name.

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th' };

/** Lower-case letters and digits only, accents removed, ligatures spelled out. */
export function normalizePersonName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[œæßøłđðþ]/gu, (letter) => LIGATURES[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Letters asked of someone opening an appointment link ("les 3 premières lettres de votre nom"). */
export const LAST_NAME_PREFIX_LENGTH = 3;

/**
 * Whether `typed` matches the start of `lastName`: at least its first three letters (all of
 * them for a shorter name), compared with `normalizePersonName`. Typing more letters is fine.
 */
export function matchesLastNamePrefix(lastName: string, typed: string): boolean {
  const name = normalizePersonName(lastName);
  const input = normalizePersonName(typed);
  const required = Math.min(LAST_NAME_PREFIX_LENGTH, name.length);
  return required > 0 && input.length >= required && name.startsWith(input);
}

/** Whether two spellings name the same person (beneficiary matching). */
export function isSamePersonName(a: string, b: string): boolean {
  const left = normalizePersonName(a);
  return left !== '' && left === normalizePersonName(b);
}

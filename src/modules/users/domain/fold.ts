// Folding of names for search and duplicate detection, the same as the database's
// `creneau_fold` (migration 0013): lower case, no accents, ligatures spelled out, every run of
// other characters (apostrophes, hyphens, dots, spaces) one space. Pure.

const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l' };

/** « Élodie LEFÈVRE-N’Guyen » → « elodie lefevre n guyen » */
export function foldText(value: string): string {
  return value
    .toLowerCase()
    .replace(/[œæßøđł]/g, (character) => LIGATURES[character] ?? character)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9@]+/g, ' ')
    .trim();
}

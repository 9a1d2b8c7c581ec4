/**
 * Text rules shared by the adapters: what a searchable query is, and how names compare.
 */

/** Bounds of the `q` parameter of the Géoplateforme (and api-adresse before it). */
export const MIN_QUERY_LENGTH = 3;
export const MAX_QUERY_LENGTH = 200;

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;

/**
 * The query as the geocoder should receive it: trimmed, single-spaced, starting with a letter or a
 * digit (the service rejects anything else with HTTP 400), at most 200 characters. Null when fewer
 * than 3 characters remain: nothing worth searching yet.
 */
export function prepareQuery(query: string): string | null {
  const cleaned = query
    .replace(/\s+/gu, ' ')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .slice(0, MAX_QUERY_LENGTH)
    .trim();
  return cleaned.length < MIN_QUERY_LENGTH ? null : cleaned;
}

/** The number of results to ask for: an integer between 1 and 20, 5 when not given. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}

const ABBREVIATIONS: Readonly<Record<string, string>> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };

/**
 * Comparable form of a name or a query: lower case, no accents or ligatures, punctuation (hyphens,
 * apostrophes, commas) turned into spaces, 'St'/'Ste' spelled out. 'Dammarie-lès-Lys' and
 * 'dammarie les lys' compare equal, and so do 'St-Denis' and 'Saint Denis'.
 */
export function normaliseForMatching(text: string): string {
  return text
    .toLowerCase()
    .replace(/œ/gu, 'oe')
    .replace(/æ/gu, 'ae')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
}

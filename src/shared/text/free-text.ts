// Rules of the free-text fields people type (names, postal addresses): the letters, spaces,
// apostrophes and hyphens of French names, bounded lengths, no control characters (a newline in a
// name ends up in an e-mail header or an SMS), no links. Pure: forms and use cases call them.

export const MAX_PERSON_NAME_LENGTH = 100;
export const MAX_POSTAL_ADDRESS_LENGTH = 200;

// C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides.
// eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const PERSON_NAME = /^\p{L}[\p{L}\p{M}'’. -]*$/u;
const LINK = /:\/\/|www\.|\bhttps?\b/i;
// "evil.fr": a name never ends with a dot glued to letters (initials are followed by a space or a hyphen).
const DOMAIN_ENDING = /\.\p{L}{2,}$/u;

export type FreeTextProblem = 'EMPTY' | 'TOO_LONG' | 'INVALID';

/** A first or last name, trimmed with single spaces; or why it is refused. */
export function cleanPersonName(value: string): { ok: true; value: string } | { ok: false; problem: FreeTextProblem } {
  if (CONTROL_CHARACTERS.test(value)) return { ok: false, problem: 'INVALID' };
  const cleaned = value.trim().replace(/ {2,}/g, ' ');
  if (cleaned === '') return { ok: false, problem: 'EMPTY' };
  if (cleaned.length > MAX_PERSON_NAME_LENGTH) return { ok: false, problem: 'TOO_LONG' };
  if (!PERSON_NAME.test(cleaned) || LINK.test(cleaned) || DOMAIN_ENDING.test(cleaned)) return { ok: false, problem: 'INVALID' };
  return { ok: true, value: cleaned };
}

/** A postal address (optional: empty gives null), trimmed with single spaces; or why it is refused. */
export function cleanPostalAddress(value: string): { ok: true; value: string | null } | { ok: false; problem: Exclude<FreeTextProblem, 'EMPTY'> } {
  if (CONTROL_CHARACTERS.test(value)) return { ok: false, problem: 'INVALID' };
  const cleaned = value.trim().replace(/ {2,}/g, ' ');
  if (cleaned === '') return { ok: true, value: null };
  if (cleaned.length > MAX_POSTAL_ADDRESS_LENGTH) return { ok: false, problem: 'TOO_LONG' };
  if (LINK.test(cleaned)) return { ok: false, problem: 'INVALID' };
  return { ok: true, value: cleaned };
}

// What an agent typed in the directory's search box, read as one kind of search (ADR 0020):
// an id, a phone number (whole or its first digits, in any French way of typing it), an e-mail
// (or its beginning), or names. Pure: the repository turns each kind into an indexed condition.
import { parseFrenchPhone } from '../../../shared/text/phone.js';
import { foldText } from './fold.js';

export const MAX_SEARCH_LENGTH = 200;
/** Fewer folded characters than this find nothing (every name would match). */
export const MIN_SEARCH_LENGTH = 2;

export type UserSearchQuery =
  | { readonly kind: 'empty' }
  | { readonly kind: 'too_short' }
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'phone'; readonly e164: string }
  /** The E.164 beginnings the typed digits may be (metropolitan, or the overseas territory of the prefix). */
  | { readonly kind: 'phone_prefix'; readonly e164Prefix: string }
  | { readonly kind: 'email'; readonly prefix: string }
  | { readonly kind: 'names'; readonly folded: string };

const PHONE_LIKE = /^(\+|00)?[\d\s.\-()\u00A0\u202F]+$/;

/** National prefixes of the overseas territories (ARCEP) and their country calling codes. */
const OVERSEAS_PREFIXES: readonly (readonly [RegExp, string])[] = [
  [/^0(590|690|691)/, '+590'],
  [/^0(594|694)/, '+594'],
  [/^0(596|696|697)/, '+596'],
  [/^0(262|263|269|639|692|693)/, '+262'],
  [/^0508/, '+508'],
];

/** The E.164 beginning of the first digits of a French number (« 06 12 3 » → « +33612 3 »), or null. */
export function phonePrefixOf(digits: string): string | null {
  if (digits.startsWith('00')) return digits.length >= 6 ? `+${digits.slice(2)}` : null;
  if (!digits.startsWith('0') || digits.length < 4) return null;
  for (const [pattern, code] of OVERSEAS_PREFIXES) {
    if (pattern.test(digits)) return `${code}${digits.slice(1)}`;
  }
  return `+33${digits.slice(1)}`;
}

/**
 * Reads the search text: « #123 » or « 123 » (no leading 0, at most 9 digits) is an id; a
 * complete phone number its E.164 form; the first 4 digits or more of a number starting with 0,
 * 00 or + a phone prefix; text with « @ » an e-mail prefix; anything else names, folded.
 */
export function parseUserSearch(input: string): UserSearchQuery {
  const text = input.trim();
  if (text === '') return { kind: 'empty' };
  const id = /^(?:#|n°\s*)?([1-9]\d{0,8})$/i.exec(text);
  if (id?.[1] !== undefined) return { kind: 'id', id: Number(id[1]) };
  if (PHONE_LIKE.test(text)) {
    const phone = parseFrenchPhone(text);
    if (phone !== null) return { kind: 'phone', e164: phone.e164 };
    const digits = text.replace(/\D/g, '');
    if (text.startsWith('+')) return digits.length >= 4 ? { kind: 'phone_prefix', e164Prefix: `+${digits}` } : { kind: 'too_short' };
    const prefix = phonePrefixOf(digits);
    return prefix === null ? { kind: 'too_short' } : { kind: 'phone_prefix', e164Prefix: prefix };
  }
  if (text.includes('@')) {
    const prefix = text.toLowerCase().replace(/\s+/g, '');
    return prefix.length < MIN_SEARCH_LENGTH ? { kind: 'too_short' } : { kind: 'email', prefix };
  }
  const folded = foldText(text);
  return folded.replace(/ /g, '').length < MIN_SEARCH_LENGTH ? { kind: 'too_short' } : { kind: 'names', folded };
}

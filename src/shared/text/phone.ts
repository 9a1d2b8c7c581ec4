// French phone numbers, metropolitan and overseas (research/ecosystem.md §5.3), read with
// libphonenumber-js and its full ('max') metadata, which knows each territory's ranges and tells
// mobiles from fixed lines. Overseas numbers share the national trunk prefix 0 (06 90, 06 92,
// 06 39, 02 62…) but belong to other country codes, and must never be written +33:
//   Guadeloupe, Saint-Barthélemy, Saint-Martin +590 (0590, 0690, 0691); Guyane +594 (0594, 0694);
//   Martinique +596 (0596, 0696, 0697); La Réunion +262 (0262, 0263, 0692, 0693);
//   Mayotte +262 (0269, 0639); Saint-Pierre-et-Miquelon +508. +269 is the Comoros, not Mayotte.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

export interface ParsedPhone {
  /** '+33612345678', '+262692123456' */
  readonly e164: string;
  /**
   * A French (metropolitan or overseas) mobile: what an SMS reminder can reach. From the number's
   * type in the numbering plan: MOBILE; FIXED_LINE_OR_MOBILE (a plan whose fixed and mobile ranges
   * overlap, so the type cannot be told apart — none of the French plans today) counts as mobile,
   * since an SMS may reach it. Never true for a foreign number: our SMS providers route to France
   * and its overseas territories only (Netsize), so reminders are not sent abroad.
   */
  readonly isMobile: boolean;
  /** False for numbers outside France and its overseas territories. */
  readonly isFrench: boolean;
}

/**
 * Where a number written in the national format (0…) may belong, in this order: the first whose
 * plan says it is valid wins (RDV-Solidarités does the same with phonelib).
 */
const NATIONAL_CANDIDATES: readonly CountryCode[] = ['FR', 'GP', 'GF', 'MQ', 'RE', 'YT', 'PM', 'BL', 'MF'];

/** Countries (in libphonenumber's sense) that are France: metropolitan and overseas. */
const FRENCH_COUNTRIES: ReadonlySet<CountryCode> = new Set<CountryCode>(['FR', 'GP', 'GF', 'MQ', 'RE', 'YT', 'PM', 'BL', 'MF']);

/**
 * National prefixes the French numbering plan (ARCEP) gives to overseas territories. A number with
 * one of them is never metropolitan — even where libphonenumber's FR metadata still accepts a few
 * (0263, 0269, part of 0596): "0269 61 23 45" is Mayotte, "+33 2 69 61 23 45" does not exist.
 */
const OVERSEAS_NATIONAL_PREFIX = /^0(?:26[239]|59[046]|639|69[0-467])/;

/** What a usager may type: digits, one leading +, spaces (also no-break), dots, hyphens, parentheses. */
const PHONE_CHARACTERS = /^\+?[\d\s.\-()\u00A0\u202F]+$/;
const MAX_INPUT_LENGTH = 40;

function resultOf(phone: PhoneNumber): ParsedPhone | null {
  if (phone.countryCallingCode === '33' && OVERSEAS_NATIONAL_PREFIX.test(`0${phone.nationalNumber}`)) return null;
  if (!phone.isValid()) return null;
  const isFrench = phone.country !== undefined && FRENCH_COUNTRIES.has(phone.country);
  const type = phone.getType();
  return { e164: phone.number, isMobile: isFrench && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE'), isFrench };
}

/**
 * A metropolitan number of a range the metadata does not know yet (07 1x today): ARCEP opens
 * ranges faster than libphonenumber's releases, so a well-formed 0 + 9 digits outside the overseas
 * prefixes is kept, a mobile when it starts with 06 or 07 (the mobile blocks of the plan).
 */
function unlistedMetropolitan(phone: PhoneNumber): ParsedPhone | null {
  const national = `0${phone.nationalNumber}`;
  if (phone.countryCallingCode !== '33' || !/^0[1-9]\d{8}$/.test(national) || OVERSEAS_NATIONAL_PREFIX.test(national) || !phone.isPossible()) return null;
  return { e164: phone.number, isMobile: /^0[67]/.test(national), isFrench: true };
}

/**
 * Parses what a usager types ("06 12 34 56 78", "+262 692 12 34 56", "0033 6…"); null when not a
 * valid phone number. A national number (0…) is tried against France, then Guadeloupe, Guyane,
 * Martinique, La Réunion, Mayotte, then Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin,
 * keeping the first valid one (an overseas prefix is never read as metropolitan; a metropolitan
 * range the metadata does not list yet is kept, see unlistedMetropolitan). An international
 * number (+…, 00…) keeps its own country: +33 with an overseas prefix is refused, +269 is the Comoros.
 */
export function parseFrenchPhone(input: string): ParsedPhone | null {
  const text = input.trim();
  if (text.length > MAX_INPUT_LENGTH || !PHONE_CHARACTERS.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (text.startsWith('+') || digits.startsWith('00')) {
    const phone = parsePhoneNumberFromString(text.startsWith('+') ? text : `+${digits.slice(2)}`, { extract: false });
    return phone === undefined ? null : (resultOf(phone) ?? unlistedMetropolitan(phone));
  }
  if (!digits.startsWith('0')) return null;
  for (const country of NATIONAL_CANDIDATES) {
    const phone = parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
    const parsed = phone === undefined ? null : resultOf(phone);
    if (parsed !== null) return parsed;
  }
  const metropolitan = parsePhoneNumberFromString(text, { defaultCountry: 'FR', extract: false });
  return metropolitan === undefined ? null : unlistedMetropolitan(metropolitan);
}

/**
 * A phone number for display with most digits hidden, the last two kept: `06 ** ** ** 78` for a
 * French number (overseas too: `06 ** ** ** 56`), `+269 *** ** 45` abroad. Never the whole number.
 */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164, { extract: false });
  const digits = e164.replace(/\D/g, '');
  if (phone === undefined) return digits.length <= 2 ? '**' : `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  const national = `0${phone.nationalNumber}`;
  if (phone.country !== undefined && FRENCH_COUNTRIES.has(phone.country) && national.length === 10) {
    return `${national.slice(0, 2)} ** ** ** ${national.slice(-2)}`;
  }
  const international = phone.formatInternational();
  const prefix = `+${phone.countryCallingCode}`;
  const rest = international.slice(prefix.length);
  const restDigits = rest.replace(/\D/g, '').length;
  let seen = 0;
  const masked = rest.replace(/\d/g, (digit) => {
    seen += 1;
    return seen > restDigits - 2 ? digit : '*';
  });
  return `${prefix}${masked}`;
}

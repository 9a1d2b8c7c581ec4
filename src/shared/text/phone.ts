// French phone numbers, metropolitan and overseas (research/ecosystem.md §5.3): overseas numbers
// share national prefixes (06 90, 06 92, 06 39…) but belong to other country codes, and must
// never be written +33.

export interface ParsedPhone {
  /** '+33612345678', '+262692123456' */
  readonly e164: string;
  readonly isMobile: boolean;
  /** False for numbers outside France and its overseas territories. */
  readonly isFrench: boolean;
}

/** National 4-digit prefix → country code for overseas numbers (mobiles and fixed lines). */
const OVERSEAS_PREFIXES: Readonly<Record<string, { countryCode: string; mobile: boolean }>> = {
  '0690': { countryCode: '590', mobile: true },
  '0691': { countryCode: '590', mobile: true },
  '0590': { countryCode: '590', mobile: false },
  '0694': { countryCode: '594', mobile: true },
  '0594': { countryCode: '594', mobile: false },
  '0696': { countryCode: '596', mobile: true },
  '0697': { countryCode: '596', mobile: true },
  '0596': { countryCode: '596', mobile: false },
  '0692': { countryCode: '262', mobile: true },
  '0693': { countryCode: '262', mobile: true },
  '0639': { countryCode: '262', mobile: true },
  '0262': { countryCode: '262', mobile: false },
  '0269': { countryCode: '262', mobile: false },
};

const FRENCH_COUNTRY_CODES = ['33', '262', '590', '594', '596', '508'];

/** Parses what a usager types ("06 12 34 56 78", "+262 692 12 34 56", "0033 6…"); null when not a phone number. */
export function parseFrenchPhone(input: string): ParsedPhone | null {
  let digits = input.trim().replace(/[\s.\-()\u00a0]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  if (/^0[1-9]\d{8}$/.test(digits)) {
    const overseas = OVERSEAS_PREFIXES[digits.slice(0, 4)];
    if (overseas !== undefined) return { e164: `+${overseas.countryCode}${digits.slice(1)}`, isMobile: overseas.mobile, isFrench: true };
    return { e164: `+33${digits.slice(1)}`, isMobile: /^0[67]/.test(digits), isFrench: true };
  }
  if (!/^\+[1-9]\d{6,14}$/.test(digits)) return null;
  const countryCode = FRENCH_COUNTRY_CODES.find((code) => digits.startsWith(`+${code}`) && digits.length === code.length + 10);
  if (countryCode === '33') {
    const national = `0${digits.slice(3)}`;
    // An overseas number written +33 does not exist.
    if (OVERSEAS_PREFIXES[national.slice(0, 4)] !== undefined) return null;
    return { e164: digits, isMobile: /^0[67]/.test(national), isFrench: true };
  }
  if (countryCode !== undefined) {
    const national = `0${digits.slice(countryCode.length + 1)}`;
    const overseas = OVERSEAS_PREFIXES[national.slice(0, 4)];
    if (overseas?.countryCode !== countryCode) return countryCode === '508' ? { e164: digits, isMobile: false, isFrench: true } : null;
    return { e164: digits, isMobile: overseas.mobile, isFrench: true };
  }
  return { e164: digits, isMobile: false, isFrench: false };
}

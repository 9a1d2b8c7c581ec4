/**
 * Facts of French administrative geography that the codes carry themselves (COG, BAN).
 */

const INSEE_CITY_CODE = /^(?:[0-9]{2}|2A|2B)[0-9]{3}$/;

/** True for a well-formed INSEE commune code ('77288', '2A004', '97411'). */
export function isInseeCityCode(code: string): boolean {
  return INSEE_CITY_CODE.test(code);
}

/**
 * Département number of a commune, from its INSEE code: two characters in metropolitan France and
 * Corsica ('77', '2A'), three overseas ('974', '976', '988'). Null for a malformed code.
 */
export function departementNumberOf(cityCode: string): string | null {
  if (!isInseeCityCode(cityCode)) return null;
  return cityCode.startsWith('97') || cityCode.startsWith('98') ? cityCode.slice(0, 3) : cityCode.slice(0, 2);
}

/**
 * Street-level key of a BAN identifier: '77288_0740_00020' (a house number) and '77288_0740'
 * (the street itself) both give '77288_0740', INSEE code + FANTOIR code — what RDV-Solidarités
 * stores as `street_ban_id` in street zones. Null for a commune id ('77288') or a malformed one.
 */
export function streetBanIdOf(banId: string): string | null {
  const [cityCode, streetCode] = banId.split('_');
  if (cityCode === undefined || streetCode === undefined || streetCode === '') return null;
  if (!isInseeCityCode(cityCode)) return null;
  return `${cityCode}_${streetCode}`;
}

import { describe, expect, it } from 'vitest';
import { departementNumberOf, isInseeCityCode, streetBanIdOf } from './french-geography.js';

describe('departementNumberOf', () => {
  it.each([
    ['77288', '77'],
    ['75056', '75'],
    ['75111', '75'],
    ['01004', '01'],
    ['2A004', '2A'],
    ['2B033', '2B'],
    ['97411', '974'],
    ['97611', '976'],
    ['97105', '971'],
    ['98818', '988'],
  ])('reads the département of %s as %s', (cityCode, departement) => {
    expect(departementNumberOf(cityCode)).toBe(departement);
  });

  it.each(['7728', '772888', '2C004', 'melun', ''])('refuses the malformed INSEE code %j', (cityCode) => {
    expect(isInseeCityCode(cityCode)).toBe(false);
    expect(departementNumberOf(cityCode)).toBeNull();
  });
});

describe('streetBanIdOf', () => {
  it('keeps INSEE code and FANTOIR code of a house number id', () => {
    expect(streetBanIdOf('77288_0740_00020')).toBe('77288_0740');
    expect(streetBanIdOf('77288_0740_00020_bis')).toBe('77288_0740');
  });

  it('keeps a street id as it is, letters included', () => {
    expect(streetBanIdOf('77288_0740')).toBe('77288_0740');
    expect(streetBanIdOf('2A004_b012')).toBe('2A004_b012');
  });

  it('has no street key for a commune id or a malformed id', () => {
    expect(streetBanIdOf('77288')).toBeNull();
    expect(streetBanIdOf('77288_')).toBeNull();
    expect(streetBanIdOf('melun_0740')).toBeNull();
  });
});

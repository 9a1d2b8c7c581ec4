import { describe, expect, it } from 'vitest';
import { parseFrenchPhone } from './phone.js';

describe('parseFrenchPhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678', true],
    ['07.12.34.56.78', '+33712345678', true],
    ['01 64 00 00 01', '+33164000001', false],
    ['0033 6 12 34 56 78', '+33612345678', true],
    ['0692 12 34 56', '+262692123456', true],
    ['0639 01 23 45', '+262639012345', true],
    ['0690 12 34 56', '+590690123456', true],
    ['0694 12 34 56', '+594694123456', true],
    ['0696 12 34 56', '+596696123456', true],
    ['+262 692 12 34 56', '+262692123456', true],
    ['0262 12 34 56', '+262262123456', false],
  ])('reads %s as %s', (input, e164, isMobile) => {
    expect(parseFrenchPhone(input)).toEqual({ e164, isMobile, isFrench: true });
  });

  it('refuses an overseas number written with +33, and garbage', () => {
    expect(parseFrenchPhone('+33 6 92 12 34 56')).toBeNull();
    expect(parseFrenchPhone('12345')).toBeNull();
    expect(parseFrenchPhone('06 12 34')).toBeNull();
    expect(parseFrenchPhone('téléphone')).toBeNull();
  });

  it('keeps +269 (Comoros) as a foreign number, never as Mayotte', () => {
    expect(parseFrenchPhone('+269 321 23 45')).toEqual({ e164: '+2693212345', isMobile: false, isFrench: false });
  });
});

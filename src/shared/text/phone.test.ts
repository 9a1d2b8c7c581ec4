import { describe, expect, it } from 'vitest';
import { maskPhone, parseFrenchPhone } from './phone.js';

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

  it.each([
    ['0590 27 12 34', '+590590271234', false, 'Saint-Barthélemy fixed line (+590)'],
    ['0691 28 12 34', '+590691281234', true, 'Guadeloupe mobile (+590)'],
    ['07 55 12 34 56', '+33755123456', true, 'metropolitan mobile in 07'],
    ['+33 7 12 34 56 78', '+33712345678', true, 'metropolitan 07 range the metadata does not list yet'],
    ['0594 30 12 34', '+594594301234', false, 'Guyane fixed line (+594)'],
    ['0697 12 34 56', '+596697123456', true, 'Martinique mobile (+596)'],
    ['0596 60 12 34', '+596596601234', false, 'Martinique fixed line, though FR metadata accepts 0596 60'],
    ['0693 12 34 56', '+262693123456', true, 'La Réunion mobile (+262)'],
    ['0263 12 34 56', '+262263123456', false, 'La Réunion fixed line, though FR metadata accepts 0263'],
    ['0269 61 23 45', '+262269612345', false, 'Mayotte fixed line, though FR metadata accepts 0269'],
    ['+262 639 01 23 45', '+262639012345', true, 'Mayotte mobile written internationally'],
    ['+590 690 12 34 56', '+590690123456', true, 'Guadeloupe mobile written internationally'],
    ['+594 694 12 34 56', '+594694123456', true, 'Guyane mobile written internationally'],
    ['+596 696 12 34 56', '+596696123456', true, 'Martinique mobile written internationally'],
    ['+508 55 12 34', '+508551234', true, 'Saint-Pierre-et-Miquelon mobile (+508)'],
    ['+508 41 23 45', '+508412345', false, 'Saint-Pierre-et-Miquelon fixed line'],
    ['06 98 76 54 32', '+33698765432', true, 'metropolitan mobile in 0698 (not an overseas range)'],
    ['09 76 12 34 56', '+33976123456', false, 'metropolitan VoIP number: not a mobile'],
    ['+33 (0)6 12 34 56 78', '+33612345678', true, 'international with the (0) habit'],
    ['06\u00A012\u00A034\u00A056\u00A078', '+33612345678', true, 'no-break spaces'],
  ])('reads %s as %s (%s)', (input, e164, isMobile) => {
    expect(parseFrenchPhone(input)).toEqual({ e164, isMobile, isFrench: true });
  });

  it('refuses +33 with any overseas prefix: those numbers exist only under their own country code', () => {
    for (const input of ['+33 6 90 12 34 56', '+33 6 94 12 34 56', '+33 6 96 12 34 56', '+33 6 39 01 23 45', '+33 2 62 12 34 56', '+33 2 69 61 23 45', '0033 6 92 12 34 56']) {
      expect([input, parseFrenchPhone(input)]).toEqual([input, null]);
    }
  });

  it('tells a Comoros number (+269) from Mayotte (+262 269…, +262 639…), and keeps foreign numbers out of SMS', () => {
    expect(parseFrenchPhone('+269 773 12 34')).toEqual({ e164: '+2697731234', isMobile: false, isFrench: false });
    expect(parseFrenchPhone('+262 269 61 23 45')).toEqual({ e164: '+262269612345', isMobile: false, isFrench: true });
    expect(parseFrenchPhone('+44 7911 123456')).toEqual({ e164: '+447911123456', isMobile: false, isFrench: false });
    expect(parseFrenchPhone('0044 7911 123456')).toEqual({ e164: '+447911123456', isMobile: false, isFrench: false });
    expect(parseFrenchPhone('+1 201 555 0123')).toEqual({ e164: '+12015550123', isMobile: false, isFrench: false });
  });

  it('refuses numbers no plan knows, extensions, text and overlong input', () => {
    for (const input of ['+33 6 12 34 56 78 9', '+33 6 12 34 56 78 ext 12', '06 12 34 56 78 poste 3', '612345678', '+999 123 456 789', '0690 12 34', '+', '', `06${' '.repeat(50)}12 34 56 78`, '+33 6 12 34', '0612345678901', 'O6 12 34 56 78']) {
      expect([input, parseFrenchPhone(input)]).toEqual([input, null]);
    }
  });
});

describe('maskPhone', () => {
  it('keeps the first two and the last two digits of a French number', () => {
    expect(maskPhone('+33612345678')).toBe('06 ** ** ** 78');
    expect(maskPhone('+262692123456')).toBe('06 ** ** ** 56');
    expect(maskPhone('+590590271234')).toBe('05 ** ** ** 34');
  });

  it('keeps the country code and the last two digits abroad, and never shows a whole number', () => {
    expect(maskPhone('+2693212345')).toBe('+269 *** ** 45');
    expect(maskPhone('+508551234')).toBe('+508 ** ** 34');
    expect(maskPhone('pas un numéro 1234')).toBe('**34');
    expect(maskPhone('')).toBe('**');
  });
});


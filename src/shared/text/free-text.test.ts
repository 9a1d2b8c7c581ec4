import { describe, expect, it } from 'vitest';
import { cleanPersonName, cleanPostalAddress } from './free-text.js';

describe('person names', () => {
  it.each(['Camille', 'Jean-Pierre', 'N’Diaye', "O'Connor", 'Marie Thérèse', 'Zoë', 'de La Fontaine', 'Łukasz', 'St. Pierre'])('accepts %s', (name) => {
    expect(cleanPersonName(name)).toEqual({ ok: true, value: name });
  });

  it('trims and keeps single spaces', () => {
    expect(cleanPersonName('  Anne   Sophie ')).toEqual({ ok: true, value: 'Anne Sophie' });
  });

  it.each([
    ['Durand\nSet-Cookie: x', 'INVALID'],
    ['Du\rrand', 'INVALID'],
    ['Du\u0000rand', 'INVALID'],
    ['Dur\tand', 'INVALID'],
    ['Durand\u202e', 'INVALID'],
    ['https://evil.example', 'INVALID'],
    ['www.evil.fr', 'INVALID'],
    ['evil.fr', 'INVALID'],
    ['Durand2', 'INVALID'],
    ['-Durand', 'INVALID'],
    ['✓', 'INVALID'],
    ['   ', 'EMPTY'],
    ['é'.repeat(101), 'TOO_LONG'],
  ] as const)('refuses %j (%s)', (name, problem) => {
    expect(cleanPersonName(name)).toEqual({ ok: false, problem });
  });
});

describe('postal addresses', () => {
  it('accepts an address with numbers and punctuation, and an empty one as null', () => {
    expect(cleanPostalAddress(' 20 quai Hippolyte-Rossignol,  77000 Melun ')).toEqual({ ok: true, value: '20 quai Hippolyte-Rossignol, 77000 Melun' });
    expect(cleanPostalAddress('')).toEqual({ ok: true, value: null });
  });

  it('refuses control characters, links and 201 characters, without cutting anything', () => {
    expect(cleanPostalAddress('1 rue\nX')).toEqual({ ok: false, problem: 'INVALID' });
    expect(cleanPostalAddress('voir https://evil.example')).toEqual({ ok: false, problem: 'INVALID' });
    expect(cleanPostalAddress('a'.repeat(201))).toEqual({ ok: false, problem: 'TOO_LONG' });
  });
});

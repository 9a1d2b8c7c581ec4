import { describe, expect, it } from 'vitest';
import { isSamePersonName, matchesLastNamePrefix, normalizePersonName } from './person-name.js';

describe('normalizePersonName', () => {
  it('drops accents, case, apostrophes, hyphens and spaces, and spells ligatures out', () => {
    expect(normalizePersonName('N’Guyen')).toBe('nguyen');
    expect(normalizePersonName("D'Ornano-Lefèvre")).toBe('dornanolefevre');
    expect(normalizePersonName('Œuvrard')).toBe('oeuvrard');
    expect(normalizePersonName('  Ça\u00a0Va ')).toBe('cava');
    expect(normalizePersonName('MÜLLER')).toBe('muller');
  });
});

describe('matchesLastNamePrefix', () => {
  it('accepts the first three letters whatever the case and accents', () => {
    expect(matchesLastNamePrefix('Lefèvre', 'lef')).toBe(true);
    expect(matchesLastNamePrefix('Lefèvre', 'LÉF')).toBe(true);
    expect(matchesLastNamePrefix('Écuyer', 'ecu')).toBe(true);
    expect(matchesLastNamePrefix('N’Guyen', "n'gu")).toBe(true);
    expect(matchesLastNamePrefix('N’Guyen', 'ngu')).toBe(true);
    expect(matchesLastNamePrefix('Saint-Just', 'sai')).toBe(true);
  });
  it('accepts more letters than needed but never fewer', () => {
    expect(matchesLastNamePrefix('Durand', 'durand')).toBe(true);
    expect(matchesLastNamePrefix('Durand', 'du')).toBe(false);
    expect(matchesLastNamePrefix('Durand', 'durant')).toBe(false);
    expect(matchesLastNamePrefix('Durand', '')).toBe(false);
  });
  it('asks for the whole name when it has fewer than three letters', () => {
    expect(matchesLastNamePrefix('Ba', 'ba')).toBe(true);
    expect(matchesLastNamePrefix('Ba', 'b')).toBe(false);
  });
  it('refuses other names', () => {
    expect(matchesLastNamePrefix('Durand', 'dup')).toBe(false);
    expect(matchesLastNamePrefix('—', 'abc')).toBe(false);
  });
});

describe('isSamePersonName', () => {
  it('matches spellings of the same name and nothing else', () => {
    expect(isSamePersonName('Jean-Luc', 'jean luc')).toBe(true);
    expect(isSamePersonName('Élodie', 'ELODIE')).toBe(true);
    expect(isSamePersonName('Elodie', 'Eloïse')).toBe(false);
    expect(isSamePersonName('', '')).toBe(false);
  });
});

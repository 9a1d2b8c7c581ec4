import { describe, expect, it } from 'vitest';
import { clampLimit, normaliseForMatching, prepareQuery } from './search-text.js';

describe('prepareQuery', () => {
  it('trims, collapses spaces and drops leading punctuation that the service rejects', () => {
    expect(prepareQuery('  « 20   quai\tHippolyte  Rossignol ')).toBe('20 quai Hippolyte Rossignol');
  });

  it('has nothing to search below three characters', () => {
    expect(prepareQuery('77')).toBeNull();
    expect(prepareQuery(' - , ')).toBeNull();
    expect(prepareQuery('Eu ')).toBeNull();
    expect(prepareQuery('Eu,')).toBe('Eu,');
  });

  it('cuts the query at 200 characters', () => {
    expect(prepareQuery('a'.repeat(300))).toHaveLength(200);
  });
});

describe('clampLimit', () => {
  it('asks for 5 results unless told, and between 1 and 20', () => {
    expect(clampLimit(undefined)).toBe(5);
    expect(clampLimit(Number.NaN)).toBe(5);
    expect(clampLimit(0)).toBe(1);
    expect(clampLimit(3.7)).toBe(3);
    expect(clampLimit(500)).toBe(20);
  });
});

describe('normaliseForMatching', () => {
  it('ignores case, accents, ligatures and punctuation', () => {
    expect(normaliseForMatching('Dammarie-lès-Lys')).toBe('dammarie les lys');
    expect(normaliseForMatching('DAMMARIE LES LYS')).toBe('dammarie les lys');
    expect(normaliseForMatching('L’Haÿ-les-Roses')).toBe('l hay les roses');
    expect(normaliseForMatching('Œuilly')).toBe('oeuilly');
  });

  it('spells out Saint and Sainte', () => {
    expect(normaliseForMatching('St-Denis')).toBe('saint denis');
    expect(normaliseForMatching('Ste Marie')).toBe('sainte marie');
  });
});

import { describe, expect, it } from 'vitest';
import { neutraliseFormula, restoreFormula, startsLikeFormula } from './csv-cells.js';

describe('spreadsheet formula neutralisation', () => {
  it('prefixes cells that a spreadsheet would run, and restores them', () => {
    for (const value of ['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseFormula(value)).toBe(`'${value}`);
      expect(restoreFormula(neutraliseFormula(value))).toBe(value);
      expect(startsLikeFormula(value)).toBe(true);
    }
  });

  it('leaves ordinary names alone, apostrophes included', () => {
    for (const value of ['Melun', 'L’Haÿ-les-Roses', "'t Hoeksken", 'Rue du 8-Mai-1945', '']) {
      expect(neutraliseFormula(value)).toBe(value);
      expect(restoreFormula(value)).toBe(value);
      expect(startsLikeFormula(value)).toBe(false);
    }
  });
});

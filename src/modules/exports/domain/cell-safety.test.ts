import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCellText, startsLikeFormula } from './cell-safety.js';

describe('neutraliseCellText', () => {
  it.each(['=1+1', '+33612345678', '-2+3', '@SUM(A1:A2)', '\t=cmd', '\r=cmd', '=HYPERLINK("http://evil.example","clic")'])(
    'prefixes %j with an apostrophe so that no spreadsheet evaluates it',
    (text) => {
      expect(neutraliseCellText(text)).toBe(`'${text}`);
    },
  );

  it('leaves ordinary text as it is, accents and inner signs included', () => {
    expect(neutraliseCellText('Benali Nadia')).toBe('Benali Nadia');
    expect(neutraliseCellText('Jean-Pierre Éloïse')).toBe('Jean-Pierre Éloïse');
    expect(neutraliseCellText('a=b')).toBe('a=b');
    expect(neutraliseCellText('')).toBe('');
  });

  it('removes the control characters XML cannot hold, then checks what starts the text', () => {
    expect(neutraliseCellText('\u0000=1+1')).toBe("'=1+1");
    expect(neutraliseCellText('Nom\u0007 propre')).toBe('Nom propre');
    expect(neutraliseCellText('ligne 1\nligne 2')).toBe('ligne 1\nligne 2');
  });

  it('removes lone surrogates and keeps emoji', () => {
    expect(neutraliseCellText('a\ud800b')).toBe('ab');
    expect(neutraliseCellText('✓ 👍')).toBe('✓ 👍');
  });

  it('never returns a text a spreadsheet reads as a formula (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const safe = neutraliseCellText(text);
        expect(startsLikeFormula(safe)).toBe(false);
        // Only the apostrophe is added: the rest is the text minus what XML cannot hold.
        expect(safe.replace(/^'/, '').length).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { foldText } from './fold.js';
import { parseUserSearch, phonePrefixOf } from './search-query.js';

describe('foldText', () => {
  it('drops accents, case, ligatures and punctuation', () => {
    expect(foldText('Élodie LEFÈVRE')).toBe('elodie lefevre');
    expect(foldText('N’Guyen')).toBe('n guyen');
    expect(foldText('Jean-Marie  d’Arc.')).toBe('jean marie d arc');
    expect(foldText('Œdipe Cœur')).toBe('oedipe coeur');
    expect(foldText('Ægir Straße')).toBe('aegir strasse');
    expect(foldText('  ')).toBe('');
  });
});

describe('parseUserSearch', () => {
  it('reads ids', () => {
    expect(parseUserSearch('#123')).toEqual({ kind: 'id', id: 123 });
    expect(parseUserSearch('123')).toEqual({ kind: 'id', id: 123 });
    expect(parseUserSearch('n° 42')).toEqual({ kind: 'id', id: 42 });
  });

  it('reads complete phone numbers typed in every French way, overseas included', () => {
    for (const text of ['06 12 34 56 78', '0612345678', '06.12.34.56.78', '06-12-34-56-78', '+33 6 12 34 56 78', '+33612345678', '0033 6 12 34 56 78']) {
      expect(parseUserSearch(text), text).toEqual({ kind: 'phone', e164: '+33612345678' });
    }
    expect(parseUserSearch('0692 12 34 56')).toEqual({ kind: 'phone', e164: '+262692123456' });
    expect(parseUserSearch('0690 12 34 56')).toEqual({ kind: 'phone', e164: '+590690123456' });
    expect(parseUserSearch('+262 692 12 34 56')).toEqual({ kind: 'phone', e164: '+262692123456' });
  });

  it('reads the first digits of a number as a prefix of its E.164 form', () => {
    expect(parseUserSearch('06 12 34')).toEqual({ kind: 'phone_prefix', e164Prefix: '+3361234' });
    expect(parseUserSearch('0692 12')).toEqual({ kind: 'phone_prefix', e164Prefix: '+26269212' });
    expect(parseUserSearch('0596 1')).toEqual({ kind: 'phone_prefix', e164Prefix: '+5965961' });
    expect(parseUserSearch('+33 6 12')).toEqual({ kind: 'phone_prefix', e164Prefix: '+33612' });
    expect(parseUserSearch('06')).toEqual({ kind: 'too_short' });
    expect(phonePrefixOf('061')).toBeNull();
    expect(phonePrefixOf('0694')).toBe('+594694');
  });

  it('reads e-mails and names', () => {
    expect(parseUserSearch(' Karim.H@ ')).toEqual({ kind: 'email', prefix: 'karim.h@' });
    expect(parseUserSearch('Élodi  Lefèvr')).toEqual({ kind: 'names', folded: 'elodi lefevr' });
    expect(parseUserSearch('du')).toEqual({ kind: 'names', folded: 'du' });
  });

  it('finds nothing to search in empty or one-letter text', () => {
    expect(parseUserSearch('')).toEqual({ kind: 'empty' });
    expect(parseUserSearch('   ')).toEqual({ kind: 'empty' });
    expect(parseUserSearch('é')).toEqual({ kind: 'too_short' });
    expect(parseUserSearch('’ -')).toEqual({ kind: 'too_short' });
    expect(parseUserSearch('0')).toEqual({ kind: 'too_short' });
  });
});

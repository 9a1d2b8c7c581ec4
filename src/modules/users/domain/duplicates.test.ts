import { describe, expect, it } from 'vitest';
import { findDuplicates, warningsAcknowledged, type DuplicateCandidateFacts, type UserIdentity } from './duplicates.js';

const identity: UserIdentity = { id: null, firstName: 'Élodie', lastName: 'Lefèvre', birthDate: '1996-01-25', email: 'elodie@example.fr', phoneNumberE164: '+33612345603', responsibleId: null };

function candidate(values: Partial<DuplicateCandidateFacts> & { id: number }): DuplicateCandidateFacts {
  return { firstName: 'Autre', lastName: 'Personne', birthDate: null, email: null, phoneNumberE164: null, responsibleId: null, ...values };
}

describe('findDuplicates', () => {
  it('blocks on the same e-mail of another account holder, whatever its case', () => {
    const verdict = findDuplicates(identity, [candidate({ id: 7, email: 'Elodie@Example.FR' })]);
    expect(verdict.blocking).toEqual([{ userId: 7, reasons: ['same_email'] }]);
    expect(verdict.warnings).toEqual([]);
  });

  it('does not block on a relative’s e-mail, nor for a relative sharing the responsible’s', () => {
    expect(findDuplicates(identity, [candidate({ id: 7, email: 'elodie@example.fr', responsibleId: 3 })]).blocking).toEqual([]);
    expect(findDuplicates({ ...identity, responsibleId: 3 }, [candidate({ id: 3, email: 'elodie@example.fr' })]).blocking).toEqual([]);
  });

  it('warns on the same names (accents, case, punctuation ignored) and birth date', () => {
    const verdict = findDuplicates(identity, [candidate({ id: 8, firstName: 'ELODIE', lastName: 'lefevre', birthDate: '1996-01-25' }), candidate({ id: 9, firstName: 'Elodie', lastName: 'Lefèvre', birthDate: '1996-01-26' })]);
    expect(verdict.warnings).toEqual([{ userId: 8, reasons: ['same_identity'] }]);
  });

  it('needs a birth date to call two homonyms the same person', () => {
    expect(findDuplicates({ ...identity, birthDate: null, phoneNumberE164: null }, [candidate({ id: 8, firstName: 'Élodie', lastName: 'Lefèvre', birthDate: null })]).warnings).toEqual([]);
  });

  it('warns on the same phone number, with every reason found', () => {
    const verdict = findDuplicates(identity, [candidate({ id: 10, phoneNumberE164: '+33612345603', firstName: 'Élodie', lastName: 'Lefevre', birthDate: '1996-01-25' })]);
    expect(verdict.warnings).toEqual([{ userId: 10, reasons: ['same_identity', 'same_phone'] }]);
  });

  it('never reports the usager being edited, nor the same candidate twice', () => {
    const self = candidate({ id: 5, email: 'elodie@example.fr' });
    expect(findDuplicates({ ...identity, id: 5 }, [self, self])).toEqual({ blocking: [], warnings: [] });
    expect(findDuplicates(identity, [candidate({ id: 11, phoneNumberE164: '+33612345603' }), candidate({ id: 11, phoneNumberE164: '+33612345603' })]).warnings).toHaveLength(1);
  });

  it('sorts duplicates by id', () => {
    const verdict = findDuplicates(identity, [candidate({ id: 20, phoneNumberE164: '+33612345603' }), candidate({ id: 12, phoneNumberE164: '+33612345603' })]);
    expect(verdict.warnings.map((duplicate) => duplicate.userId)).toEqual([12, 20]);
  });
});

describe('warningsAcknowledged', () => {
  it('needs every warned usager among the acknowledged ones', () => {
    const warnings = [
      { userId: 1, reasons: ['same_phone'] as const },
      { userId: 2, reasons: ['same_identity'] as const },
    ];
    expect(warningsAcknowledged(warnings, [1, 2])).toBe(true);
    expect(warningsAcknowledged(warnings, [1])).toBe(false);
    expect(warningsAcknowledged([], [])).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { checkMergeAllowed, compareUsers, mergeNotes, participationToKeep, planMerge, type FieldValue, type MergeField, type MergeUserFacts } from './merge-plan.js';

const BLANK: Record<MergeField, FieldValue> = {
  firstName: 'Élodie',
  lastName: 'Lefèvre',
  birthName: null,
  birthDate: '1996-01-25',
  email: null,
  phone: '+33612345603',
  address: null,
  notifyBySms: true,
  notifyByEmail: true,
  caisseAffiliation: null,
  affiliationNumber: null,
  familySituation: null,
  numberOfChildren: null,
  housing: null,
  caseNumber: null,
};

function user(id: number, values: Partial<Record<MergeField, FieldValue>> = {}, facts: Partial<Omit<MergeUserFacts, 'values'>> = {}): MergeUserFacts {
  return { id, responsibleId: null, hasAccount: false, relativesCount: 0, ...facts, values: { ...BLANK, ...values } };
}

describe('checkMergeAllowed', () => {
  it('refuses to merge a usager with themselves', () => {
    expect(checkMergeAllowed(user(1), user(1))).toEqual({ ok: false, reason: 'SAME_USER' });
  });

  it('refuses to merge a usager with their own relative, either way round', () => {
    expect(checkMergeAllowed(user(1), user(2, {}, { responsibleId: 1 }))).toEqual({ ok: false, reason: 'RELATIVE_OF_EACH_OTHER' });
    expect(checkMergeAllowed(user(2, {}, { responsibleId: 1 }), user(1))).toEqual({ ok: false, reason: 'RELATIVE_OF_EACH_OTHER' });
  });

  it('refuses two online accounts, and keeps the account holder when only one has an account', () => {
    expect(checkMergeAllowed(user(1, {}, { hasAccount: true }), user(2, {}, { hasAccount: true }))).toEqual({ ok: false, reason: 'BOTH_ACCOUNTS' });
    expect(checkMergeAllowed(user(1), user(2, {}, { hasAccount: true }))).toEqual({ ok: false, reason: 'ACCOUNT_ON_MERGED' });
    expect(checkMergeAllowed(user(1, {}, { hasAccount: true }), user(2))).toEqual({ ok: true });
  });

  it('keeps the relative rather than the standalone duplicate, and refuses relatives of different people', () => {
    expect(checkMergeAllowed(user(1), user(2, {}, { responsibleId: 9 }))).toEqual({ ok: false, reason: 'KEEP_THE_RELATIVE' });
    expect(checkMergeAllowed(user(2, {}, { responsibleId: 9 }), user(1))).toEqual({ ok: true });
    expect(checkMergeAllowed(user(2, {}, { responsibleId: 9 }), user(3, {}, { responsibleId: 8 }))).toEqual({ ok: false, reason: 'RESPONSIBLES_DIFFER' });
    expect(checkMergeAllowed(user(2, {}, { responsibleId: 9 }), user(3, {}, { responsibleId: 9 }))).toEqual({ ok: true });
  });

  it('refuses to give relatives to a relative', () => {
    expect(checkMergeAllowed(user(2, {}, { responsibleId: 9 }), user(1, {}, { relativesCount: 1 }))).toEqual({ ok: false, reason: 'RELATIVE_CANNOT_TAKE_RELATIVES' });
    expect(checkMergeAllowed(user(1), user(2, {}, { relativesCount: 2 }))).toEqual({ ok: true });
  });
});

describe('compareUsers', () => {
  it('lists only the differing fields, case and accents counting, surrounding spaces not', () => {
    const comparisons = compareUsers(user(1), user(2, { firstName: 'Elodie ', lastName: 'LEFEVRE', phone: '+33612345693', birthDate: '1996-01-25' }), []);
    expect(comparisons.map((comparison) => comparison.field)).toEqual(['firstName', 'lastName', 'phone']);
    expect(compareUsers(user(1), user(2, { firstName: ' Élodie ' }), [])).toEqual([]);
  });

  it('defaults to the kept value, or to the merged one when the kept one is empty', () => {
    const [email, phone] = compareUsers(user(1), user(2, { email: 'elodie@example.fr', phone: '+33612345693' }), []);
    expect(email).toMatchObject({ field: 'email', choosable: true, defaultSource: 'merged' });
    expect(phone).toMatchObject({ field: 'phone', choosable: true, defaultSource: 'kept' });
  });

  it('does not ask the e-mail of an account holder: it is their sign-in identity', () => {
    const [email] = compareUsers(user(1, { email: 'a@example.fr' }, { hasAccount: true }), user(2, { email: 'b@example.fr' }), []);
    expect(email).toMatchObject({ field: 'email', choosable: false, defaultSource: 'kept', fixedBecause: 'ACCOUNT_EMAIL' });
  });

  it('does not ask the social fields the territory hides, and fills an empty one from the merged usager', () => {
    const comparisons = compareUsers(user(1, { caseNumber: 'A-1' }), user(2, { caseNumber: 'B-2', housing: 'tenant' }), ['housing']);
    expect(comparisons).toEqual([
      { field: 'housing', kept: null, merged: 'tenant', choosable: true, defaultSource: 'merged' },
      { field: 'caseNumber', kept: 'A-1', merged: 'B-2', choosable: false, defaultSource: 'kept', fixedBecause: 'HIDDEN_FIELD' },
    ]);
    const hiddenFilled = compareUsers(user(1), user(2, { affiliationNumber: '123' }), []);
    expect(hiddenFilled).toEqual([{ field: 'affiliationNumber', kept: null, merged: '123', choosable: false, defaultSource: 'merged', fixedBecause: 'HIDDEN_FIELD' }]);
  });
});

describe('planMerge', () => {
  const kept = user(1);
  const merged = user(2, { lastName: 'LEFEVRE', phone: '+33612345693', email: 'elodie@example.fr', notifyBySms: false, affiliationNumber: '77' });

  it('takes from the merged usager exactly the chosen fields and the hidden fields it fills', () => {
    const plan = planMerge(kept, merged, [], { lastName: 'kept', phone: 'merged', email: 'merged', notifyBySms: 'kept' });
    expect(plan).toEqual({ ok: true, takeFromMerged: ['email', 'phone', 'affiliationNumber'] });
  });

  it('asks for every choosable differing field', () => {
    expect(planMerge(kept, merged, [], { lastName: 'kept' })).toEqual({ ok: false, reason: 'MISSING_CHOICES', fields: ['email', 'phone', 'notifyBySms'] });
  });

  it('ignores choices for equal or fixed fields, and refuses what checkMergeAllowed refuses', () => {
    expect(planMerge(user(1, { email: 'a@example.fr' }, { hasAccount: true }), user(2, { email: 'b@example.fr' }), [], { firstName: 'merged', email: 'merged' })).toEqual({
      ok: true,
      takeFromMerged: [],
    });
    expect(planMerge(kept, user(2, {}, { hasAccount: true }), [], {})).toEqual({ ok: false, reason: 'ACCOUNT_ON_MERGED' });
  });
});

describe('participationToKeep', () => {
  it('keeps the best status: seen, then expected, then no-show, then excused, then revoked', () => {
    expect(participationToKeep('unknown', 'seen')).toBe('merged');
    expect(participationToKeep('seen', 'unknown')).toBe('kept');
    expect(participationToKeep('revoked', 'excused')).toBe('merged');
    expect(participationToKeep('noshow', 'excused')).toBe('kept');
    expect(participationToKeep('excused', 'noshow')).toBe('merged');
  });

  it('keeps the kept usager’s participation on a tie', () => {
    expect(participationToKeep('unknown', 'unknown')).toBe('kept');
  });
});

describe('mergeNotes', () => {
  it('joins both notes, kept first, and writes a note present twice once', () => {
    expect(mergeNotes('Suivi RSA', 'Dossier CAF en cours')).toBe('Suivi RSA\n\nDossier CAF en cours');
    expect(mergeNotes(null, ' Dossier ')).toBe('Dossier');
    expect(mergeNotes('Même note', 'Même note ')).toBe('Même note');
    expect(mergeNotes(null, '  ')).toBeNull();
  });
});

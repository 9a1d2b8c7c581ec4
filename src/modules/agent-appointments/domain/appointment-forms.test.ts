import { describe, expect, it } from 'vitest';
import { checkDetails, checkNewPerson, checkOverlapReason, type DetailsInput } from './appointment-forms.js';

const TODAY = '2026-11-24';

describe('checkNewPerson', () => {
  it('accepts names with accents, apostrophes and hyphens, a birth date in either format, a French phone and an e-mail', () => {
    expect(checkNewPerson({ prenom: ' Anne-Élise ', nom: 'N’Guyen', naissance: '03/02/1990', telephone: '06 12 34 56 78', email: ' Anne@Exemple.FR ' }, TODAY)).toEqual({
      ok: true,
      value: { firstName: 'Anne-Élise', lastName: 'N’Guyen', birthDate: '1990-02-03', email: 'anne@exemple.fr', phoneNumber: '06 12 34 56 78', phoneNumberE164: '+33612345678' },
    });
    const reunion = checkNewPerson({ prenom: 'Jean', nom: 'Payet', naissance: '1980-05-06', telephone: '0692 12 34 56', email: '' }, TODAY);
    expect(reunion.ok && reunion.value.phoneNumberE164).toBe('+262692123456');
  });

  it('refuses empty or invalid names, a future or impossible birth date, a wrong phone or e-mail, each with its French message', () => {
    const result = checkNewPerson({ prenom: '  ', nom: 'https://evil.fr', naissance: '31/02/2000', telephone: '12', email: 'pas-un-email' }, TODAY);
    expect(result).toEqual({
      ok: false,
      errors: {
        prenom: 'Saisissez le prénom.',
        nom: expect.stringContaining('Nom invalide') as string,
        naissance: expect.stringContaining('Date de naissance invalide') as string,
        telephone: expect.stringContaining('Numéro de téléphone invalide') as string,
        email: expect.stringContaining('Adresse e-mail invalide') as string,
      },
    });
    expect(checkNewPerson({ prenom: 'Jean\u0000', nom: 'é'.repeat(101), naissance: '2027-01-01', telephone: '', email: '' }, TODAY).ok).toBe(false);
  });
});

describe('checkDetails', () => {
  const context = { agentIds: new Set([1, 2]), places: new Map([[10, 'Europe/Paris'], [20, 'Indian/Reunion']]), organisationTimeZone: 'Europe/Paris', requiresPlace: true };
  const input = (overrides: Partial<DetailsInput> = {}): DetailsInput => ({ agents: [1], date: '2026-12-01', heure: '09:30', duree: '45', lieu: '10', adresse: '', contexte: '', ...overrides });

  it('reads the time in the place’s zone: 9:30 in Paris and 9:30 in La Réunion are different instants', () => {
    const paris = checkDetails(input(), context);
    const reunion = checkDetails(input({ lieu: '20' }), context);
    expect(paris.ok && new Date(paris.value.startsAtEpochMinutes * 60_000).toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(reunion.ok && new Date(reunion.value.startsAtEpochMinutes * 60_000).toISOString()).toBe('2026-12-01T05:30:00.000Z');
  });

  it('reads a time across the spring DST change in Paris', () => {
    const result = checkDetails(input({ date: '2026-03-29', heure: '10:00' }), context);
    expect(result.ok && new Date(result.value.startsAtEpochMinutes * 60_000).toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it('keeps a one-off address, deduplicates agents and trims the context', () => {
    expect(checkDetails(input({ agents: [2, 2, 1], lieu: 'ponctuel', adresse: ' 3 rue des Lilas,  Melun ', contexte: ' notes ' }), context)).toMatchObject({
      ok: true,
      value: { agentIds: [2, 1], placeId: null, oneOffAddress: '3 rue des Lilas, Melun', context: 'notes', durationMinutes: 45 },
    });
  });

  it('refuses no agent or a foreign one, impossible dates and times, durations out of range, unknown places, a missing place for an office motif', () => {
    const result = checkDetails(input({ agents: [], date: '2026-02-30', heure: '25:61', duree: '0', lieu: '99' }), context);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['agents', 'date', 'duree', 'heure', 'lieu']);
    expect(checkDetails(input({ agents: [3] }), context)).toMatchObject({ ok: false, errors: { agents: 'Choisissez des agents de l’organisation.' } });
    expect(checkDetails(input({ lieu: '' }), context)).toMatchObject({ ok: false, errors: { lieu: expect.any(String) as string } });
    expect(checkDetails(input({ lieu: '' }), { ...context, requiresPlace: false }).ok).toBe(true);
    expect(checkDetails(input({ lieu: 'ponctuel', adresse: '   ' }), context)).toMatchObject({ ok: false, errors: { adresse: expect.any(String) as string } });
    expect(checkDetails(input({ contexte: 'a\u0000' }), context)).toMatchObject({ ok: false, errors: { contexte: expect.any(String) as string } });
  });
});

describe('checkOverlapReason', () => {
  it('requires a reason only when an overlap is confirmed, bounded and without control characters', () => {
    expect(checkOverlapReason('  ', true).ok).toBe(false);
    expect(checkOverlapReason('', false)).toEqual({ ok: true, value: null });
    expect(checkOverlapReason(' Urgence ', true)).toEqual({ ok: true, value: 'Urgence' });
    expect(checkOverlapReason('x'.repeat(501), true).ok).toBe(false);
  });
});

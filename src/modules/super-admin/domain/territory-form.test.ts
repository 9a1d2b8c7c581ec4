import { describe, expect, it } from 'vitest';
import { findDepartement, DEPARTEMENTS } from './departements.js';
import { checkImpersonationReason, checkTerritoryForm, slugOf } from './territory-form.js';

const cleanEmail = (value: string | undefined): { ok: true; value: string } | { ok: false; message: string } =>
  value !== undefined && value.includes('@') ? { ok: true, value: value.trim().toLowerCase() } : { ok: false, message: 'adresse' };

const VALID = {
  departement: '14',
  nomTerritoire: 'Calvados',
  regionFeries: '',
  nomOrganisation: 'MDS de Caen',
  nomLieu: 'MDS Caen centre',
  adresseLieu: '12 rue de Bretagne 14000 Caen',
  prenomAdmin: 'Agathe',
  nomAdmin: 'Lemaître',
  emailAdmin: 'Agathe@Calvados.fr',
};

describe('départements', () => {
  it('knows the 96 metropolitan départements (2A, 2B, no 20) and 971 to 976', () => {
    expect(DEPARTEMENTS).toHaveLength(102);
    expect(findDepartement('2a')).toEqual({ code: '2A', name: 'Corse-du-Sud', timeZone: 'Europe/Paris' });
    expect(findDepartement('1')?.code).toBe('01');
    expect(findDepartement('974')?.timeZone).toBe('Indian/Reunion');
    expect(findDepartement('973')?.timeZone).toBe('America/Cayenne');
    expect(findDepartement('975')?.timeZone).toBe('America/Miquelon');
    for (const refused of ['20', '96', '99', '977', '984', '00', '2C', '']) expect(findDepartement(refused), refused).toBeUndefined();
  });
});

describe('territory form', () => {
  it('accepts a whole form and derives the holiday region and the time zone', () => {
    const result = checkTerritoryForm(VALID, cleanEmail);
    expect(result).toMatchObject({ ok: true, value: { holidayRegion: null, departement: { code: '14', timeZone: 'Europe/Paris' }, admin: { email: 'agathe@calvados.fr' } } });
    expect(checkTerritoryForm({ ...VALID, regionFeries: 'FR-57' }, cleanEmail)).toMatchObject({ ok: true, value: { holidayRegion: 'FR-57' } });
  });

  it('says what is wrong in every field at once, in French', () => {
    const result = checkTerritoryForm({ departement: '20', nomTerritoire: 'a\u0007b', regionFeries: 'XX', nomOrganisation: '', nomLieu: '12', adresseLieu: '', prenomAdmin: 'x'.repeat(101), nomAdmin: '<b>', emailAdmin: 'non' }, cleanEmail);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['adresseLieu', 'departement', 'emailAdmin', 'nomAdmin', 'nomLieu', 'nomOrganisation', 'nomTerritoire', 'prenomAdmin', 'regionFeries']);
    expect(result.errors.departement).toContain('01 à 95, 2A, 2B, ou 971 à 976');
    expect(checkTerritoryForm({}, cleanEmail).ok).toBe(false);
  });

  it('makes ASCII slugs', () => {
    expect(slugOf('Maison des Solidarités d’Évreux — Nord')).toBe('maison-des-solidarites-d-evreux-nord');
    expect(slugOf('***')).toBe('organisation');
    expect(slugOf('a'.repeat(80))).toHaveLength(60);
  });
});

describe('impersonation reason', () => {
  it('is required, 500 characters at most, without control characters', () => {
    expect(checkImpersonationReason('  Ticket 42 \n agenda vide ')).toEqual({ ok: true, value: 'Ticket 42 agenda vide' });
    expect(checkImpersonationReason('   ').ok).toBe(false);
    expect(checkImpersonationReason(undefined).ok).toBe(false);
    expect(checkImpersonationReason('a'.repeat(500)).ok).toBe(true);
    expect(checkImpersonationReason('a'.repeat(501)).ok).toBe(false);
    expect(checkImpersonationReason('a\u0000b').ok).toBe(false);
  });
});

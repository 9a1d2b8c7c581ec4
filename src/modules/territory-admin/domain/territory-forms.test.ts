import { describe, expect, it } from 'vitest';
import { checkCategoryForm, checkClosureForm, checkHolidayRegion, checkOrganisationForm, closureLength, HOLIDAY_REGIONS } from './territory-forms.js';

describe('checkOrganisationForm', () => {
  const valid = { nom: '  MDS   de Provins ', slug: 'MDS-Provins', telephone: '01 64 00 00 09', email: 'Contact@Departement77.fr', siteWeb: 'https://www.seine-et-marne.fr/mds', identifiantExterne: 'MDS-PROV', fuseauHoraire: '' };

  it('cleans the fields and takes the département’s zone when none is typed', () => {
    expect(checkOrganisationForm(valid, 'Europe/Paris')).toEqual({
      ok: true,
      value: { name: 'MDS de Provins', slug: 'mds-provins', phoneNumber: '01 64 00 00 09', email: 'contact@departement77.fr', website: 'https://www.seine-et-marne.fr/mds', externalId: 'MDS-PROV', timeZone: 'Europe/Paris' },
    });
  });

  it('keeps an overriding zone the runtime knows, and leaves optional fields null', () => {
    const result = checkOrganisationForm({ nom: 'Antenne', slug: 'antenne', fuseauHoraire: 'Indian/Reunion' }, 'Europe/Paris');
    expect(result).toEqual({ ok: true, value: { name: 'Antenne', slug: 'antenne', phoneNumber: null, email: null, website: null, externalId: null, timeZone: 'Indian/Reunion' } });
  });

  it('refuses each bad field with its own French message', () => {
    const result = checkOrganisationForm({ nom: '', slug: 'a b', telephone: 'appelez-moi', email: 'x@', siteWeb: 'javascript:alert(1)', identifiantExterne: 'é', fuseauHoraire: 'Mars/Olympus' }, 'Europe/Paris');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['email', 'fuseauHoraire', 'identifiantExterne', 'nom', 'siteWeb', 'slug', 'telephone']);
    expect(result.errors.nom).toBe('Saisissez le nom de l’organisation.');
  });

  it('refuses control characters, over-long names, a one-letter slug and addresses with credentials', () => {
    for (const input of [
      { nom: 'MDS\u202e', slug: 'mds' },
      { nom: 'x'.repeat(201), slug: 'mds' },
      { nom: 'MDS', slug: 'm' },
      { nom: 'MDS', slug: 'mds--x' },
      { nom: 'MDS', slug: 'mds', siteWeb: 'https://user:pass@example.fr' },
      { nom: 'MDS', slug: 'mds', siteWeb: 'ftp://example.fr' },
    ]) {
      expect(checkOrganisationForm(input, 'Europe/Paris').ok, JSON.stringify(input).slice(0, 60)).toBe(false);
    }
  });
});

describe('checkClosureForm', () => {
  it('a single day when the last day is blank', () => {
    expect(checkClosureForm({ libelle: ' Fermeture exceptionnelle ', debut: '2026-12-24', fin: '' })).toEqual({ ok: true, value: { firstDay: '2026-12-24', lastDay: '2026-12-24', label: 'Fermeture exceptionnelle' } });
  });

  it('a range of days, at most a year', () => {
    expect(checkClosureForm({ libelle: 'Pont', debut: '2027-05-07', fin: '2027-05-08' }).ok).toBe(true);
    expect(checkClosureForm({ libelle: 'Année', debut: '2027-01-01', fin: '2028-01-01' }).ok).toBe(true);
    const tooLong = checkClosureForm({ libelle: 'Trop', debut: '2027-01-01', fin: '2028-01-03' });
    expect(tooLong).toEqual({ ok: false, errors: { fin: 'Une fermeture dure au plus un an.' } });
  });

  it('refuses a missing label, an impossible date, a year outside 2000–2100 and a range that ends before it starts', () => {
    expect(checkClosureForm({ libelle: '', debut: '' })).toEqual({ ok: false, errors: { debut: 'Saisissez le premier jour de la fermeture.', libelle: expect.stringContaining('Saisissez le libellé') as string } });
    expect(checkClosureForm({ libelle: 'x', debut: '2026-02-30' }).ok).toBe(false);
    expect(checkClosureForm({ libelle: 'x', debut: '1999-12-31' }).ok).toBe(false);
    expect(checkClosureForm({ libelle: 'x', debut: '2026-12-24', fin: '2026-12-23' })).toEqual({ ok: false, errors: { fin: 'Le dernier jour doit être le premier jour ou après.' } });
    expect(checkClosureForm({ libelle: 'a\nb', debut: '2026-12-24' }).ok).toBe(false);
  });

  it('counts the days of a closure', () => {
    expect(closureLength({ firstDay: '2026-12-24', lastDay: '2026-12-24' })).toBe(1);
    expect(closureLength({ firstDay: '2026-12-24', lastDay: '2027-01-02' })).toBe(10);
  });
});

describe('checkCategoryForm', () => {
  it('a name and a lower-case code', () => {
    expect(checkCategoryForm({ nom: 'Accès aux droits', code: ' Acces_Droits ' })).toEqual({ ok: true, value: { name: 'Accès aux droits', shortName: 'acces_droits' } });
    expect(checkCategoryForm({ nom: 'x', code: 'accès droits' }).ok).toBe(false);
    expect(checkCategoryForm({ nom: '', code: 'ok' }).ok).toBe(false);
  });
});

describe('checkHolidayRegion', () => {
  it('the listed regions only; blank means the département decides', () => {
    expect(checkHolidayRegion('')).toEqual({ ok: true, value: null });
    expect(checkHolidayRegion('FR-57')).toEqual({ ok: true, value: 'FR-57' });
    expect(checkHolidayRegion('FR-XX').ok).toBe(false);
    expect(HOLIDAY_REGIONS.every((region) => checkHolidayRegion(region.code).ok)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { checkCommuneZone, checkSectorForm, checkStreetZone, parseAttributionChoice } from './sectorisation-forms.js';

const communes = (code: string): string | undefined => ({ '77288': 'Melun', '2A004': 'Ajaccio', '97411': 'Saint-Denis' })[code];

describe('sector form', () => {
  it('accepts a name and a bundle identifier, spaces collapsed', () => {
    expect(checkSectorForm({ nom: '  Melun   nord ', identifiant: 'melun-nord_2' })).toEqual({ ok: true, value: { name: 'Melun nord', humanId: 'melun-nord_2' } });
  });

  it('names each problem in French', () => {
    expect(checkSectorForm({})).toEqual({ ok: false, errors: { nom: 'Indiquez le nom du secteur.', identifiant: 'Indiquez l’identifiant du secteur.' } });
    const bad = checkSectorForm({ nom: 'x'.repeat(201), identifiant: 'Melun Nord' });
    expect(bad.ok ? {} : bad.errors).toEqual({ nom: 'Le nom du secteur : 200 caractères au plus.', identifiant: expect.stringContaining('minuscules') as unknown });
    expect(checkSectorForm({ nom: 'a\u0000', identifiant: 'a'.repeat(81) })).toMatchObject({ ok: false, errors: { nom: 'Le nom du secteur contient des caractères non autorisés.', identifiant: 'L’identifiant : 80 caractères au plus.' } });
    expect(checkSectorForm({ nom: '@secteur', identifiant: '-a' })).toMatchObject({ ok: false, errors: { nom: expect.stringContaining('=, +, - ou @') as unknown } });
  });
});

describe('zone forms', () => {
  it('a commune of the département, its name from the COG (Corsica and overseas included)', () => {
    expect(checkCommuneZone({ codeInsee: ' 77288 ' }, '77', communes)).toEqual({ ok: true, value: { level: 'city', cityCode: '77288', cityName: 'Melun', streetBanId: null, streetName: null } });
    expect(checkCommuneZone({ codeInsee: '2a004' }, '2A', communes)).toMatchObject({ ok: true, value: { cityCode: '2A004', cityName: 'Ajaccio' } });
    expect(checkCommuneZone({ codeInsee: '97411' }, '974', communes)).toMatchObject({ ok: true, value: { cityName: 'Saint-Denis' } });
  });

  it('refuses other départements, unknown codes and postcodes', () => {
    expect(checkCommuneZone({ codeInsee: '97411' }, '77', communes)).toEqual({ ok: false, errors: { codeInsee: 'La commune 97411 n’est pas dans le département 77.' } });
    expect(checkCommuneZone({ codeInsee: '77999' }, '77', communes)).toEqual({ ok: false, errors: { codeInsee: 'Aucune commune ne porte le code 77999 dans le code officiel géographique.' } });
    expect(checkCommuneZone({ codeInsee: '7700' }, '77', communes)).toMatchObject({ ok: false, errors: { codeInsee: expect.stringContaining('n’est pas un code INSEE') as unknown } });
  });

  it('a street: its BAN key gives the commune', () => {
    expect(checkStreetZone({ idVoie: '77288_0740', nomVoie: ' Quai  Hippolyte Rossignol ' }, '77', communes)).toEqual({
      ok: true,
      value: { level: 'street', cityCode: '77288', cityName: 'Melun', streetBanId: '77288_0740', streetName: 'Quai Hippolyte Rossignol' },
    });
    expect(checkStreetZone({ idVoie: '77288_07400', nomVoie: '' }, '77', communes)).toMatchObject({
      ok: false,
      errors: { idVoie: expect.stringContaining('n’est pas un identifiant de voie BAN') as unknown, nomVoie: 'Indiquez le nom de la voie.' },
    });
    expect(checkStreetZone({ idVoie: '77999_0001', nomVoie: 'Rue' }, '77', communes)).toEqual({ ok: false, errors: { idVoie: 'La voie est dans la commune 77999, inconnue du code officiel géographique.' } });
  });
});

describe('attribution choice', () => {
  it('reads an organisation or an agent of an organisation, nothing else', () => {
    expect(parseAttributionChoice('organisation:12')).toEqual({ ok: true, value: { level: 'organisation', organisationId: 12 } });
    expect(parseAttributionChoice('agent:12:34')).toEqual({ ok: true, value: { level: 'agent', organisationId: 12, agentId: 34 } });
    for (const value of [undefined, '', 'organisation:0', 'agent:12', 'agent:1:2:3', 'organisation:12345678901', 'territoire:1']) {
      expect(parseAttributionChoice(value)).toEqual({ ok: false, errors: { cible: 'Choisissez une organisation ou un agent.' } });
    }
  });
});

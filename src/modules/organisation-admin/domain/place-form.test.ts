import { describe, expect, it } from 'vitest';
import { checkPlaceForm, coordinatesText, type PlaceFormInput } from './place-form.js';
import { FRENCH_TIME_ZONES, placeTimeZone, timeZoneName } from './time-zones.js';

const valid: PlaceFormInput = { nom: 'Antenne de Vaux-le-Pénil', adresse: ' 14 rue de la  Paroisse 77300 Fontainebleau ', telephone: '', accessibilite: 'Accès de plain-pied.\r\nParking réservé.', fuseau: '' };

describe('place form rules', () => {
  it('accepts a place and cleans what was typed', () => {
    expect(checkPlaceForm(valid)).toEqual({
      ok: true,
      value: { name: 'Antenne de Vaux-le-Pénil', address: '14 rue de la Paroisse 77300 Fontainebleau', phoneNumber: null, accessibilityNotes: 'Accès de plain-pied.\nParking réservé.', timeZone: null },
    });
    const chosen = checkPlaceForm({ ...valid, fuseau: 'Indian/Reunion', telephone: '0262 12 34 56' });
    expect(chosen.ok && chosen.value.timeZone).toBe('Indian/Reunion');
  });

  it('refuses each bad field with a French message', () => {
    const result = checkPlaceForm({ nom: '', adresse: 'https://example.org', telephone: 'abc', accessibilite: 'x'.repeat(1001), fuseau: 'Europe/Berlin' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['accessibilite', 'adresse', 'fuseau', 'nom', 'telephone']);
    expect(result.errors.nom).toContain('Saisissez le nom du lieu');
    expect(result.errors.adresse).toContain('Adresse invalide');
    expect(result.errors.telephone).toContain('téléphone');
    expect(result.errors.accessibilite).toContain('1000 caractères');
    expect(result.errors.fuseau).toBe('Choisissez un fuseau horaire dans la liste.');
    expect(checkPlaceForm({ ...valid, adresse: '' }).ok).toBe(false);
    expect(checkPlaceForm({ ...valid, adresse: 'rue\u0007' }).ok).toBe(false);
  });

  it('writes coordinates as text, hemispheres included', () => {
    expect(coordinatesText(48.539396, 2.655612)).toBe('48,53940° N, 2,65561° E');
    expect(coordinatesText(-20.878934, 55.448109)).toBe('20,87893° S, 55,44811° E');
    expect(coordinatesText(null, null)).toBe('non connues (commune seulement)');
  });

  it('takes the département’s zone unless one was chosen', () => {
    const zoneOf = (departement: string): string => (departement === '974' ? 'Indian/Reunion' : 'Europe/Paris');
    expect(placeTimeZone(null, '974', zoneOf)).toBe('Indian/Reunion');
    expect(placeTimeZone(null, '77', zoneOf)).toBe('Europe/Paris');
    expect(placeTimeZone('America/Cayenne', '77', zoneOf)).toBe('America/Cayenne');
    expect(timeZoneName('Indian/Mayotte')).toBe('Mayotte');
    expect(Object.keys(FRENCH_TIME_ZONES)).toContain('Europe/Paris');
  });
});

import { describe, expect, it } from 'vitest';
import { NEW_MOTIF_INPUT, checkMotifForm, copyName, motifFormInputOf, type MotifFormInput } from './motif-form.js';

const choices = { serviceIds: new Set([1, 2]), categoryIds: new Set([7]) };
const valid: MotifFormInput = { ...NEW_MOTIF_INPUT, nom: 'Consultation de puériculture', service: '1' };

function errorsOf(input: Partial<MotifFormInput>): Record<string, string> {
  const result = checkMotifForm({ ...valid, ...input }, choices);
  if (result.ok) throw new Error('expected a refusal');
  return result.errors;
}

describe('motif form rules', () => {
  it('accepts the defaults of a new motif and converts hours and days into minutes', () => {
    const result = checkMotifForm({ ...valid, rappel2: '2', categorie: '7', pas: '15', couleur: '#A0522D' }, choices);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
        name: 'Consultation de puériculture',
        color: '#a0522d',
        serviceId: 1,
        motifCategoryId: 7,
        durationMinutes: 30,
        slotStepMinutes: 15,
        minBookingNoticeMinutes: 30,
        maxBookingNoticeMinutes: 91 * 1440,
        cancelDeadlineMinutes: 240,
        rescheduleDeadlineMinutes: 2880,
        reminderOffsetsMinutes: [2880, 120],
        bookableBy: 'everyone',
    });
  });

  it('gives a French message per field', () => {
    const errors = errorsOf({ nom: '', couleur: 'bleu', service: '3', duree: '0', typeLieu: 'ailleurs', reservablePar: 'chacun', delaiMinimum: 'deux', rappel1: '0' });
    expect(Object.keys(errors).sort()).toEqual(['couleur', 'delaiMinimum', 'duree', 'nom', 'rappel1', 'reservablePar', 'service', 'typeLieu']);
    expect(errors.nom).toContain('Saisissez le nom');
    expect(errors.couleur).toBe('Couleur invalide : au format #rrggbb, par exemple #000091.');
    expect(errors.service).toBe('Choisissez un service proposé par le territoire.');
    expect(errors.duree).toContain('entre 1 et 1440');
    expect(errors.typeLieu).toContain('type de rendez-vous');
    expect(errors.reservablePar).toContain('qui peut');
    expect(errors.delaiMinimum).toContain('Délai minimum invalide');
    expect(errors.rappel1).toContain('Rappel invalide');
  });

  it('wants the maximum notice longer than the minimum', () => {
    expect(errorsOf({ delaiMinimum: '48', delaiMaximum: '2' })).toEqual({ delaiMaximum: 'Le délai maximum de réservation doit être plus long que le délai minimum.' });
    expect(checkMotifForm({ ...valid, delaiMinimum: '47', delaiMaximum: '2' }, choices).ok).toBe(true);
  });

  it('bounds durations, buffers, steps and reminders', () => {
    expect(Object.keys(errorsOf({ duree: '1441', tamponAvant: '-5', tamponApres: '241', pas: '4' })).sort()).toEqual(['duree', 'pas', 'tamponApres', 'tamponAvant']);
    expect(Object.keys(errorsOf({ duree: '1e3' }))).toEqual(['duree']);
    expect(errorsOf({ rappel1: '24', rappel2: '24' })).toEqual({ rappel2: 'Les deux rappels doivent être à des moments différents.' });
    expect(Object.keys(errorsOf({ rappel1: '721' }))).toEqual(['rappel1']);
    const none = checkMotifForm({ ...valid, rappel1: '', rappel2: '' }, choices);
    expect(none.ok && none.value.reminderOffsetsMinutes).toEqual([]);
  });

  it('refuses control characters, over-long texts, unknown categories and collective remote motifs', () => {
    expect(Object.keys(errorsOf({ nom: 'Accueil\u0000', restriction: 'x'.repeat(2001), instructions: 'a\u202eb', categorie: '8' })).sort()).toEqual(['categorie', 'instructions', 'nom', 'restriction']);
    expect(errorsOf({ collectif: true, typeLieu: 'phone' }).collectif).toContain('sur place');
    const multiline = checkMotifForm({ ...valid, instructions: 'Apportez :\r\n- le carnet de santé' }, choices);
    expect(multiline.ok && multiline.value.instructionForBooking).toBe('Apportez :\n- le carnet de santé');
  });

  it('shows a stored motif back in hours and days, and reads it back to the same value', () => {
    const first = checkMotifForm({ ...valid, delaiMinimum: '1,5', rappel1: '72', rappel2: '3' }, choices);
    if (!first.ok) throw new Error('valid');
    const shown = motifFormInputOf(first.value);
    expect(shown.delaiMinimum).toBe('1,5');
    expect(shown.rappel1).toBe('72');
    expect(checkMotifForm(shown, choices)).toEqual(first);
  });

  it('names a copy « (copie) », then « (copie 2) », within 150 characters', () => {
    expect(copyName('Accueil', new Set(['Accueil']))).toBe('Accueil (copie)');
    expect(copyName('Accueil', new Set(['Accueil', 'accueil (COPIE)']))).toBe('Accueil (copie 2)');
    const long = copyName('x'.repeat(150), new Set());
    expect(long).toHaveLength(150);
    expect(long.endsWith(' (copie)')).toBe(true);
  });
});

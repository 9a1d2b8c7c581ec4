import { describe, expect, it } from 'vitest';
import { epochMinutesToDate } from '../../../shared/time/index.js';
import { checkCollectiveForm, type CollectiveFormInput } from './collective-form.js';
import { isFull, participantStatusLabel, seatsLabel } from './labels.js';

const context = { places: new Map([[1, 'Europe/Paris'], [2, 'Indian/Reunion']]), agentIds: new Set([10, 11]), today: '2026-11-24' };
const input: CollectiveFormInput = { titre: 'Atelier portage', capacite: '8', lieu: '1', agents: [10], date: '2026-12-02', heure: '09:30', duree: '90' };

describe('the collective appointment form', () => {
  it('reads the time in the place’s zone (Paris in winter, La Réunion)', () => {
    const paris = checkCollectiveForm(input, context);
    const reunion = checkCollectiveForm({ ...input, lieu: '2' }, context);
    if (!paris.ok || !reunion.ok) throw new Error('refused');
    expect(epochMinutesToDate(paris.value.startsAtEpochMinutes).toISOString()).toBe('2026-12-02T08:30:00.000Z');
    expect(epochMinutesToDate(reunion.value.startsAtEpochMinutes).toISOString()).toBe('2026-12-02T05:30:00.000Z');
    expect(paris.value).toMatchObject({ title: 'Atelier portage', maxParticipants: 8, placeId: 1, agentIds: [10], durationMinutes: 90 });
  });

  it('reads the time across the autumn DST change in Paris', () => {
    const result = checkCollectiveForm({ ...input, date: '2026-10-25', heure: '09:30' }, { ...context, today: '2026-10-20' });
    if (!result.ok) throw new Error('refused');
    expect(epochMinutesToDate(result.value.startsAtEpochMinutes).toISOString()).toBe('2026-10-25T08:30:00.000Z');
  });

  it('takes an empty title as none, an empty capacity as no limit, and squeezes spaces', () => {
    const result = checkCollectiveForm({ ...input, titre: '   ', capacite: ' ' }, context);
    expect(result.ok && result.value.title === null && result.value.maxParticipants === null).toBe(true);
    const spaced = checkCollectiveForm({ ...input, titre: ' Atelier   du  soir ' }, context);
    expect(spaced.ok && spaced.value.title).toBe('Atelier du soir');
  });

  it.each([
    ['titre', 'x'.repeat(101)],
    ['titre', 'Atelier\u0000'],
    ['titre', 'Voir https://exemple.fr'],
    ['titre', 'Atelier 😀'],
    ['capacite', '0'],
    ['capacite', '501'],
    ['capacite', '-1'],
    ['capacite', '2.5'],
    ['lieu', '3'],
    ['lieu', ''],
    ['date', '2026-02-30'],
    ['date', '2024-11-24'],
    ['date', '2029-01-01'],
    ['heure', '25:61'],
    ['heure', '9h30'],
    ['duree', '4'],
    ['duree', '721'],
    ['duree', 'abc'],
  ])('refuses %s = %j with a French message on that field', (field, value) => {
    const result = checkCollectiveForm({ ...input, [field]: value }, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
  });

  it('refuses no agent, and an agent of another organisation', () => {
    for (const agents of [[], [99]]) {
      const result = checkCollectiveForm({ ...input, agents }, context);
      expect(!result.ok && result.errors.agents !== undefined).toBe(true);
    }
  });
});

describe('seats and statuses in French', () => {
  it('shows seats over capacity, or without limit, and says when it is full', () => {
    expect(seatsLabel(3, 8)).toBe('3 / 8');
    expect(seatsLabel(3, null)).toBe('3 (sans limite)');
    expect([isFull(8, 8), isFull(7, 8), isFull(1000, null)]).toEqual([true, false, false]);
  });

  it('names an undecided participant by whether the session has begun', () => {
    expect([participantStatusLabel('unknown', false), participantStatusLabel('unknown', true), participantStatusLabel('seen', true)]).toEqual(['Inscrit', 'À renseigner', 'Présent']);
  });
});

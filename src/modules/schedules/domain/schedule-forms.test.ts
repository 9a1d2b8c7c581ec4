import { describe, expect, it } from 'vitest';
import { checkAbsenceForm, checkOpeningPeriodForm, type PeriodFormFields, type PeriodFormOptions } from './schedule-forms.js';

const options: PeriodFormOptions = {
  agentIds: new Set([5]),
  placeZones: new Map([[7, 'Europe/Paris']]),
  motifIdsOf: (agentId) => (agentId === 5 ? new Set([11, 12]) : new Set()),
  organisationTimeZone: 'Europe/Paris',
};
const weekly: PeriodFormFields = {
  titre: 'Permanence',
  agent: '5',
  lieu: '7',
  motifs: ['11'],
  premierJour: '2026-12-07',
  heureDebut: '09:00',
  heureFin: '12:00',
  repetition: 'hebdomadaire',
  jours: ['MO', 'TH'],
  intervalleSemaines: '2',
  fin: 'date',
  dateFin: '2027-12-31',
};

describe('opening period form', () => {
  it('turns a weekly period every two weeks into its RRULE and its last day', () => {
    const result = checkOpeningPeriodForm(weekly, options);
    expect(result).toEqual({
      ok: true,
      value: {
        title: 'Permanence',
        agentId: 5,
        placeId: 7,
        appointmentTypeIds: [11],
        firstDay: '2026-12-07',
        lastDay: '2027-12-23',
        startTime: '09:00',
        endTime: '12:00',
        recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231',
        timeZone: 'Europe/Paris',
      },
    });
  });

  it('turns a monthly period on the 2nd Tuesday into its RRULE', () => {
    const result = checkOpeningPeriodForm({ ...weekly, repetition: 'mensuelle', jours: [], rang: '2', jourDuMois: 'TU', intervalleMois: '1', fin: 'nombre', nombreOccurrences: '3' }, options);
    expect(result.ok && result.value.recurrence).toBe('FREQ=MONTHLY;BYDAY=2TU;COUNT=3');
    expect(result.ok && result.value.lastDay).toBe('2027-02-09');
  });

  it('stores a one-off period on its single day', () => {
    const result = checkOpeningPeriodForm({ ...weekly, repetition: 'aucune' }, options);
    expect(result.ok && [result.value.recurrence, result.value.lastDay]).toEqual([null, '2026-12-07']);
  });

  it('answers French messages on the fields a person got wrong', () => {
    const result = checkOpeningPeriodForm(
      { ...weekly, titre: ' ', heureDebut: '12:00', heureFin: '09:00', jours: [], intervalleSemaines: '53', dateFin: '2026-12-01', motifs: ['99'], lieu: '8', agent: '6' },
      options,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['agent', 'dateFin', 'heureFin', 'intervalleSemaines', 'jours', 'lieu', 'motifs', 'titre']);
    expect(result.errors.heureFin).toBe('L’heure de fin doit être après l’heure de début.');
    expect(result.errors.jours).toBe('Cochez au moins un jour de la semaine.');
  });

  it('refuses impossible dates and times, unknown days, ranks and repetitions', () => {
    const result = checkOpeningPeriodForm({ ...weekly, premierJour: '2026-02-30', heureDebut: '25:61', jours: ['XX'] }, options);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['heureDebut', 'jours', 'premierJour']);
    const monthly = checkOpeningPeriodForm({ ...weekly, repetition: 'mensuelle', rang: '5' }, options);
    expect(!monthly.ok && monthly.errors.rang).toBeDefined();
    const unknown = checkOpeningPeriodForm({ ...weekly, repetition: 'quotidienne' }, options);
    expect(!unknown.ok && unknown.errors.repetition).toBeDefined();
  });

  it('refuses a recurrence without any occurrence', () => {
    const result = checkOpeningPeriodForm({ ...weekly, jours: ['SU'], intervalleSemaines: '1', premierJour: '2026-12-07', dateFin: '2026-12-12' }, options);
    expect(!result.ok && result.errors.repetition).toBe('Cette récurrence ne produit aucune occurrence.');
  });
});

describe('absence form', () => {
  const absenceOptions = { agentIds: new Set([5, 6]), timeZone: 'Europe/Paris' };

  it('stores whole days from 00:00 to 00:00 the day after the last one, for several agents', () => {
    const result = checkAbsenceForm({ titre: 'Formation', agents: ['5', '6'], premierJour: '2026-12-07', jourFin: '2026-12-09', journeeEntiere: 'on', jours: [] }, absenceOptions);
    expect(result).toEqual({
      ok: true,
      value: { title: 'Formation', agentIds: [5, 6], firstDay: '2026-12-07', startTime: '00:00', endDay: '2026-12-10', endTime: '00:00', lastDay: '2026-12-10', recurrence: null, timeZone: 'Europe/Paris' },
    });
  });

  it('stores a recurring afternoon and defaults the title', () => {
    const result = checkAbsenceForm({ agents: ['5'], premierJour: '2026-12-04', heureDebut: '14:00', heureFin: '16:00', repetition: 'hebdomadaire', jours: ['FR'], fin: 'jamais' }, absenceOptions);
    expect(result.ok && [result.value.title, result.value.endDay, result.value.recurrence, result.value.lastDay]).toEqual(['Absence', '2026-12-04', 'FREQ=WEEKLY;BYDAY=FR', null]);
  });

  it('refuses an end before the start and agents outside the list', () => {
    const result = checkAbsenceForm({ agents: ['7'], premierJour: '2026-12-07', jourFin: '2026-12-06', heureDebut: '10:00', heureFin: '09:00', jours: [] }, absenceOptions);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['agents', 'jourFin']);
    const sameDay = checkAbsenceForm({ agents: ['5'], premierJour: '2026-12-07', heureDebut: '10:00', heureFin: '09:00', jours: [] }, absenceOptions);
    expect(!sameDay.ok && sameDay.errors.heureFin).toBe('L’heure de fin doit être après l’heure de début.');
  });
});

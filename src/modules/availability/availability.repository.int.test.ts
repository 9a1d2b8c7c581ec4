import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, NOW, findTypeId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { dateToEpochMinutes, dayNumberToIsoDate, localDayOf } from '../../shared/time/index.js';
import {
  daysAround,
  findAbsences,
  findBusyIntervals,
  findCollectiveAppointments,
  findOpeningPeriods,
} from './availability.repository.js';

const OPENING_PERIOD_COLUMNS = [
  'id',
  'organisation_id',
  'agent_id',
  'place_id',
  'first_day',
  'last_day',
  'start_time',
  'end_time',
  'recurrence',
  'excluded_dates',
  'time_zone',
  'appointment_type_ids',
  'overrides',
];
const OPENING_PERIOD_KEYS = [
  'id',
  'organisationId',
  'agentId',
  'placeId',
  'firstDay',
  'lastDay',
  'startTime',
  'endTime',
  'recurrence',
  'excludedDates',
  'overrides',
  'appointmentTypeIds',
  'timeZone',
];
const ABSENCE_COLUMNS = ['agent_id', 'first_day', 'start_time', 'end_day', 'end_time', 'last_day', 'recurrence', 'excluded_dates', 'time_zone'];
const ABSENCE_KEYS = ['agentId', 'firstDay', 'startTime', 'endDay', 'endTime', 'lastDay', 'recurrence', 'excludedDates', 'timeZone'];
const COLLECTIVE_COLUMNS = [
  'id',
  'appointment_type_id',
  'organisation_id',
  'place_id',
  'agent_ids',
  'starts_at',
  'ends_at',
  'max_participants',
  'participant_count',
  'time_zone',
];
const COLLECTIVE_KEYS = [
  'id',
  'appointmentTypeId',
  'organisationId',
  'placeId',
  'agentIds',
  'startsAtEpochMinutes',
  'endsAtEpochMinutes',
  'maxParticipants',
  'participantCount',
  'timeZone',
];

describe('availability repository: raw SQL rows', () => {
  let database: TestDatabase;
  let officeTypeId: number;
  let phoneTypeId: number;
  let massageTypeId: number;
  let melunAgentIds: number[];
  const from = dateToEpochMinutes(NOW);
  const to = dateToEpochMinutes(new Date(NOW.getTime() + 28 * DAY_MS));

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    officeTypeId = await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture');
    phoneTypeId = await findTypeId(database.db, 'mds-melun', 'Entretien téléphonique avec une assistante sociale');
    massageTypeId = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
    const melun = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    melunAgentIds = (await database.db.selectFrom('opening_periods').select('agent_id').distinct().where('organisation_id', '=', melun.id).execute()).map((row) => row.agent_id);
    // Overrides (none in the demo): one moved to another place, one of a place-less period.
    const nextWeek = dayNumberToIsoDate(localDayOf('Europe/Paris', from) + 7);
    const periods = await database.db
      .selectFrom('opening_periods as op')
      .innerJoin('opening_period_appointment_types as opt', 'opt.opening_period_id', 'op.id')
      .select(['op.id', 'op.place_id'])
      .where('opt.appointment_type_id', 'in', [officeTypeId, phoneTypeId])
      .orderBy('op.id')
      .execute();
    const office = periods.find((period) => period.place_id !== null)!;
    const remote = periods.find((period) => period.place_id === null)!;
    await database.db
      .insertInto('opening_period_overrides')
      .values([
        { opening_period_id: office.id, occurrence_date: nextWeek, start_time: '10:00', end_time: '11:00', place_id: office.place_id },
        { opening_period_id: remote.id, occurrence_date: nextWeek, start_time: '15:00', end_time: '16:00', place_id: null },
      ])
      .execute();
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('findOpeningPeriods', () => {
    it('selects every column its row type declares, with and without a place and overrides', async () => {
      const recorder = recordRawRows(database.db);
      const periods = await findOpeningPeriods(recorder.db, { appointmentTypeIds: [officeTypeId, phoneTypeId], ...daysAround(from, to) });

      const rows = expectRawRowKeys(recorder.onlyQueryRows(), OPENING_PERIOD_COLUMNS);
      // LEFT JOIN places (remote periods) and the overrides sub-select both give NULLs.
      expect(rows.some((row) => row.place_id === null)).toBe(true);
      expect(rows.some((row) => row.overrides === null)).toBe(true);
      expect(periods.length).toBeGreaterThan(0);
      for (const period of periods) {
        expectKeys(period, OPENING_PERIOD_KEYS);
        for (const override of period.overrides) expectKeys(override, ['occurrenceDate', 'startTime', 'endTime', 'placeId']);
      }
      expectEveryFieldPresent(periods);
      expect(periods.some((period) => period.placeId === null)).toBe(true);
      const overrides = periods.flatMap((period) => period.overrides);
      expect(overrides).toHaveLength(2);
      expect(overrides.some((override) => override.placeId === null)).toBe(true);
      expect(overrides.some((override) => override.placeId !== null)).toBe(true);
      expect(periods.every((period) => period.appointmentTypeIds.length > 0 && period.timeZone === 'Europe/Paris')).toBe(true);
    });

    it('selects every column its row type declares with every filter set', async () => {
      const recorder = recordRawRows(database.db);
      const unfiltered = await findOpeningPeriods(database.db, { appointmentTypeIds: [officeTypeId], ...daysAround(from, to) });
      const first = unfiltered[0]!;
      const periods = await findOpeningPeriods(recorder.db, {
        appointmentTypeIds: [officeTypeId],
        ...daysAround(from, to),
        placeIds: [first.placeId!],
        agentIds: [first.agentId],
        organisationIds: [first.organisationId],
      });

      expectRawRowKeys(recorder.onlyQueryRows(), OPENING_PERIOD_COLUMNS);
      expect(periods.length).toBeGreaterThan(0);
      expectEveryFieldPresent(periods);
      expect(periods.every((period) => period.agentId === first.agentId)).toBe(true);
    });
  });

  describe('findBusyIntervals', () => {
    it('selects every column its row type declares', async () => {
      const recorder = recordRawRows(database.db);
      const intervals = await findBusyIntervals(recorder.db, melunAgentIds, from, to);

      expectRawRowKeys(recorder.onlyQueryRows(), ['agent_id', 'starts', 'ends']);
      expect(intervals.length).toBeGreaterThan(0);
      for (const interval of intervals) expectKeys(interval, ['agentId', 'startsAtEpochMinutes', 'endsAtEpochMinutes']);
      expectEveryFieldPresent(intervals);
      expect(intervals.every((interval) => interval.endsAtEpochMinutes > interval.startsAtEpochMinutes && melunAgentIds.includes(interval.agentId))).toBe(true);
    });
  });

  describe('findAbsences', () => {
    it('selects every column its row type declares, recurring and one-off', async () => {
      const recorder = recordRawRows(database.db);
      const { fromDay, toDay } = daysAround(from, to);
      const absences = await findAbsences(recorder.db, melunAgentIds, fromDay, toDay);

      expectRawRowKeys(recorder.onlyQueryRows(), ABSENCE_COLUMNS);
      expect(absences.length).toBeGreaterThan(0);
      for (const absence of absences) expectKeys(absence, ABSENCE_KEYS);
      expectEveryFieldPresent(absences);
      // The weekly team meeting (open-ended) and a week of leave (one-off) are both in the window.
      expect(absences.some((absence) => absence.recurrence !== null && absence.lastDay === null)).toBe(true);
      expect(absences.some((absence) => absence.recurrence === null && absence.lastDay !== null)).toBe(true);
    });
  });

  describe('findCollectiveAppointments', () => {
    it('selects every column its row type declares', async () => {
      const recorder = recordRawRows(database.db);
      const sessions = await findCollectiveAppointments(recorder.db, [massageTypeId], from, to);

      expectRawRowKeys(recorder.onlyQueryRows(), COLLECTIVE_COLUMNS);
      expect(sessions.length).toBeGreaterThan(0);
      for (const session of sessions) expectKeys(session, COLLECTIVE_KEYS);
      expectEveryFieldPresent(sessions);
      expect(sessions.every((session) => session.agentIds.length > 0 && session.maxParticipants === 8 && session.participantCount === 3)).toBe(true);
    });
  });
});

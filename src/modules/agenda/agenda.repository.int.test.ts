// Row keys of the agenda's raw SQL (ADR 12): every selected column reaches the mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { dateToEpochMinutes, parseIsoDate } from '../../shared/time/index.js';
import { seedDemoTerritory } from '../../seed/index.js';
import {
  countAgendaAppointmentsByDay,
  countAppointmentsToFill,
  findAgendaAbsences,
  findAgendaAppointments,
  findAgendaOpeningPeriods,
  findOrganisationAgents,
} from './agenda.repository.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const FROM = dateToEpochMinutes(new Date('2026-11-22T23:00:00Z'));
const TO = dateToEpochMinutes(new Date('2026-11-29T23:00:00Z'));
const FROM_DAY = parseIsoDate('2026-11-22') ?? 0;
const TO_DAY = parseIsoDate('2026-11-30') ?? 0;

describe('agenda repository rows', () => {
  let database: TestDatabase;
  let organisationId = 0;
  let agentId = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    organisationId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    agentId = (await database.db.selectFrom('agents').select('id').where('first_name', '=', 'Nadia').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('selects every column of the agenda’s appointments', async () => {
    const recorder = recordRawRows(database.db);
    const scope = { kind: 'organisation', organisationId } as const;
    const appointments = await findAgendaAppointments(recorder.db, { organisationId, scope, target: { kind: 'agents', agentIds: [agentId] }, from: FROM, to: TO });
    expectRawRowKeys(recorder.onlyQueryRows(), [
      'id', 'starts_at', 'ends_at', 'status', 'time_zone', 'is_collective', 'max_participants', 'name', 'motif_id', 'motif_name',
      'location_type', 'place_id', 'place_name', 'agent_ids', 'participants',
    ]);
    expectEveryFieldPresent(appointments);
    const participant = appointments[0]?.participants[0];
    expect(Object.keys(participant ?? {}).sort()).toEqual(['firstName', 'isCancelled', 'lastName', 'phoneNumber']);
    expect(typeof participant?.isCancelled).toBe('boolean');
  });

  it('selects every column of the agents, opening periods, absences and counts', async () => {
    const recorder = recordRawRows(database.db);
    expectEveryFieldPresent(await findOrganisationAgents(recorder.db, organisationId));
    expectRawRowKeys(recorder.onlyQueryRows(), ['id', 'first_name', 'last_name', 'access_level', 'service_ids']);
    recorder.clear();
    expectEveryFieldPresent(await findAgendaOpeningPeriods(recorder.db, { organisationId, agentIds: [agentId], placeId: null, fromDay: FROM_DAY, toDay: TO_DAY }));
    expectRawRowKeys(recorder.onlyQueryRows(), [
      'id', 'organisation_id', 'agent_id', 'place_id', 'title', 'first_day', 'last_day', 'start_time', 'end_time', 'recurrence', 'excluded_dates', 'time_zone', 'overrides',
    ]);
    recorder.clear();
    expectEveryFieldPresent(await findAgendaAbsences(recorder.db, [agentId], FROM_DAY, TO_DAY));
    expectRawRowKeys(recorder.onlyQueryRows(), [
      'id', 'agent_id', 'organisation_id', 'title', 'first_day', 'start_time', 'end_day', 'end_time', 'last_day', 'recurrence', 'excluded_dates', 'time_zone',
    ]);
    recorder.clear();
    const scope = { kind: 'organisation', organisationId } as const;
    const counts = await countAgendaAppointmentsByDay(recorder.db, { organisationId, scope, target: { kind: 'agents', agentIds: [agentId] }, from: FROM, to: TO, timeZone: 'Europe/Paris' });
    expectRawRowKeys(recorder.onlyQueryRows(), ['day', 'total', 'cancelled']);
    expectEveryFieldPresent([...counts.values()]);
    recorder.clear();
    expect(await countAppointmentsToFill(recorder.db, { organisationId, scope, now: dateToEpochMinutes(NOW) })).toBeGreaterThanOrEqual(0);
    expectRawRowKeys(recorder.onlyQueryRows(), ['total']);
  });
});

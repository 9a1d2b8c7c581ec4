import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/schema.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

interface Fixture {
  organisationId: number;
  appointmentTypeId: number;
  collectiveTypeId: number;
  agentId: number;
  otherAgentId: number;
}

async function insertFixture(db: Kysely<Database>): Promise<Fixture> {
  const territory = await db.insertInto('territories').values({ departement_number: '77', name: 'Seine-et-Marne' }).returning('id').executeTakeFirstOrThrow();
  const organisation = await db.insertInto('organisations').values({ territory_id: territory.id, name: 'MDS', slug: 'mds' }).returning('id').executeTakeFirstOrThrow();
  const service = await db.insertInto('services').values({ name: 'PMI', short_name: 'PMI' }).returning('id').executeTakeFirstOrThrow();
  const type = await db
    .insertInto('appointment_types')
    .values({ organisation_id: organisation.id, service_id: service.id, name: 'Consultation', duration_minutes: 30 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const collective = await db
    .insertInto('appointment_types')
    .values({ organisation_id: organisation.id, service_id: service.id, name: 'Atelier', duration_minutes: 90, is_collective: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agent = await db.insertInto('agents').values({ first_name: 'A', last_name: 'Agent' }).returning('id').executeTakeFirstOrThrow();
  const other = await db.insertInto('agents').values({ first_name: 'B', last_name: 'Agent' }).returning('id').executeTakeFirstOrThrow();
  // An agent linked to an appointment holds a role in its organisation (migrations/0016).
  await db.insertInto('agent_roles').values([agent.id, other.id].map((agent_id) => ({ agent_id, organisation_id: organisation.id, access_level: 'basic' as const }))).execute();
  return { organisationId: organisation.id, appointmentTypeId: type.id, collectiveTypeId: collective.id, agentId: agent.id, otherAgentId: other.id };
}

async function book(
  db: Kysely<Database>,
  fixture: Fixture,
  during: string,
  options: { agentId?: number; collective?: boolean; overlapAllowed?: boolean } = {},
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const appointment = await trx
      .insertInto('appointments')
      .values({
        organisation_id: fixture.organisationId,
        appointment_type_id: options.collective === true ? fixture.collectiveTypeId : fixture.appointmentTypeId,
        during,
        time_zone: 'Europe/Paris',
        is_collective: options.collective ?? false,
        max_participants: options.collective === true ? 8 : null,
        created_by_type: 'agent',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('appointment_agents')
      .values({
        appointment_id: appointment.id,
        agent_id: options.agentId ?? fixture.agentId,
        overlap_allowed: options.overlapAllowed ?? false,
        overlap_allowed_by_agent_id: options.overlapAllowed === true ? fixture.agentId : null,
        overlap_reason: options.overlapAllowed === true ? 'Urgence' : null,
      })
      .execute();
    return appointment.id;
  });
}

const NINE = '[2026-12-01 08:00:00+00,2026-12-01 08:30:00+00)';
const NINE_FIFTEEN = '[2026-12-01 08:15:00+00,2026-12-01 08:45:00+00)';
const TEN = '[2026-12-01 09:00:00+00,2026-12-01 09:30:00+00)';

describe('core data model constraints', () => {
  let database: TestDatabase;
  let fixture: Fixture;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  async function reset(): Promise<void> {
    await sql`TRUNCATE territories, organisations, services, appointment_types, agents, appointments, appointment_agents RESTART IDENTITY CASCADE`.execute(database.db);
    fixture = await insertFixture(database.db);
  }

  it('refuses two active individual appointments of one agent that overlap, and writes nothing of the second', async () => {
    await reset();
    await book(database.db, fixture, NINE);
    await expect(book(database.db, fixture, NINE_FIFTEEN)).rejects.toThrow(/agent_has_no_overlapping_individual_appointments/);
    const count = await database.db.selectFrom('appointments').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('lets adjacent appointments and other agents share the time', async () => {
    await reset();
    await book(database.db, fixture, NINE);
    await book(database.db, fixture, '[2026-12-01 08:30:00+00,2026-12-01 09:00:00+00)');
    await book(database.db, fixture, NINE_FIFTEEN, { agentId: fixture.otherAgentId });
  });

  it('frees the time of a cancelled appointment', async () => {
    await reset();
    const first = await book(database.db, fixture, NINE);
    await database.db.updateTable('appointments').set({ status: 'excused', cancelled_at: new Date() }).where('id', '=', first).execute();
    await book(database.db, fixture, NINE_FIFTEEN);
  });

  it('accepts an overlap only through the explicit, attributed override', async () => {
    await reset();
    await book(database.db, fixture, NINE);
    await book(database.db, fixture, NINE_FIFTEEN, { overlapAllowed: true });
    await expect(
      database.db.insertInto('appointment_agents').values({ appointment_id: 1, agent_id: fixture.otherAgentId, overlap_allowed: true }).execute(),
    ).rejects.toThrow(/appointment_agent_override_is_attributed/);
  });

  it('keeps collective appointments out of the individual overlap rule', async () => {
    await reset();
    await book(database.db, fixture, NINE, { collective: true });
    await book(database.db, fixture, NINE_FIFTEEN);
  });

  it('checks moves and reactivations against the rule through the copied range', async () => {
    await reset();
    await book(database.db, fixture, NINE);
    const second = await book(database.db, fixture, TEN);
    await expect(
      database.db.updateTable('appointments').set({ during: NINE_FIFTEEN }).where('id', '=', second).execute(),
    ).rejects.toThrow(/agent_has_no_overlapping_individual_appointments/);
    const copied = await database.db.selectFrom('appointment_agents').select(['during', 'is_active']).where('appointment_id', '=', second).executeTakeFirstOrThrow();
    expect(copied.is_active).toBe(true);
    expect(copied.during).toContain('09:00:00');
  });

  it('refuses unknown statuses, empty ranges and a cancellation without its date', async () => {
    await reset();
    const id = await book(database.db, fixture, NINE);
    await expect(
      sql`UPDATE appointments SET status = 'lost' WHERE id = ${id}`.execute(database.db),
    ).rejects.toThrow(/appointment_status_is_known/);
    await expect(book(database.db, fixture, '[2026-12-01 08:00:00+00,2026-12-01 08:00:00+00)')).rejects.toThrow(
      /appointment_range_is_bounded_and_not_empty/,
    );
    await expect(
      database.db.updateTable('appointments').set({ status: 'revoked' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/appointment_cancellation_matches_status/);
  });

  it('refuses an opening period that ends before it starts, or with a malformed recurrence', async () => {
    await reset();
    const base = {
      organisation_id: fixture.organisationId,
      agent_id: fixture.agentId,
      title: 'Permanence',
      first_day: '2026-12-01',
      start_time: '09:00',
      end_time: '12:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    };
    await database.db.insertInto('opening_periods').values(base).execute();
    await expect(database.db.insertInto('opening_periods').values({ ...base, end_time: '08:00' }).execute()).rejects.toThrow(
      /opening_period_ends_after_start/,
    );
    await expect(database.db.insertInto('opening_periods').values({ ...base, recurrence: 'every monday' }).execute()).rejects.toThrow(
      /opening_period_recurrence_is_rrule/,
    );
  });

  it('keeps public identifiers unique', async () => {
    await reset();
    const id = await book(database.db, fixture, NINE);
    const row = await database.db.selectFrom('appointments').select('public_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.public_id).toMatch(/^[0-9a-f]{32}$/);
    const other = await book(database.db, fixture, TEN);
    await expect(
      database.db.updateTable('appointments').set({ public_id: row.public_id }).where('id', '=', other).execute(),
    ).rejects.toThrow(/appointment_public_id_is_unique/);
  });
});

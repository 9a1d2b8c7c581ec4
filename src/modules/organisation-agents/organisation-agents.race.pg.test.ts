import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('organisation-agents.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { sql } from 'kysely';
import { createUser, findTypeId, newKey, NOW } from '../../../test/support/appointments.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { loadAgentPrincipal, type AgentPrincipal } from '../agents/index.js';
import { createAppointmentByAgent } from '../appointments/index.js';
import { removeAgentFromOrganisation } from './organisation-agents.use-cases.js';

const DAY_MS = 86_400_000;

// The removal of an agent against a booking of the same agent at the same moment (ADR 0029,
// migrations/0016): whichever locks the agent's role row first, no future appointment of a
// removed agent remains. PGlite serves one connection at a time: this needs PostgreSQL.
describe('removal from the organisation against a concurrent booking (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;
  let melun = 0;
  let typeId = 0;
  let admin: AgentPrincipal;
  let serviceId = 0;
  let placeId = 0;
  let round = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 6 });
    melun = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    placeId = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', melun).orderBy('id').executeTakeFirstOrThrow()).id;
    serviceId = (await database.db.selectFrom('services').select('id').where('short_name', '=', 'Service social').executeTakeFirstOrThrow()).id;
    const sophie = await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow();
    const principal = await loadAgentPrincipal(database.db, sophie.id);
    if (principal === undefined) throw new Error('no principal');
    admin = principal;
  }, 300_000);
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  /** A fresh basic agent of Melun only, without appointments. */
  async function newAgent(): Promise<number> {
    round += 1;
    const agent = await database.db.insertInto('agents').values({ first_name: 'Course', last_name: `Agent${String(round)}`, email: `course${String(round)}@demo.creneau.fr` }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('agent_roles').values({ agent_id: agent.id, organisation_id: melun, access_level: 'basic' }).execute();
    await database.db.insertInto('agent_services').values({ agent_id: agent.id, service_id: serviceId }).execute();
    return agent.id;
  }

  /** An agent-side booking of the agent in 3 days (+ round hours), acknowledging exactly the warnings it gets (outside opening periods). */
  async function book(agentId: number, userId: number) {
    const startsAt = new Date(NOW.getTime() + 3 * DAY_MS + (round % 8) * 3_600_000);
    const draft = {
      organisationId: melun,
      appointmentTypeId: typeId,
      startsAt,
      durationMinutes: null,
      placeId,
      oneOffAddress: null,
      agentIds: [agentId],
      userIds: [userId],
      newParticipants: [],
      context: null,
      overlapReason: null,
      actingAgentId: admin.agentId,
      now: NOW,
    };
    const first = await createAppointmentByAgent(pool.db, { ...draft, acknowledgedWarnings: [], idempotencyKey: newKey() });
    if (first.ok || first.reason !== 'WARNINGS') return first;
    return createAppointmentByAgent(pool.db, { ...draft, acknowledgedWarnings: first.warnings.map((warning) => warning.key), idempotencyKey: newKey() });
  }

  async function futureLinks(agentId: number): Promise<number> {
    const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM appointment_agents aa JOIN appointments a ON a.id = aa.appointment_id
      WHERE aa.agent_id = ${agentId} AND a.cancelled_at IS NULL AND upper(a.during) > ${NOW}`.execute(database.db);
    return Number(rows.rows[0]?.n ?? 0);
  }

  it('a booking that linked the agent first makes the removal wait, which then lists it and is refused', async () => {
    const agentId = await newAgent();
    const userId = await createUser(database.db, 'CourseA');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let linked: () => void = () => undefined;
    const linkedSignal = new Promise<void>((resolve) => {
      linked = resolve;
    });
    // A booking transaction held open after linking the agent (the core's statements, paused before commit).
    const booking = pool.db.transaction().execute(async (trx) => {
      const appointment = await trx
        .insertInto('appointments')
        .values({ organisation_id: melun, appointment_type_id: typeId, during: `[${new Date(NOW.getTime() + 2 * DAY_MS).toISOString()},${new Date(NOW.getTime() + 2 * DAY_MS + 1_800_000).toISOString()})`, time_zone: 'Europe/Paris', created_by_type: 'agent' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('appointment_agents').values({ appointment_id: appointment.id, agent_id: agentId }).execute();
      await trx.insertInto('participations').values({ appointment_id: appointment.id, user_id: userId, created_by_type: 'agent' }).execute();
      linked();
      await gate;
      return appointment.id;
    });
    await linkedSignal;
    let settled = false;
    const removal = removeAgentFromOrganisation(pool.db, { principal: admin, organisationId: melun, agentId, now: NOW }).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const waited = !settled;
    release();
    const appointmentId = await booking;
    expect(waited).toBe(true);
    const result = await removal;
    expect(result.ok).toBe(false);
    if (!result.ok && result.reason === 'FUTURE_APPOINTMENTS') expect(result.appointments.map((appointment) => appointment.appointmentId)).toEqual([appointmentId]);
    else throw new Error(`unexpected ${JSON.stringify(result)}`);
    expect(await database.db.selectFrom('agent_roles').select('agent_id').where('agent_id', '=', agentId).execute()).toHaveLength(1);
  });

  it('a removal that locked the role first makes the booking wait; the booking is then refused as SLOT_TAKEN (no error, nothing written)', async () => {
    const agentId = await newAgent();
    const userId = await createUser(database.db, 'CourseB');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const lockedSignal = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // The removal's statements (lock the role row, delete it), paused before commit.
    const removal = pool.db.transaction().execute(async (trx) => {
      await trx.selectFrom('agent_roles').select('agent_id').where('agent_id', '=', agentId).where('organisation_id', '=', melun).forUpdate().execute();
      await trx.deleteFrom('agent_roles').where('agent_id', '=', agentId).where('organisation_id', '=', melun).execute();
      locked();
      await gate;
    });
    await lockedSignal;
    let settled = false;
    const booking = book(agentId, userId).then((result) => {
      settled = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const waited = !settled;
    release();
    await removal;
    expect(waited).toBe(true);
    const result = await booking;
    expect(result.ok ? 'OK' : result.reason).toBe('SLOT_TAKEN');
    expect(await futureLinks(agentId)).toBe(0);
    expect(await database.db.selectFrom('participations').select('id').where('user_id', '=', userId).execute()).toEqual([]);
  });

  it('10 rounds of the real removal and the real booking at once: never a removed agent with a future appointment', async () => {
    const outcomes: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      const agentId = await newAgent();
      const userId = await createUser(database.db, `CourseC${String(index)}`);
      const [removal, booking] = await Promise.all([removeAgentFromOrganisation(pool.db, { principal: admin, organisationId: melun, agentId, now: NOW }), book(agentId, userId)]);
      const stillMember = (await database.db.selectFrom('agent_roles').select('agent_id').where('agent_id', '=', agentId).where('organisation_id', '=', melun).execute()).length === 1;
      const links = await futureLinks(agentId);
      outcomes.push(`${removal.ok ? 'removed' : removal.reason} / ${booking.ok ? 'booked' : booking.reason}`);
      if (removal.ok) {
        expect(booking.ok).toBe(false);
        expect(links).toBe(0);
        expect(stillMember).toBe(false);
      } else {
        expect(removal.reason).toBe('FUTURE_APPOINTMENTS');
        expect(booking.ok).toBe(true);
        expect(links).toBe(1);
        expect(stillMember).toBe(true);
      }
    }
    // Both orders happen; a booking that starts after the removal committed is refused by its own check of the agent.
    expect(outcomes.filter((outcome) => !['removed / SLOT_TAKEN', 'removed / UNKNOWN_AGENT', 'FUTURE_APPOINTMENTS / booked'].includes(outcome))).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('appointments.agent.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { NOW, agentOf, createUser, findTypeId, firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { createAppointmentByAgent } from './index.js';

const CONCURRENT_REQUESTS = 10;

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL, see vitest.config.ts).
describe('agent-side creation under concurrency (PostgreSQL, 10 connections)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: CONCURRENT_REQUESTS });
    await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, () => pool.db.selectFrom('territories').select('id').execute()));
  });
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('lets exactly one of 10 simultaneous agent bookings of the same free time through; the others get SLOT_TAKEN, never an error', async () => {
    const melun = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const agent = await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow();
    const typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    const slot = await firstPublicSlot(database.db, typeId, 5);
    const userIds: number[] = [];
    for (let index = 0; index < CONCURRENT_REQUESTS; index += 1) userIds.push(await createUser(database.db, `AgentConcurrent${String(index)}`));
    const results = await Promise.all(
      userIds.map((userId) =>
        createAppointmentByAgent(pool.db, {
          organisationId: melun.id,
          appointmentTypeId: typeId,
          startsAt: startOf(slot),
          durationMinutes: null,
          placeId: slot.placeId,
          oneOffAddress: null,
          agentIds: [agentOf(slot)],
          userIds: [userId],
          newParticipants: [],
          context: null,
          acknowledgedWarnings: [],
          overlapReason: null,
          actingAgentId: agent.id,
          idempotencyKey: newKey(),
          now: NOW,
        }),
      ),
    );
    // a request that started after the winner committed sees the overlap as a warning instead
    const outcomes = results.map((result) => (result.ok ? 'OK' : result.reason));
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'OK' && outcome !== 'SLOT_TAKEN' && outcome !== 'WARNINGS')).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'SLOT_TAKEN').length).toBeGreaterThan(0);
    const links = await database.db.selectFrom('appointment_agents').select(['appointment_id', 'overlap_allowed']).where('agent_id', '=', agentOf(slot)).where('is_active', '=', true)
      .where('during', '=', `[${startOf(slot).toISOString()},${new Date(startOf(slot).getTime() + 45 * 60_000).toISOString()})`).execute();
    expect(links).toEqual([{ appointment_id: expect.any(Number) as number, overlap_allowed: false }]);
    const participations = await database.db.selectFrom('participations').select('id').where('user_id', 'in', userIds).execute();
    expect(participations).toHaveLength(1);
  });
});

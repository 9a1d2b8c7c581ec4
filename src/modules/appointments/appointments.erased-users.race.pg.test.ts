import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('appointments.erased-users.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { NOW, agentOf, createUser, findTypeId, firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { bookAppointment, createAppointmentByAgent } from './index.js';

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL).
describe('a booking while a merge erases its usager (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 4 });
    await Promise.all(Array.from({ length: 4 }, () => pool.db.selectFrom('territories').select('id').execute()));
  }, 120_000);
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('waits for the merge’s lock, then refuses the erased usager: no participation attaches to them (ADR 0021)', async () => {
    const melun = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const agent = await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow();
    const typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    const agentSlot = await firstPublicSlot(database.db, typeId, 4);
    const publicSlot = await firstPublicSlot(database.db, typeId, 6);
    const mergedId = await createUser(database.db, 'Doublon');

    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // The merge's transaction as user-merge runs it: the usager locked FOR UPDATE, then erased in place.
    const merge = pool.db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').where('id', '=', mergedId).forUpdate().execute();
      await trx.updateTable('users').set({ deleted_at: NOW, first_name: 'Usager', last_name: 'fusionné' }).where('id', '=', mergedId).execute();
      locked();
      await released;
    });
    await isLocked;

    const settled: string[] = [];
    const byAgent = createAppointmentByAgent(pool.db, {
      organisationId: melun.id,
      appointmentTypeId: typeId,
      startsAt: startOf(agentSlot),
      durationMinutes: null,
      placeId: agentSlot.placeId,
      oneOffAddress: null,
      agentIds: [agentOf(agentSlot)],
      userIds: [mergedId],
      newParticipants: [],
      context: null,
      acknowledgedWarnings: [],
      overlapReason: null,
      actingAgentId: agent.id,
      idempotencyKey: newKey(),
      now: NOW,
    }).finally(() => settled.push('agent'));
    const online = bookAppointment(pool.db, {
      appointmentTypeId: typeId,
      startsAt: startOf(publicSlot),
      placeId: publicSlot.placeId,
      agentId: agentOf(publicSlot),
      userId: mergedId,
      bookedBy: { type: 'user', userId: mergedId },
      idempotencyKey: newKey(),
      now: NOW,
    }).finally(() => settled.push('public'));

    // Both wait on the merge's row lock (they read the usager FOR KEY SHARE).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toEqual([]);
    release();
    await merge;

    expect(await byAgent).toEqual({ ok: false, reason: 'ERASED_USER' });
    expect(await online).toEqual({ ok: false, reason: 'ERASED_USER' });
    const attached = await database.db.selectFrom('participations').select('id').where('user_id', '=', mergedId).execute();
    expect(attached).toEqual([]);
  }, 60_000);
});

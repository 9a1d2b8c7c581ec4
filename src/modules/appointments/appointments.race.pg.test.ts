import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('appointments.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { searchCollectiveSlots, searchSlots } from '../availability/index.js';
import { NOW, DAY_MS, addTwinAgent, agentOf, createUser, findTypeId, firstPublicSlot, firstStartWithSeveralAgents, newKey, startOf } from '../../../test/support/appointments.js';
import { bookAppointment, joinCollectiveAppointment } from './index.js';

const CONCURRENT_REQUESTS = 50;

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL, see vitest.config.ts).
describe('booking under concurrency (PostgreSQL, 50 connections)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;
  let userIds: number[];

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: CONCURRENT_REQUESTS });
    userIds = [];
    for (let index = 0; index < CONCURRENT_REQUESTS; index += 1) userIds.push(await createUser(database.db, `Concurrent${String(index)}`));
    // open every connection of the pool before the race so that it starts together
    await Promise.all(userIds.map(() => pool.db.selectFrom('territories').select('id').execute()));
  });
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('gives one slot to exactly one of 50 simultaneous bookings; the 49 others get SLOT_TAKEN', async () => {
    const typeId = await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture');
    const slot = await firstPublicSlot(database.db, typeId, 7);
    const results = await Promise.all(
      userIds.map((userId) =>
        bookAppointment(pool.db, {
          appointmentTypeId: typeId,
          startsAt: startOf(slot),
          placeId: slot.placeId,
          agentId: agentOf(slot),
          userId,
          bookedBy: { type: 'user', userId },
          idempotencyKey: newKey(),
          now: NOW,
        }),
      ),
    );
    const booked = results.filter((result) => result.ok);
    const refused = results.flatMap((result) => (result.ok ? [] : [result.reason]));
    expect(booked).toHaveLength(1);
    expect(refused).toEqual(Array.from({ length: CONCURRENT_REQUESTS - 1 }, () => 'SLOT_TAKEN'));
    const appointments = await database.db
      .selectFrom('appointment_agents')
      .select('appointment_id')
      .where('agent_id', '=', agentOf(slot))
      .where('is_active', '=', true)
      .where('during', '=', `[${startOf(slot).toISOString()},${new Date(startOf(slot).getTime() + 30 * 60_000).toISOString()})`)
      .execute();
    expect(appointments).toHaveLength(1);
    // the 49 refused transactions left nothing behind
    const participations = await database.db.selectFrom('participations').select('id').where('user_id', 'in', userIds).execute();
    expect(participations).toHaveLength(1);
  });

  it('never seats more than the capacity: 50 simultaneous joins of a 10-seat session give 10 seats', async () => {
    const typeId = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
    const [session] = await searchCollectiveSlots(database.db, {
      appointmentTypeId: typeId,
      audience: 'public',
      from: NOW,
      to: new Date(NOW.getTime() + 14 * DAY_MS),
      now: NOW,
    });
    if (session === undefined) throw new Error('atelier attendu');
    // empty the session and give it ten seats
    await database.db.deleteFrom('participations').where('appointment_id', '=', session.appointmentId).execute();
    await database.db.updateTable('appointments').set({ max_participants: 10 }).where('id', '=', session.appointmentId).execute();

    const results = await Promise.all(
      userIds.map((userId) => joinCollectiveAppointment(pool.db, { appointmentId: session.appointmentId, userId, idempotencyKey: newKey(), now: NOW })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    expect(results.filter((result) => !result.ok && result.reason === 'FULL')).toHaveLength(CONCURRENT_REQUESTS - 10);
    const seats = await database.db.selectFrom('participations').select('id').where('appointment_id', '=', session.appointmentId).execute();
    expect(seats).toHaveLength(10);
  });

  it('books once when the same request is sent 50 times at once with one key', async () => {
    const typeId = await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture');
    const slot = await firstPublicSlot(database.db, typeId, 9);
    const [userId = 0] = userIds;
    const key = newKey();
    const results = await Promise.all(
      userIds.map(() =>
        bookAppointment(pool.db, {
          appointmentTypeId: typeId,
          startsAt: startOf(slot),
          placeId: slot.placeId,
          agentId: agentOf(slot),
          userId,
          bookedBy: { type: 'user', userId },
          idempotencyKey: key,
          now: NOW,
        }),
      ),
    );
    const ids = new Set(results.map((result) => (result.ok ? result.appointment.id : result.reason)));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => result.ok && !result.replayed)).toHaveLength(1);
  });

  it('gives a start with two free agents to exactly two of 50 simultaneous bookers, one per agent', async () => {
    const typeId = await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture');
    const firstAgentId = agentOf(await firstPublicSlot(database.db, typeId, 1));
    const twinAgentId = await addTwinAgent(database.db, firstAgentId, typeId, 'Course');
    const same = await firstStartWithSeveralAgents(database.db, typeId, 11);
    const [slot] = same;
    if (slot === undefined) throw new Error('créneau attendu');
    // Every booker prefers the least booked agent: load the twin that day (all of its other slots), so
    // that 50 transactions race for the first agent and the losers must retry once with the twin.
    const sameDay = await searchSlots(database.db, { appointmentTypeId: typeId, audience: 'public', everyAgent: true, from: new Date(startOf(slot).getTime() - 12 * 3_600_000), to: new Date(startOf(slot).getTime() + 12 * 3_600_000), now: NOW });
    for (const other of sameDay.filter((candidate) => agentOf(candidate) === twinAgentId && candidate.startsAtEpochMinutes !== slot.startsAtEpochMinutes).slice(0, 2)) {
      const userId = await createUser(database.db, 'ChargeJumelle');
      await bookAppointment(database.db, { appointmentTypeId: typeId, startsAt: startOf(other), placeId: other.placeId, agentId: twinAgentId, userId, bookedBy: { type: 'user', userId }, idempotencyKey: newKey(), now: NOW });
    }
    const bookers: number[] = [];
    for (let index = 0; index < CONCURRENT_REQUESTS; index += 1) bookers.push(await createUser(database.db, `Binome${String(index)}`));
    const results = await Promise.all(
      bookers.map((userId) =>
        bookAppointment(pool.db, {
          appointmentTypeId: typeId,
          startsAt: startOf(slot),
          placeId: slot.placeId,
          userId,
          bookedBy: { type: 'user', userId },
          idempotencyKey: newKey(),
          now: NOW,
        }),
      ),
    );
    const booked = results.flatMap((result) => (result.ok ? [result.appointment] : []));
    expect(booked).toHaveLength(2);
    expect(booked.flatMap((appointment) => appointment.agentIds).sort()).toEqual([firstAgentId, twinAgentId].sort());
    expect(results.flatMap((result) => (result.ok ? [] : [result.reason]))).toEqual(Array.from({ length: CONCURRENT_REQUESTS - 2 }, () => 'SLOT_TAKEN'));
    const participations = await database.db.selectFrom('participations').select('id').where('user_id', 'in', bookers).execute();
    expect(participations).toHaveLength(2);
  });
});

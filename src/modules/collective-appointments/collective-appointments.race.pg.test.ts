import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('collective-appointments.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { NOW, createUser, findTypeId, newKey } from '../../../test/support/appointments.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { addCollectiveParticipant, changeParticipationStatus, createCollectiveAppointment, joinCollectiveAppointment } from '../appointments/index.js';

const CONCURRENT_REQUESTS = 20;

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL, see vitest.config.ts).
describe('seats of a collective appointment under concurrency (PostgreSQL, 20 connections)', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;
  let organisationId: number;
  let agentId: number;
  let typeId: number;
  let placeId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: CONCURRENT_REQUESTS });
    await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, () => pool.db.selectFrom('territories').select('id').execute()));
    organisationId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    agentId = (await database.db.selectFrom('agents').select('id').where('email', '=', 'pmi.melun@demo.creneau.fr').executeTakeFirstOrThrow()).id;
    typeId = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
    placeId = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', organisationId).orderBy('id').executeTakeFirstOrThrow()).id;
  }, 300_000);
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  /** A session of `capacity` seats with `taken` of them already held. */
  async function sessionWith(capacity: number, taken: number): Promise<number> {
    const created = await createCollectiveAppointment(database.db, {
      organisationId,
      appointmentTypeId: typeId,
      title: 'Atelier en course',
      maxParticipants: capacity,
      startsAt: new Date('2026-12-10T13:00:00Z'),
      durationMinutes: 60,
      placeId,
      agentIds: [agentId],
      actingAgentId: agentId,
      idempotencyKey: newKey(),
      now: NOW,
    });
    if (!created.ok) throw new Error(created.reason);
    for (let index = 0; index < taken; index += 1) {
      const added = await addCollectiveParticipant(database.db, { organisationId, appointmentId: created.appointmentId, userId: await createUser(database.db, `Deja${String(index)}`), actingAgentId: agentId, now: NOW });
      if (!added.ok) throw new Error(added.reason);
    }
    return created.appointmentId;
  }

  async function usersNamed(prefix: string): Promise<number[]> {
    const ids: number[] = [];
    for (let index = 0; index < CONCURRENT_REQUESTS; index += 1) ids.push(await createUser(database.db, `${prefix}${String(index)}`));
    return ids;
  }

  async function activeSeats(appointmentId: number): Promise<number> {
    const row = await database.db.selectFrom('participations').select((eb) => eb.fn.countAll<string | number>().as('count')).where('appointment_id', '=', appointmentId).where('status', 'not in', ['excused', 'revoked']).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it('gives the last seat to exactly one of 20 agents adding 20 usagers at once; the others get FULL, never an error', async () => {
    const appointmentId = await sessionWith(5, 4);
    const userIds = await usersNamed('Course');
    const results = await Promise.all(userIds.map((userId) => addCollectiveParticipant(pool.db, { organisationId, appointmentId, userId, actingAgentId: agentId, now: NOW })));
    const outcomes = results.map((result) => (result.ok ? 'OK' : result.reason));
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'FULL')).toHaveLength(CONCURRENT_REQUESTS - 1);
    expect(await activeSeats(appointmentId)).toBe(5);
    // One outbox event per participant actually added, none for the refusals.
    const events = await database.db.selectFrom('outbox_events').select('payload').where('aggregate_id', '=', appointmentId).where('topic', '=', 'appointment.updated').execute();
    expect(events).toHaveLength(5);
  });

  it('gives the last seat once when agents and usagers joining online race for it', async () => {
    const appointmentId = await sessionWith(3, 2);
    const userIds = await usersNamed('Mixte');
    const results = await Promise.all(
      userIds.map((userId, index) =>
        index % 2 === 0
          ? addCollectiveParticipant(pool.db, { organisationId, appointmentId, userId, actingAgentId: agentId, now: NOW })
          : joinCollectiveAppointment(pool.db, { appointmentId, userId, idempotencyKey: newKey(), now: NOW }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason !== 'FULL')).toEqual([]);
    expect(await activeSeats(appointmentId)).toBe(3);
  });

  it('lets one of 20 cancelled participants come back into the one seat freed', async () => {
    const appointmentId = await sessionWith(20, 0);
    const userIds = await usersNamed('Retour');
    for (const userId of userIds) {
      const added = await addCollectiveParticipant(database.db, { organisationId, appointmentId, userId, actingAgentId: agentId, now: NOW });
      if (!added.ok) throw new Error(added.reason);
      const cancelled = await changeParticipationStatus(database.db, { organisationId, appointmentId, userId, status: 'excused', actingAgentId: agentId, now: NOW });
      if (!cancelled.ok) throw new Error(cancelled.reason);
    }
    // 19 others take 19 seats: one left.
    for (const userId of await usersNamed('Place')) {
      if ((await activeSeats(appointmentId)) === 19) break;
      await addCollectiveParticipant(database.db, { organisationId, appointmentId, userId, actingAgentId: agentId, now: NOW });
    }
    expect(await activeSeats(appointmentId)).toBe(19);
    const results = await Promise.all(userIds.map((userId) => changeParticipationStatus(pool.db, { organisationId, appointmentId, userId, status: 'unknown', actingAgentId: agentId, now: NOW })));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason !== 'FULL')).toEqual([]);
    expect(await activeSeats(appointmentId)).toBe(20);
  });

  it('creates one session for 20 simultaneous submissions of the same form', async () => {
    const key = newKey();
    const request = {
      organisationId,
      appointmentTypeId: typeId,
      title: 'Atelier envoyé vingt fois',
      maxParticipants: 10,
      startsAt: new Date('2026-12-11T13:00:00Z'),
      durationMinutes: 60,
      placeId,
      agentIds: [agentId],
      actingAgentId: agentId,
      idempotencyKey: key,
      now: NOW,
    };
    const results = await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, () => createCollectiveAppointment(pool.db, request)));
    const ids = new Set(results.map((result) => (result.ok ? result.appointmentId : result.reason)));
    expect([...ids]).toHaveLength(1);
    expect(results.filter((result) => result.ok && !result.replayed)).toHaveLength(1);
    const rows = await database.db.selectFrom('appointments').select('id').where('name', '=', 'Atelier envoyé vingt fois').execute();
    expect(rows).toHaveLength(1);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('user-merge.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { TEST_NOW } from '../../../test/support/app.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import type { UsersScope } from '../users/index.js';
import { loadComparison, mergeUsers, type MergeResult } from './user-merge.use-cases.js';

const CONNECTIONS = 10;

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL).
describe('merging usagers under concurrency (PostgreSQL, 10 connections)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;
  let scope: UsersScope;
  let agentId: number;
  let appointmentIds: number[];
  let nextAppointment = 0;

  /** A usager of Melun with `count` participations in appointments nobody else of the test takes part in. */
  async function usagerWithAppointments(lastName: string, count: number): Promise<number> {
    const db = database.db;
    const user = await db.insertInto('users').values({ first_name: 'Course', last_name: lastName, created_through: 'agent' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('user_profiles').values({ user_id: user.id, organisation_id: scope.organisationId }).execute();
    for (let index = 0; index < count; index += 1) {
      const appointmentId = appointmentIds[nextAppointment];
      nextAppointment += 1;
      if (appointmentId === undefined) throw new Error('not enough demo appointments');
      await db.insertInto('participations').values({ appointment_id: appointmentId, user_id: user.id, created_by_type: 'agent' }).execute();
    }
    return user.id;
  }

  async function participationsOf(userIds: readonly number[]): Promise<{ user_id: number; appointment_id: number }[]> {
    return database.db.selectFrom('participations').select(['user_id', 'appointment_id']).where('user_id', 'in', [...userIds]).orderBy('appointment_id').execute();
  }

  async function fingerprint(keptId: number, mergedId: number): Promise<string> {
    const comparison = await loadComparison(database.db, scope, agentId, keptId, mergedId);
    if (comparison === undefined) throw new Error('not comparable');
    return comparison.fingerprint;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: CONNECTIONS });
    await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.db.selectFrom('territories').select('id').execute()));
    const melun = await database.db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    scope = { organisationId: melun.id, territoryId: melun.territory_id, organisationIds: [melun.id], territoryWide: false, reasonRequired: false };
    agentId = (await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow()).id;
    appointmentIds = (await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', melun.id).where('is_collective', '=', false).orderBy('id').execute()).map((row) => row.id);
  }, 60_000);
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('merges once when the same confirmation arrives 50 times at once; the 49 others replay the success', async () => {
    const keptId = await usagerWithAppointments('Gardée', 3);
    const mergedId = await usagerWithAppointments('Doublon', 4);
    const before = await participationsOf([keptId, mergedId]);
    const request = { scope, agentId, keptId, mergedId, choices: { lastName: 'kept' as const }, fingerprint: await fingerprint(keptId, mergedId), confirmationKey: randomUUID(), now: TEST_NOW };
    const results = await Promise.all(Array.from({ length: 50 }, () => mergeUsers(pool.db, request)));
    expect(results.filter((result) => result.ok && !result.replayed)).toHaveLength(1);
    expect(results.filter((result) => result.ok && result.replayed)).toHaveLength(49);
    const after = await participationsOf([keptId, mergedId]);
    expect(after.map((row) => row.appointment_id)).toEqual(before.map((row) => row.appointment_id));
    expect(after.every((row) => row.user_id === keptId)).toBe(true);
    const audits = await database.db.selectFrom('audit_log').select('id').where('subject_type', '=', 'user').where('subject_id', '=', keptId).execute();
    expect(audits).toHaveLength(1);
  });

  it('lets one of a merge and its reverse win when 10 of each run at once; nothing is lost, one usager remains', async () => {
    const aId = await usagerWithAppointments('Alpha', 3);
    const bId = await usagerWithAppointments('ALPHA', 2);
    const before = await participationsOf([aId, bId]);
    const aIntoB = { scope, agentId, keptId: bId, mergedId: aId, choices: { lastName: 'kept' as const }, fingerprint: await fingerprint(bId, aId), now: TEST_NOW };
    const bIntoA = { scope, agentId, keptId: aId, mergedId: bId, choices: { lastName: 'kept' as const }, fingerprint: await fingerprint(aId, bId), now: TEST_NOW };
    const requests: Promise<MergeResult>[] = [];
    for (let index = 0; index < 10; index += 1) {
      requests.push(mergeUsers(pool.db, { ...aIntoB, confirmationKey: randomUUID() }));
      requests.push(mergeUsers(pool.db, { ...bIntoA, confirmationKey: randomUUID() }));
    }
    const results = await Promise.all(requests);
    const outcomes = results.map((result) => (result.ok ? 'OK' : result.reason));
    expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
    // A later request finds the usager it would keep, or the one it would merge, already erased.
    expect(outcomes.filter((outcome) => outcome !== 'OK' && outcome !== 'ALREADY_MERGED' && outcome !== 'NOT_FOUND')).toEqual([]);
    const users = await database.db.selectFrom('users').select(['id', 'deleted_at']).where('id', 'in', [aId, bId]).orderBy('id').execute();
    const survivors = users.filter((user) => user.deleted_at === null);
    expect(survivors).toHaveLength(1);
    const survivorId = survivors[0]?.id;
    const after = await participationsOf([aId, bId]);
    expect(after.map((row) => row.appointment_id)).toEqual(before.map((row) => row.appointment_id));
    expect(after.every((row) => row.user_id === survivorId)).toBe(true);
    const profiles = await database.db.selectFrom('user_profiles').select('user_id').where('user_id', 'in', [aId, bId]).execute();
    expect(profiles).toEqual([{ user_id: survivorId }]);
    const audits = await database.db.selectFrom('audit_log').select('id').where('subject_type', '=', 'user').where('subject_id', 'in', [aId, bId]).execute();
    expect(audits).toHaveLength(1);
  });

  it('serialises two merges into the same usager from different duplicates: both land, in some order', async () => {
    const keptId = await usagerWithAppointments('Cible', 1);
    const firstId = await usagerWithAppointments('CIBLE', 2);
    const secondId = await usagerWithAppointments('cible', 2);
    const before = await participationsOf([keptId, firstId, secondId]);
    const [first, second] = await Promise.all([
      mergeUsers(pool.db, { scope, agentId, keptId, mergedId: firstId, choices: { lastName: 'kept' }, fingerprint: await fingerprint(keptId, firstId), confirmationKey: randomUUID(), now: TEST_NOW }),
      mergeUsers(pool.db, { scope, agentId, keptId, mergedId: secondId, choices: { lastName: 'kept' }, fingerprint: await fingerprint(keptId, secondId), confirmationKey: randomUUID(), now: TEST_NOW }),
    ]);
    expect([first.ok, second.ok]).toEqual([true, true]);
    const after = await participationsOf([keptId, firstId, secondId]);
    expect(after.map((row) => row.appointment_id)).toEqual(before.map((row) => row.appointment_id));
    expect(after.every((row) => row.user_id === keptId)).toBe(true);
  });
});

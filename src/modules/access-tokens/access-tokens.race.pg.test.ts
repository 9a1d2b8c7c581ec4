import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('access-tokens.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { NOW, findUserId } from '../../../test/support/appointments.js';
import { consumeAccessToken, issueAccessToken, verifyAppointmentAccess } from './index.js';

const CONCURRENT_GUESSES = 20;

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL, see vitest.config.ts).
describe('token links under concurrency (PostgreSQL, 20 connections)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;
  let participationId: number;
  let userId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: CONCURRENT_GUESSES });
    userId = await findUserId(database.db, 'Camille');
    participationId = (await database.db.selectFrom('participations').select('id').where('user_id', '=', userId).orderBy('id').executeTakeFirstOrThrow()).id;
    await Promise.all(Array.from({ length: CONCURRENT_GUESSES }, () => pool.db.selectFrom('territories').select('id').execute()));
  });
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('compares at most five of 20 simultaneous wrong answers to an appointment link, then locks it', async () => {
    const { token, tokenId } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId, now: NOW });
    const answers = await Promise.all(Array.from({ length: CONCURRENT_GUESSES }, () => verifyAppointmentAccess(pool.db, { token, lastNamePrefix: 'xyz', now: NOW })));
    const reasons = answers.map((answer) => (answer.ok ? 'ok' : answer.reason));
    // four answers compared and refused, the fifth compared and locking, fifteen never compared
    expect(reasons.filter((reason) => reason === 'NAME_MISMATCH')).toHaveLength(4);
    expect(reasons.filter((reason) => reason === 'LOCKED')).toHaveLength(CONCURRENT_GUESSES - 4);
    const row = await database.db.selectFrom('access_tokens').select('failed_attempts').where('id', '=', tokenId).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(5);
    expect(await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'dur', now: NOW })).toEqual({ ok: false, reason: 'LOCKED' });
  });

  it('spends a sign-in link once under 20 simultaneous clicks', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId, now: NOW });
    const results = await Promise.all(Array.from({ length: CONCURRENT_GUESSES }, () => consumeAccessToken(pool.db, { token, purpose: 'passwordless_sign_in', now: NOW })));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });
});

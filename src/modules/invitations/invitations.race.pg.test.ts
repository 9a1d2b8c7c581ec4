import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { createInvitation, verifyInvitation } from './index.js';

if (testBackend !== 'postgres') throw new Error('invitations.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');

const NOW = new Date('2026-11-24T09:00:00Z');
const GUESSES = 20;

// PGlite serves one connection at a time: this race runs on PostgreSQL only (see vitest.config.ts).
describe('invitation proof under concurrency (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: GUESSES });
    await Promise.all(Array.from({ length: GUESSES }, () => pool.db.selectFrom('territories').select('id').execute()));
  });
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('compares at most five answers when 20 wrong guesses arrive at once', async () => {
    const karim = await database.db.selectFrom('users').select('id').where('email', '=', 'karim.haddad@demo.creneau.fr').executeTakeFirstOrThrow();
    const melun = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const invitation = await createInvitation(database.db, { userId: karim.id, motifCategoryShortName: 'rsa_orientation', organisationIds: [melun.id], partner: 'rdv-insertion', now: NOW });
    if (!invitation.ok) throw new Error('invitation not created');
    const results = await Promise.all(
      Array.from({ length: GUESSES }, (_, index) => verifyInvitation(pool.db, { token: invitation.token, lastNamePrefix: `zz${String(index)}`, now: NOW })),
    );
    // An answer is compared only after it claimed an attempt, and the claims stop at five: the
    // counter is the number of answers compared; the others were refused without a comparison.
    const row = await database.db.selectFrom('invitations').select('failed_attempts').executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(5);
    expect(results.filter((result) => !result.ok && result.reason === 'NAME_MISMATCH')).toHaveLength(4);
    expect(results.filter((result) => !result.ok && result.reason === 'LOCKED')).toHaveLength(GUESSES - 4);
    expect((await verifyInvitation(pool.db, { token: invitation.token, lastNamePrefix: 'had', now: NOW })).ok).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('agent-accounts.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { TEST_NOW } from '../../../test/support/app.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { insertAgentToken, insertInvitedAgent } from './agent-accounts.repository.js';
import { choosePasswordWithLink } from './agent-accounts.use-cases.js';
import { newAgentToken } from './agent-tokens.js';

const CONCURRENT_CLICKS = 10;

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL, see vitest.config.ts).
describe('agent links under concurrency (PostgreSQL, 10 connections)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase();
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: CONCURRENT_CLICKS });
  });
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('spends an invitation link once under 10 simultaneous submissions: one password, one new session generation', async () => {
    const agentId = await insertInvitedAgent(database.db, { firstName: 'Lucie', lastName: 'Martin', email: 'course@example.fr' });
    const link = newAgentToken();
    await insertAgentToken(database.db, { agentId, purpose: 'invitation', tokenHash: link.tokenHash, createdByAgentId: null, createdAt: TEST_NOW, expiresAt: new Date(TEST_NOW.getTime() + 3_600_000) });
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CLICKS }, (_, index) =>
        choosePasswordWithLink({ db: pool.db, sessionSecret: 'x'.repeat(32) }, { token: link.token, purpose: 'invitation', password: `un mot de passe bien long numéro ${String(index)}`, now: TEST_NOW }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'INVALID_LINK')).toHaveLength(CONCURRENT_CLICKS - 1);
    const agent = await database.db.selectFrom('agents').select(['session_generation', 'password_hash']).where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(agent.session_generation).toBe(1);
    expect(agent.password_hash).not.toBeNull();
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_NOW } from '../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { purgeReadJournal, readJournalJobs, recordRead } from './index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('read journal', () => {
  let database: TestDatabase;
  let territoryId: number;
  let agentId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    territoryId = (await database.db.selectFrom('territories').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    agentId = (await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  const entries = () => database.db.selectFrom('read_journal').selectAll().orderBy('id').execute();

  it('appends an entry with the usagers read, once each, and no personal data beside ids', async () => {
    await recordRead(database.db, { territoryId, organisationId: null, agentId, kind: 'user_search', userIds: [3, 1, 3], details: { results: 2 } }, TEST_NOW);
    const [entry] = await entries();
    expect(entry).toMatchObject({ territory_id: territoryId, agent_id: agentId, kind: 'user_search', user_ids: [3, 1], reason: null, details: { results: 2 } });
    expect(entry?.occurred_at.toISOString()).toBe(TEST_NOW.toISOString());
  });

  it('refuses to change or delete an entry outside the purge', async () => {
    await expect(database.db.updateTable('read_journal').set({ reason: 'effacer ma trace' }).execute()).rejects.toThrow(/journal des consultations/);
    await expect(database.db.deleteFrom('read_journal').execute()).rejects.toThrow(/journal des consultations/);
    // The setting lasts one transaction: a later plain DELETE is refused again.
    await sql`SELECT set_config('creneau.read_journal_purge', 'off', false)`.execute(database.db);
    await expect(database.db.deleteFrom('read_journal').execute()).rejects.toThrow(/journal des consultations/);
    expect(await entries()).toHaveLength(1);
  });

  it('purges the entries past the retention period, and only those', async () => {
    await recordRead(database.db, { territoryId, organisationId: null, agentId, kind: 'user_view', userIds: [1] }, new Date(TEST_NOW.getTime() - 400 * DAY_MS));
    await recordRead(database.db, { territoryId, organisationId: null, agentId, kind: 'export', userIds: [1, 2], details: { exportId: 9 } }, new Date(TEST_NOW.getTime() - 300 * DAY_MS));
    const job = readJournalJobs.find((candidate) => candidate.name === 'purge-read-journal');
    expect(job?.cron.split(' ')).toHaveLength(5);
    const context = createTestContext(database, TEST_NOW);
    expect(context.config.readJournalRetentionDays).toBe(365);
    expect(await job?.run(context, TEST_NOW)).toBe(1);
    expect((await entries()).map((entry) => entry.kind)).toEqual(['user_search', 'export']);
    // Still append-only after a purge.
    await expect(database.db.deleteFrom('read_journal').execute()).rejects.toThrow(/journal des consultations/);
    expect(await purgeReadJournal(database.db, new Date(TEST_NOW.getTime() - 400 * DAY_MS))).toBe(0);
  });
});

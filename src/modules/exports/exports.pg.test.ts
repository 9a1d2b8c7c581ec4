import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp, createTestContext, TEST_NOW } from '../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { runExportRound, type ExportLog } from './export-worker.js';
import { MAX_EXPORTS_IN_PROGRESS } from './exports.use-cases.js';

const silent: ExportLog = { info: () => undefined, error: () => undefined };

describe('exports under concurrency (PostgreSQL)', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let organisationId = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database);
    organisationId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it(`lets exactly ${String(MAX_EXPORTS_IN_PROGRESS)} of 50 simultaneous requests of one agent through, the others get 429`, async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    await sophie.get(`/agents/organisations/${String(organisationId)}/rdv`);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => sophie.post(`/agents/organisations/${String(organisationId)}/exports`, { type: 'rendez-vous', du: '2026-11-23', au: '2026-11-29' })),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 303)).toHaveLength(MAX_EXPORTS_IN_PROGRESS);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50 - MAX_EXPORTS_IN_PROGRESS);
    const rows = await database.db.selectFrom('exports').select('id').execute();
    expect(rows).toHaveLength(MAX_EXPORTS_IN_PROGRESS);
    const journal = await database.db.selectFrom('read_journal').select('id').where('kind', '=', 'export').execute();
    expect(journal).toHaveLength(MAX_EXPORTS_IN_PROGRESS);
  });

  it('never gives one export to two workers claiming at once: each is produced once, at the first attempt', async () => {
    const context = createTestContext(database);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => runExportRound(context, silent, { batchSize: 5, chunkBytes: 2048 })));
    expect(outcomes.filter((outcome) => outcome === 'done')).toHaveLength(MAX_EXPORTS_IN_PROGRESS);
    expect(outcomes.filter((outcome) => outcome === 'idle')).toHaveLength(4 - MAX_EXPORTS_IN_PROGRESS);
    const exports = await database.db.selectFrom('exports').select(['status', 'attempts', 'rows_done', 'rows_total']).execute();
    expect(exports.every((row) => row.status === 'done' && row.attempts === 1 && row.rows_done === row.rows_total)).toBe(true);
    const produced = await database.db.selectFrom('read_journal').select('id').where('kind', '=', 'export').execute();
    expect(produced).toHaveLength(MAX_EXPORTS_IN_PROGRESS * 2);
  });
});

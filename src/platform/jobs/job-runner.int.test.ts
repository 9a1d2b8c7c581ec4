/**
 * pg-boss 10 on the test database: on PGlite through the app's single connection (kyselyExecutor),
 * on PostgreSQL (TEST_DATABASE_URL) through its own pool.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createLogger } from '../logger/logger.js';
import { startJobRunner, type JobRunner } from './job-runner.js';
import type { ScheduledJob } from './scheduled-job.js';

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('job runner (pg-boss)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  function start(jobs: ScheduledJob[]): Promise<JobRunner> {
    const context = createTestContext(database);
    return startJobRunner({ context, logger: createLogger('silent'), jobs, connectionString: database.url, pollingIntervalSeconds: 0.5 });
  }

  it('creates its schema, schedules the jobs, runs one on demand with the context clock, and stops', async () => {
    const runs: Date[] = [];
    const job: ScheduledJob = {
      name: 'test-count-users',
      cron: '*/5 * * * *',
      run: async (context, now) => {
        runs.push(now);
        const result = await sql<{ count: number }>`SELECT count(*)::int AS count FROM users`.execute(context.db);
        return result.rows[0]?.count ?? 0;
      },
    };
    const runner = await start([job]);
    try {
      expect(await runner.schedules()).toEqual([{ name: 'test-count-users', cron: '*/5 * * * *' }]);
      await runner.runNow(job.name);
      await waitFor(() => runs.length === 1);
      expect(runs[0]?.toISOString()).toBe('2026-11-24T09:00:00.000Z');
    } finally {
      await runner.stop();
    }
    // the app's database is still usable after pg-boss stopped
    const tables = await sql<{ count: number }>`SELECT count(*)::int AS count FROM pgboss.queue`.execute(database.db);
    expect(tables.rows[0]?.count).toBeGreaterThanOrEqual(1);
  });

  it('drops the schedule of a job no longer in the list, and queues a failed run for a retry', async () => {
    let attempts = 0;
    const failing: ScheduledJob = {
      name: 'test-failing',
      cron: '0 4 * * *',
      run: () => {
        attempts += 1;
        return Promise.reject(new Error('échec voulu'));
      },
    };
    const runner = await start([failing]);
    try {
      // test-count-users, scheduled by the previous test, is gone
      expect(await runner.schedules()).toEqual([{ name: 'test-failing', cron: '0 4 * * *' }]);
      await runner.runNow(failing.name);
      await waitFor(() => attempts === 1);
      let state: string | undefined;
      const deadline = Date.now() + 10_000;
      while (state !== 'retry' && Date.now() < deadline) {
        const rows = await sql<{ state: string }>`SELECT state::text AS state FROM pgboss.job WHERE name = 'test-failing'`.execute(database.db);
        state = rows.rows[0]?.state;
        if (state !== 'retry') await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(state).toBe('retry');
    } finally {
      await runner.stop();
    }
  });
});

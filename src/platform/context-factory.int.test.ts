import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../test/support/database.js';
import { loadConfig, type Config } from '../config.js';
import { createProcessContext } from './context-factory.js';
import { createLogger } from './logger/logger.js';

describe('createProcessContext', () => {
  // An empty database, the factory applies the migrations itself: a throwaway PostgreSQL
  // database, or a fresh in-memory PGlite (opened by the factory).
  let target: TestDatabase | undefined;
  let config: Config;
  beforeAll(async () => {
    if (testBackend === 'postgres') target = await openTestDatabase({ migrated: false });
    config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), databaseUrl: target?.url, dataDir: 'memory://' };
  });
  afterAll(async () => {
    await target?.destroy();
  });

  it('opens the configured database with the migrations applied, a mailer and the clock', async () => {
    const now = new Date('2026-11-24T09:00:00Z');
    const { context, close: closeContext } = await createProcessContext(config, createLogger('silent'), () => now);
    try {
      expect(context.backend).toBe(testBackend);
      expect(context.now()).toBe(now);
      const applied = await sql<{ count: number }>`SELECT count(*)::int AS count FROM schema_migrations`.execute(context.db);
      expect(applied.rows[0]?.count).toBeGreaterThanOrEqual(4);
      const sent = await context.mailer.send({ to: 'agent@example.fr', subject: 'Essai', text: 'Bonjour' });
      expect(sent.messageId).not.toBe('');
    } finally {
      await closeContext();
    }
  });
});

import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/platform/context.js';
import { createDevOutboxMailer } from '../../src/platform/mailer/index.js';
import type { TestDatabase } from './database.js';

export const TEST_NOW = new Date('2026-11-24T09:00:00Z');

/** The app's context on a test database: fixed clock, e-mails in the development outbox. */
export function createTestContext(database: TestDatabase, now = TEST_NOW): AppContext {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  return {
    config,
    db: database.db,
    backend: database.backend,
    now: () => now,
    mailer: createDevOutboxMailer({ db: database.db, from: config.mailFrom, now: () => now }),
  };
}

/** Builds the real app on a test database, with a fixed clock. */
export async function buildTestApp(database: TestDatabase, now = TEST_NOW): Promise<FastifyInstance> {
  const app = await buildApp(createTestContext(database, now));
  await app.ready();
  return app;
}

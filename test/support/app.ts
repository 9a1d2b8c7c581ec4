import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { TestDatabase } from './database.js';

/** Builds the real app on a test database, with a fixed clock. */
export async function buildTestApp(database: TestDatabase, now = new Date('2026-11-24T09:00:00Z')): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, db: database.db, backend: database.backend, now: () => now });
  await app.ready();
  return app;
}

// The delivery-report webhook writes neither its token nor what a report carries (the
// recipient's number) to the logs, whatever the request: the app's real logger options, at
// `info`, with the lines collected in an array.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext } from '../../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { buildApp } from '../../../app.js';
import type * as LoggerModule from '../../../platform/logger/logger.js';
import { seedDemoTerritory } from '../../../seed/index.js';
import { hashReportToken, reportTokenOf } from '../../notifications/index.js';

const logs = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('../../../platform/logger/logger.js', async (importOriginal) => {
  const original = await importOriginal<typeof LoggerModule>();
  return {
    ...original,
    loggerOptions: (level: string) => ({ ...original.loggerOptions(level), stream: { write: (line: string) => logs.lines.push(line) } }),
  };
});

describe('delivery-report webhook and the logs', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    const context = createTestContext(database);
    const territory = await database.db.selectFrom('territories').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    token = reportTokenOf(context.config.secretsEncryptionKey, territory.id);
    await database.db.insertInto('territory_sms_settings').values({ territory_id: territory.id, provider: 'smsfactor', sender: 'CRENEAU', report_token_hash: hashReportToken(token) }).execute();
    app = await buildApp({ ...context, config: { ...context.config, logLevel: 'info' } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('logs neither the token nor the number, for good, malformed and oversized requests', async () => {
    logs.lines.length = 0;
    const url = `/notifications/sms/accuses/${token}`;
    const answers = [
      await app.inject({ method: 'GET', url: `${url}?status=3&message_id=n1a1&destination=33698765432` }),
      await app.inject({ method: 'POST', url, payload: { status: 3, message_id: 'n1a1', destination: '33698765432' } }),
      await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"destination": "33698765432", ' }),
      await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ destination: '33698765432', pad: 'x'.repeat(70_000) }) }),
      await app.inject({ method: 'GET', url: `${url}?destination=${'3'.repeat(2000)}` }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 400, 413, 400]);
    const written = logs.lines.join('\n');
    expect(written).not.toContain(token);
    expect(written).not.toContain('698765432');
  });
});

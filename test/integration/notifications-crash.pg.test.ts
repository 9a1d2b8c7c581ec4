/**
 * Crash test of the notification pipeline (issue 9): a real worker process (src/worker.ts) sends
 * SMS confirmations to the SMS Factor loopback stub; it is killed with SIGKILL in the middle of a
 * batch, restarted, and every message must reach the provider exactly once. The stub, like SMS
 * Factor, reports each accepted message to the delivery-report URL of the web app running here;
 * the restarted worker confirms the interrupted messages the provider reported and sends again
 * only those it never received. PostgreSQL only: two processes share the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashReportToken, keyringOf, reportTokenOf, smsCredentialsAssociatedData } from '../../src/modules/notifications/index.js';
import { encryptSecret } from '../../src/platform/security/index.js';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { buildTestApp, createTestContext } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { startSmsFactorStub, type SmsFactorStub } from '../support/sms-stubs/index.js';

const MESSAGES = 1500;
const WORKER = fileURLToPath(new URL('../../src/worker.ts', import.meta.url));

describe('a worker killed with SIGKILL in the middle of a batch', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let stub: SmsFactorStub;
  let reportUrl: string;
  let territoryId: number;
  const workers: ChildProcess[] = [];
  let reporting = true;
  let reporter: Promise<void> = Promise.resolve();

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: database.url,
        BASE_URL: 'https://rdv.creneau.fr',
        NOTIFICATION_LEASE_SECONDS: '2',
        SMS_REPORT_WAIT_SECONDS: '4',
        NOTIFICATION_CONCURRENCY: '16',
        SEED_DEMO: 'never',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    return child;
  }

  async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    const now = new Date();
    await seedDemoTerritory(database.db, now);
    await database.db.updateTable('outbox_events').set({ processed_at: now }).execute();
    const context = createTestContext(database, now);
    app = await buildTestApp(database, now);
    await app.listen({ host: '127.0.0.1', port: 0 });
    // Each answer takes 100 ms (the stub accepts the message first): a kill almost always lands
    // while messages are accepted by the provider but not yet recorded as sent.
    stub = await startSmsFactorStub({ recordRequests: false, delayMs: 100 });
    stub.setFailure('slow');

    const melun = await database.db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    territoryId = melun.territory_id;
    const type = await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', melun.id).where('is_collective', '=', false).orderBy('id').executeTakeFirstOrThrow();
    const place = await database.db.selectFrom('places').select('id').where('organisation_id', '=', melun.id).orderBy('id').executeTakeFirstOrThrow();
    const token = reportTokenOf(context.config.secretsEncryptionKey, territoryId);
    reportUrl = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}/notifications/sms/accuses/${token}`;
    await database.db
      .insertInto('territory_sms_settings')
      .values({
        territory_id: territoryId,
        provider: 'smsfactor',
        sender: 'CD77',
        credentials_encrypted: encryptSecret(JSON.stringify({ apiToken: stub.token, endpoint: stub.url }), keyringOf(context), smsCredentialsAssociatedData(territoryId, 'primary')),
        report_token_hash: hashReportToken(token),
      })
      .execute();

    // MESSAGES appointments booked in three days, each with its outbox event: one SMS each.
    const users = await database.db
      .insertInto('users')
      .values(Array.from({ length: MESSAGES }, (_, index) => ({ first_name: 'Crash', last_name: `Test${String(index)}`, phone_number_e164: `+3361${String(index).padStart(7, '0')}`, notify_by_email: false, created_through: 'seed' as const })))
      .returning('id')
      .execute();
    const startsAt = (index: number) => new Date(now.getTime() + 3 * 86_400_000 + index * 60_000);
    const appointments = await database.db
      .insertInto('appointments')
      .values(users.map((_, index) => ({ organisation_id: melun.id, appointment_type_id: type.id, place_id: place.id, during: `[${startsAt(index).toISOString()},${new Date(startsAt(index).getTime() + 1_800_000).toISOString()})`, time_zone: 'Europe/Paris', created_by_type: 'user' as const })))
      .returning('id')
      .execute();
    const participations = await database.db
      .insertInto('participations')
      .values(appointments.map((appointment, index) => ({ appointment_id: appointment.id, user_id: users[index]?.id ?? 0, created_by_type: 'user' as const })))
      .returning(['id', 'appointment_id'])
      .execute();
    await database.db
      .insertInto('outbox_events')
      .values(participations.map((participation) => ({ topic: 'appointment.created', aggregate_id: participation.appointment_id, payload: JSON.stringify({ appointmentId: participation.appointment_id, publicId: 'x', participationIds: [participation.id], by: 'user' }) })))
      .execute();

    // Like SMS Factor: every accepted message is reported to the territory's URL, shortly after.
    const reported = new Set<string>();
    reporter = (async () => {
      while (reporting) {
        for (const reference of stub.countsByReference().keys()) {
          if (reported.has(reference)) continue;
          reported.add(reference);
          await stub.postDeliveryReport(reportUrl, { reference, status: 3 });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
  }, 120_000);

  afterAll(async () => {
    reporting = false;
    await reporter;
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await stub.close();
    await app.close();
    await database.destroy();
  });

  it('every message reaches the provider exactly once', async () => {
    const first = startWorker();
    await waitFor(async () => Promise.resolve(stub.stats().accepted >= MESSAGES / 3), 90_000, 'a third of the messages');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const interrupted = await database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'sending').where('event', '=', 'appointment_created').executeTakeFirstOrThrow();
    const acceptedAtKill = stub.stats().accepted;
    expect(acceptedAtKill).toBeLessThan(MESSAGES);

    startWorker();
    await waitFor(
      async () => {
        const open = await database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('channel', '=', 'sms').where('event', '=', 'appointment_created').where('status', 'in', ['pending', 'sending', 'in_doubt']).executeTakeFirstOrThrow();
        return Number(open.n) === 0;
      },
      120_000,
      'every notification settled',
    );

    const rows = await database.db.selectFrom('notifications').select(['id', 'status']).where('channel', '=', 'sms').where('event', '=', 'appointment_created').where('territory_id', '=', territoryId).execute();
    expect(rows).toHaveLength(MESSAGES);
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    // Count what the provider received per notification (a reference is n<id>a<attempt>).
    const perNotification = new Map<number, number>();
    for (const [reference, times] of stub.countsByReference()) {
      const id = Number(/^n(\d+)a\d+$/.exec(reference)?.[1]);
      perNotification.set(id, (perNotification.get(id) ?? 0) + times);
    }
    const counts = rows.map((row) => perNotification.get(row.id) ?? 0);
    expect(counts.filter((count) => count === 0)).toHaveLength(0);
    expect(counts.filter((count) => count > 1)).toHaveLength(0);
    expect(stub.stats().accepted).toBe(MESSAGES);
    // The kill did interrupt a batch (otherwise this test proved nothing).
    expect(Number(interrupted.n)).toBeGreaterThan(0);
  }, 300_000);
});

// npm run bench:notifications -- --count N --json FILE [--concurrency C] [--batch B] [--seed S]
//
// N reminders due at once, delivered by the notification pipeline (planning by the reminder
// sweep, then delivery rounds as the worker runs them) to the SMS Factor loopback stub running in
// its own process. Opens PostgreSQL when DATABASE_URL is set, else an in-memory PGlite. Reports
// throughput (messages accepted by the stub per second of delivery), duplicates (messages the
// provider received beyond one per notification), lost (notifications that never reached it),
// and the share of reminders that fit in one SMS segment. See bench/README.md.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { deliverDue, deliveryDependencies, keyringOf, smsCredentialsAssociatedData, sweepReminders } from '../../src/modules/notifications/index.js';
import { openDatabase, redactUrl } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrator.js';
import type { AppContext } from '../../src/platform/context.js';
import { createDevOutboxMailer } from '../../src/platform/mailer/index.js';
import { encryptSecret } from '../../src/platform/security/index.js';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { Prng } from '../slots/prng.js';

/** A Thursday, 10:00 in Paris: inside the reminders' daytime window everywhere in metropolitan France. */
const BENCH_NOW = new Date('2026-12-03T09:00:00Z');

const FIRST_NAMES = ['Léa', 'Chloé', 'Noé', 'Inès', 'Zoé', 'Maël', 'Anaïs', 'Jérôme', 'François', 'Hélène', 'Loïc', 'Mathis'];
/** Places with the names and addresses départements really give (up to 60 characters). */
const PLACE_NAMES = [
  'MDS de Melun',
  'Maison départementale des solidarités de Meaux',
  'Centre médico-social Saint-Exupéry',
  'PMI Les Hauts-de-Montereau',
  'Antenne sociale du Val d’Europe – Chessy',
  'Maison des solidarités de Fontainebleau-Avon',
  'Espace départemental des solidarités de Coulommiers',
  'Centre de PMI « Les Petits Pas » de Pontault-Combault',
];
const ADDRESSES = [
  '12 rue de l’Église, 77000 Melun',
  '3 bis avenue du Général-de-Gaulle, 77100 Meaux',
  '145 boulevard Chamblain, 77000 Melun',
  'Place de la Libération, 77130 Montereau-Fault-Yonne',
  '1 cours du Danube, 77700 Serris',
];

function positiveInteger(text: string | undefined, fallback: number, option: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${option} attend un entier positif, reçu ${text}`);
  return value;
}

async function startStub(): Promise<{ url: string; token: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('../../test/support/sms-stubs/run-smsfactor-stub.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`le stub s’est arrêté (${String(code)})`));
    });
  });
  const parsed = JSON.parse(first) as { url: string; token: string };
  return { ...parsed, child };
}

async function stubStats(url: string): Promise<{ requests: number; accepted: number; refused: number; duplicates: number }> {
  const response = await fetch(`${url}/__stub/stats`, { headers: { accept: 'application/json', authorization: 'Bearer stats' } });
  return (await response.json()) as { requests: number; accepted: number; refused: number; duplicates: number };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string' }, json: { type: 'string' }, concurrency: { type: 'string' }, batch: { type: 'string' }, seed: { type: 'string' } },
    allowPositionals: false,
  });
  const count = positiveInteger(values.count, 100_000, '--count');
  const concurrency = positiveInteger(values.concurrency, 64, '--concurrency');
  const batch = positiveInteger(values.batch, 500, '--batch');
  const prng = new Prng(positiveInteger(values.seed, 20261203, '--seed'));
  const databaseUrl = process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;
  const handle = await openDatabase({ databaseUrl, dataDir: 'memory://', poolSize: 10 });
  const stub = await startStub();
  try {
    const { db } = handle;
    console.log(`Backend: ${handle.backend}${databaseUrl === undefined ? ' (in memory)' : ` ${redactUrl(databaseUrl)}`}`);
    await migrate(db);
    await sql`TRUNCATE notifications, notification_receipts, territory_sms_settings, access_tokens, outbox_events CASCADE`.execute(db);
    await seedDemoTerritory(db, BENCH_NOW);
    await db.updateTable('outbox_events').set({ processed_at: BENCH_NOW }).execute();

    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL: 'https://rdv.creneau.fr' });
    const context: AppContext = { config, db, backend: handle.backend, now: () => BENCH_NOW, mailer: createDevOutboxMailer({ db, from: config.mailFrom, now: () => BENCH_NOW }) };

    // The Melun organisation (Europe/Paris) gets places with realistic names, and the SMS Factor stub as provider.
    const melun = await db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const type = await db.selectFrom('appointment_types').select('id').where('organisation_id', '=', melun.id).where('location_type', '=', 'public_office').where('is_collective', '=', false).orderBy('id').executeTakeFirstOrThrow();
    const placeIds: number[] = [];
    for (const [index, name] of PLACE_NAMES.entries()) {
      const place = await db.insertInto('places').values({ organisation_id: melun.id, name, address: ADDRESSES[index % ADDRESSES.length] ?? '', time_zone: 'Europe/Paris' }).returning('id').executeTakeFirstOrThrow();
      placeIds.push(place.id);
    }
    const credentials = encryptSecret(JSON.stringify({ apiToken: stub.token, endpoint: stub.url }), keyringOf(context), smsCredentialsAssociatedData(melun.territory_id, 'primary'));
    await db.insertInto('territory_sms_settings').values({ territory_id: melun.territory_id, provider: 'smsfactor', sender: 'CD77', credentials_encrypted: credentials }).execute();

    // N usagers with a mobile and an appointment tomorrow or the day after; every reminder is due now.
    const generationStarted = performance.now();
    for (let offset = 0; offset < count; offset += 5000) {
      const size = Math.min(5000, count - offset);
      const users = Array.from({ length: size }, (_, index) => {
        // 06 1x xx xx xx to 06 2x…: metropolitan mobiles (06 39 and 06 9x belong to the overseas departments).
        const mobile = `+3361${String(((offset + index) * 7919) % 9_999_999).padStart(7, '0')}`;
        return { first_name: FIRST_NAMES[prng.int(0, FIRST_NAMES.length - 1)] ?? 'Léa', last_name: `Bench${String(offset + index)}`, phone_number: mobile, phone_number_e164: mobile, created_through: 'seed' as const };
      });
      const userIds = (await db.insertInto('users').values(users).returning('id').execute()).map((row) => row.id);
      const appointments = userIds.map((_, index) => {
        const startsAt = new Date(BENCH_NOW.getTime() + (26 + prng.int(0, 19)) * 3_600_000 + prng.int(0, 3) * 900_000);
        return {
          organisation_id: melun.id,
          appointment_type_id: type.id,
          place_id: placeIds[(offset + index) % placeIds.length] ?? null,
          during: `[${startsAt.toISOString()},${new Date(startsAt.getTime() + 1_800_000).toISOString()})`,
          time_zone: 'Europe/Paris',
          created_by_type: 'user' as const,
          updated_at: new Date(BENCH_NOW.getTime() - 7 * 86_400_000),
        };
      });
      const appointmentIds = (await db.insertInto('appointments').values(appointments).returning('id').execute()).map((row) => row.id);
      await db
        .insertInto('participations')
        .values(appointmentIds.map((appointmentId, index) => ({ appointment_id: appointmentId, user_id: userIds[index] ?? 0, created_by_type: 'user' as const })))
        .execute();
    }
    const generationSeconds = (performance.now() - generationStarted) / 1000;

    const planningStarted = performance.now();
    const planned = await sweepReminders(db, { now: BENCH_NOW, pageSize: 2000 });
    const planningSeconds = (performance.now() - planningStarted) / 1000;
    // Only the generated usagers' reminders are measured (the demo data has its own few).
    const benchUsers = db.selectFrom('users').select('id').where('last_name', 'like', 'Bench%');
    const due = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('event', '=', 'reminder')
      .where('channel', '=', 'sms')
      .where('status', '=', 'pending')
      .where('user_id', 'in', benchUsers)
      .executeTakeFirstOrThrow();
    console.log(`${String(count)} rendez-vous générés en ${generationSeconds.toFixed(1)} s, ${String(planned)} rappels planifiés en ${planningSeconds.toFixed(1)} s`);

    const deps = deliveryDependencies(context, { info: () => undefined, warn: () => undefined, error: (details, message) => {
        console.error(message, details);
      },
    });
    const before = await stubStats(stub.url);
    const deliveryStarted = performance.now();
    for (;;) {
      const report = await deliverDue(deps, { now: BENCH_NOW, batchSize: batch, concurrency });
      if (report.claimed === 0) break;
    }
    const deliverySeconds = (performance.now() - deliveryStarted) / 1000;
    const after = await stubStats(stub.url);

    const benchReceipts = db
      .selectFrom('notification_receipts')
      .where('result', '=', 'sent')
      .where('event', '=', 'reminder')
      .where('channel', '=', 'sms')
      .where('user_id', 'in', benchUsers);
    const sentNotifications = await benchReceipts
      .select((eb) => [eb.fn.count<string>('notification_id').distinct().as('distinct'), eb.fn.countAll<string>().as('all')])
      .executeTakeFirstOrThrow();
    const segments = await benchReceipts
      .select((eb) => [eb.fn.countAll<string>().as('all'), eb.fn.sum<string>(eb.case().when('segments', '=', 1).then(1).else(0).end()).as('one')])
      .executeTakeFirstOrThrow();
    const demoMessages = await db
      .selectFrom('notification_receipts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('provider', '=', 'smsfactor')
      .where('result', '=', 'sent')
      .where('user_id', 'not in', benchUsers)
      .executeTakeFirstOrThrow();
    // What the provider accepted for the generated usagers (the demo's few SMS are taken out).
    const accepted = after.accepted - before.accepted - Number(demoMessages.n);
    const delivered = Number(sentNotifications.distinct);
    const expected = Number(due.n);
    const result = {
      count,
      backend: handle.backend === 'postgres' ? 'postgres' : 'pglite',
      throughput_per_s: Math.round((accepted / deliverySeconds) * 10) / 10,
      // Messages the provider got beyond one per notification, counted on both sides.
      duplicates: Math.max(accepted - delivered, 0) + (Number(sentNotifications.all) - delivered) + (after.duplicates - before.duplicates),
      lost: expected - delivered,
      one_segment_ratio: Math.round((Number(segments.one) / Math.max(1, Number(segments.all))) * 10_000) / 10_000,
      reminders_due: expected,
      accepted_by_provider: accepted,
      delivery_s: Math.round(deliverySeconds * 100) / 100,
      planning_s: Math.round(planningSeconds * 100) / 100,
      concurrency,
      batch,
    };
    console.log('| backend | reminders | throughput (msg/s) | duplicates | lost | one segment | delivery (s) | planning (s) |');
    console.log('|---|---|---|---|---|---|---|---|');
    console.log(`| ${result.backend} | ${String(result.reminders_due)} | ${String(result.throughput_per_s)} | ${String(result.duplicates)} | ${String(result.lost)} | ${(result.one_segment_ratio * 100).toFixed(2)} % | ${String(result.delivery_s)} | ${String(result.planning_s)} |`);
    if (values.json !== undefined) {
      await mkdir(path.dirname(path.resolve(values.json)), { recursive: true });
      await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
    }
    if (result.duplicates !== 0 || result.lost !== 0 || expected !== count) process.exitCode = 1;
  } finally {
    stub.child.kill('SIGTERM');
    await handle.close();
  }
}

await main();

// npm run bench:exports -- [--count N] [--batch B] [--json FILE]
//
// N appointments (default 100 000) in one organisation, each with one or two usagers, exported
// by the real worker code (runExportRound: claim, keyset batches under the requesting agent's
// visibility, exceljs streaming writer, encrypted chunks), then downloaded through the real
// route and read back with exceljs' streaming reader (row count, first and last ids). Reports the
// duration, rows per second, and the peak heap and RSS sampled every 20 ms during the export.
// Runs on a throwaway PostgreSQL database created next to DATABASE_URL (or TEST_DATABASE_URL),
// dropped at the end; without either, on an in-memory PGlite. See bench/README.md.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { runExportRound } from '../../src/modules/exports/index.js';
import type { AppContext } from '../../src/platform/context.js';
import { createDevOutboxMailer } from '../../src/platform/mailer/index.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, seedDemoTerritory } from '../../src/seed/index.js';
import { InjectSession } from '../../test/support/browser-session.js';

const BENCH_NOW = new Date('2026-12-03T09:00:00Z');
const FIRST_NAMES = ['Léa', 'Chloé', 'Noé', 'Inès', 'Zoé', 'Maël', 'Anaïs', 'Jérôme', 'François', 'Hélène', 'Loïc', 'Mathis'];
const LAST_NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'N’Diaye', 'Lefèvre-Garnier'];
/** Agents of the organisation sharing the appointments (ten a day each, never overlapping). */
const AGENTS = 20;
const SLOTS_PER_DAY = 10;

function positiveInteger(text: string | undefined, fallback: number, option: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${option} attend un entier positif, reçu ${text}`);
  return value;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, batch: { type: 'string' }, json: { type: 'string' } }, allowPositionals: false });
  const count = positiveInteger(values.count, 100_000, '--count');
  const batchSize = positiveInteger(values.batch, 1000, '--batch');
  const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';
  if (serverUrl !== '') process.env.TEST_DATABASE_URL = serverUrl;
  // Imported once the URL is known: the helper creates (and drops) a throwaway database on that server.
  const { openTestDatabase } = await import('../../test/support/database.js');
  const database = await openTestDatabase();
  try {
    const { db } = database;
    console.log(`Backend: ${database.backend} (base jetable)`);
    await seedDemoTerritory(db, BENCH_NOW);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const context: AppContext = { config, db, backend: database.backend, now: () => BENCH_NOW, mailer: createDevOutboxMailer({ db, from: config.mailFrom, now: () => BENCH_NOW }) };

    // The organisation, its motifs and places, twenty agents (the demo's and generated ones).
    const melun = await db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const types = await db.selectFrom('appointment_types').select('id').where('organisation_id', '=', melun.id).where('is_collective', '=', false).orderBy('id').execute();
    const places = await db.selectFrom('places').select('id').where('organisation_id', '=', melun.id).orderBy('id').execute();
    const service = await db.selectFrom('services').select('id').where('is_secretariat', '=', false).orderBy('id').executeTakeFirstOrThrow();
    const agentIds = (await db.selectFrom('agent_roles').select('agent_id').where('organisation_id', '=', melun.id).orderBy('agent_id').execute()).map((row) => row.agent_id);
    while (agentIds.length < AGENTS) {
      const agent = await db
        .insertInto('agents')
        .values({ email: null, first_name: FIRST_NAMES[agentIds.length % FIRST_NAMES.length] ?? 'Léa', last_name: `Agent${String(agentIds.length)}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('agent_roles').values({ agent_id: agent.id, organisation_id: melun.id, access_level: 'intervenant' }).execute();
      await db.insertInto('agent_services').values({ agent_id: agent.id, service_id: service.id }).execute();
      agentIds.push(agent.id);
    }
    const sophie = await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow();

    // N appointments from 2025-01-06 on, ten 45-minute slots a day per agent (no overlap), a third with two usagers.
    const generationStarted = performance.now();
    const firstDay = Date.parse('2025-01-06T07:00:00Z');
    let participations = 0;
    for (let offset = 0; offset < count; offset += 5000) {
      const size = Math.min(5000, count - offset);
      const indexes = Array.from({ length: size }, (_, index) => offset + index);
      const users = indexes.map((index) => ({
        first_name: FIRST_NAMES[index % FIRST_NAMES.length] ?? 'Léa',
        last_name: `${LAST_NAMES[index % LAST_NAMES.length] ?? 'Martin'} ${String(index)}`,
        phone_number: `06 ${String(10 + (index % 89))} ${String(index % 100).padStart(2, '0')} 00 00`,
        email: index % 3 === 0 ? `usager${String(index)}@example.fr` : null,
        birth_date: `19${String(50 + (index % 50))}-0${String(1 + (index % 9))}-1${String(index % 10)}`,
        created_through: 'seed' as const,
      }));
      const userIds = (await db.insertInto('users').values(users).returning('id').execute()).map((row) => row.id);
      const appointments = indexes.map((index) => {
        const perAgent = Math.floor(index / AGENTS);
        const startsAt = firstDay + Math.floor(perAgent / SLOTS_PER_DAY) * 86_400_000 + (perAgent % SLOTS_PER_DAY) * 45 * 60_000;
        const status = startsAt < BENCH_NOW.getTime() ? (['seen', 'seen', 'seen', 'noshow', 'excused'] as const)[index % 5] : ('unknown' as const);
        return {
          organisation_id: melun.id,
          appointment_type_id: types[index % types.length]?.id ?? 0,
          place_id: places[index % places.length]?.id ?? null,
          during: `[${new Date(startsAt).toISOString()},${new Date(startsAt + 45 * 60_000).toISOString()})`,
          time_zone: 'Europe/Paris',
          status,
          cancelled_at: status === 'excused' ? new Date(startsAt - 86_400_000) : null,
          created_by_type: index % 4 === 0 ? ('user' as const) : ('agent' as const),
          created_by_agent_id: index % 4 === 0 ? null : sophie.id,
          created_at: new Date(startsAt - 7 * 86_400_000),
          updated_at: new Date(startsAt - 7 * 86_400_000),
        };
      });
      const appointmentIds = (await db.insertInto('appointments').values(appointments).returning('id').execute()).map((row) => row.id);
      await db
        .insertInto('appointment_agents')
        .values(appointmentIds.map((appointmentId, position) => ({ appointment_id: appointmentId, agent_id: agentIds[(offset + position) % AGENTS] ?? 0 })))
        .execute();
      const rows = appointmentIds.flatMap((appointmentId, position) => {
        const main = { appointment_id: appointmentId, user_id: userIds[position] ?? 0, created_by_type: 'agent' as const };
        const second = userIds[(position + 1) % userIds.length] ?? 0;
        return (offset + position) % 3 === 0 ? [main, { ...main, user_id: second }] : [main];
      });
      participations += rows.length;
      await db.insertInto('participations').values(rows).execute();
    }
    await sql`ANALYZE`.execute(db);
    const generationSeconds = (performance.now() - generationStarted) / 1000;
    const expectedRows = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM appointments WHERE organisation_id = ${melun.id}`.execute(db)).rows[0]?.n ?? 0;
    console.log(`${String(count)} rendez-vous (${String(participations)} participations) générés en ${generationSeconds.toFixed(1)} s ; ${String(expectedRows)} dans l’organisation`);

    // The secretariat's export of the whole list (no date bound), as the list's form sends it.
    await db
      .insertInto('exports')
      .values({
        agent_id: sophie.id,
        organisation_id: melun.id,
        territory_id: melun.territory_id,
        kind: 'appointments',
        filters: JSON.stringify({ asOf: Math.floor(BENCH_NOW.getTime() / 60_000) }),
        reason: null,
        created_at: BENCH_NOW,
        expires_at: new Date(BENCH_NOW.getTime() + 24 * 3_600_000),
      })
      .execute();

    global.gc?.();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sample = (): void => {
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakRss = Math.max(peakRss, usage.rss);
    };
    const sampler = setInterval(sample, 20);
    const started = performance.now();
    const outcome = await runExportRound(context, { info: () => undefined, error: (details, message) => { console.error(message, details); } }, { batchSize, onBatch: sample });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    sample();
    if (outcome !== 'done') throw new Error(`export non produit : ${outcome}`);
    const produced = await db.selectFrom('exports').select(['public_id', 'rows_done', 'byte_size']).executeTakeFirstOrThrow();
    const chunks = await db.selectFrom('export_chunks').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();

    // Downloaded through the route as the agent, read back by exceljs' streaming reader.
    const app = await buildApp(context);
    const session = new InjectSession(app);
    await session.get('/agents/connexion');
    await session.post('/agents/connexion', { email: DEMO_AGENT_EMAILS.melunAdmin, motDePasse: DEMO_PASSWORD });
    const download = await session.get(`/agents/organisations/${String(melun.id)}/exports/${produced.public_id}/fichier`);
    await app.close();
    if (download.statusCode !== 200) throw new Error(`téléchargement refusé (${String(download.statusCode)})`);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([download.rawPayload]), { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore' });
    let fileRows = 0;
    const seenIds = new Set<number>();
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        if (row.number === 1) continue;
        fileRows += 1;
        seenIds.add(Number(row.getCell(1).value));
      }
    }

    const result = {
      backend: database.backend,
      appointments: expectedRows,
      rows_in_file: fileRows,
      distinct_ids_in_file: seenIds.size,
      duration_s: Math.round(seconds * 100) / 100,
      rows_per_s: Math.round(expectedRows / seconds),
      peak_heap_mb: Math.round(((peakHeap - baseline.heapUsed) / MB) * 10) / 10,
      peak_heap_total_mb: Math.round((peakHeap / MB) * 10) / 10,
      peak_rss_mb: Math.round((peakRss / MB) * 10) / 10,
      baseline_rss_mb: Math.round((baseline.rss / MB) * 10) / 10,
      file_mb: Math.round((Number(produced.byte_size) / MB) * 100) / 100,
      chunks: Number(chunks.n),
      batch: batchSize,
    };
    console.log('| backend | appointments | rows in file | duration (s) | rows/s | peak heap above start (MB) | peak heap (MB) | peak RSS (MB) | file (MB) | chunks |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${result.backend} | ${String(result.appointments)} | ${String(result.rows_in_file)} | ${String(result.duration_s)} | ${String(result.rows_per_s)} | ${String(result.peak_heap_mb)} | ${String(result.peak_heap_total_mb)} | ${String(result.peak_rss_mb)} | ${String(result.file_mb)} | ${String(result.chunks)} |`,
    );
    if (values.json !== undefined) {
      await mkdir(path.dirname(path.resolve(values.json)), { recursive: true });
      await writeFile(values.json, `${JSON.stringify(result, null, 2)}\n`);
    }
    if (fileRows !== expectedRows || seenIds.size !== expectedRows || produced.rows_done !== expectedRows || seconds >= 60) process.exitCode = 1;
  } finally {
    await database.destroy();
  }
}

await main();

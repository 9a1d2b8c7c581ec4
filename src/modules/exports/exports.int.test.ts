import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp, createTestContext, TEST_NOW } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import type { AppContext } from '../../platform/context.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { chunkKeysFor } from './export-cipher.js';
import { LOST_ACCESS_MESSAGE, produceExport } from './export-production.js';
import { runExportRound, type ExportLog } from './export-worker.js';
import { exportJobs } from './exports.jobs.js';
import { claimNextExport, writeProgress } from './exports.repository.js';
import { MAX_EXPORTS_IN_PROGRESS } from './exports.use-cases.js';

const silent: ExportLog = { info: () => undefined, error: () => undefined };
/** Small batches and chunks: the keyset and the chunk order are exercised on the demo's few hundred rows. */
const SMALL = { batchSize: 7, chunkBytes: 4096 };
// The week of TEST_NOW (Tuesday 24 November 2026).
const WEEK = { du: '2026-11-23', au: '2026-11-29' };

interface SheetRow {
  readonly values: readonly unknown[];
}

async function readWorkbook(buffer: Buffer): Promise<{ name: string; header: string[]; rows: SheetRow[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('no sheet');
  const all: unknown[][] = [];
  sheet.eachRow((row) => {
    all.push((row.values as unknown[]).slice(1));
  });
  const [header, ...rows] = all;
  return { name: sheet.name, header: (header ?? []).map(String), rows: rows.map((values) => ({ values })) };
}

describe('exports', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let context: AppContext;
  const ids = { melun: 0, meaux: 0, nadia: 0, sophie: 0, claire: 0, territory: 0, melunPlace: 0 };

  async function organisationId(slug: string): Promise<number> {
    return (await database.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  }
  async function agentId(firstName: string): Promise<number> {
    return (await database.db.selectFrom('agents').select('id').where('first_name', '=', firstName).executeTakeFirstOrThrow()).id;
  }

  /** Every appointment id of the list as the agent sees it with these filters, all pages. */
  async function listIds(session: InjectSession, organisation: number, filters: Record<string, string>): Promise<number[]> {
    const found: number[] = [];
    for (let page = 1; page < 100; page += 1) {
      const query = new URLSearchParams({ ...filters, page: String(page) });
      const response = await session.get(`/agents/organisations/${organisation}/rdv?${query.toString()}`);
      expect(response.statusCode).toBe(200);
      const pattern = new RegExp(`<th scope="row">\\s*<a href="/agents/organisations/${organisation}/rdv/(\\d+)"`, 'g');
      found.push(...[...response.body.matchAll(pattern)].map((match) => Number(match[1])));
      if (!response.body.includes('Page suivante</a>') || /aria-disabled="true" role="link">\s*Page suivante/.test(response.body)) break;
    }
    return found;
  }

  /** Asks for an export through the list's form, runs the worker, downloads and opens the file. */
  async function exportThroughList(
    session: InjectSession,
    organisation: number,
    type: 'rendez-vous' | 'participations',
    filters: Record<string, string>,
  ): Promise<{ publicId: string; workbook: Awaited<ReturnType<typeof readWorkbook>>; headers: Record<string, unknown> }> {
    const list = await session.get(`/agents/organisations/${organisation}/rdv?${new URLSearchParams(filters).toString()}`);
    expect(list.body).toContain('Exporter les rendez-vous');
    expect(list.body).toContain('Exporter les participations');
    const requested = await session.post(`/agents/organisations/${organisation}/exports`, { type, ...filters });
    expect(requested.statusCode).toBe(303);
    expect(requested.headers.location).toBe(`/agents/organisations/${organisation}/exports`);
    const waiting = await session.get(`/agents/organisations/${organisation}/exports`);
    expect(waiting.body).toContain('data-exports-refresh');
    expect(waiting.body).toContain('src="/static/exports-progress.js"');
    expect(waiting.body).toContain('1 export en préparation');
    expect(await runExportRound(context, silent, SMALL)).toBe('done');
    const page = await session.get(`/agents/organisations/${organisation}/exports`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).not.toContain('data-exports-refresh');
    const link = new RegExp(`href="(/agents/organisations/${organisation}/exports/([0-9a-f]{32})/fichier)"`).exec(page.body);
    expect(link).not.toBeNull();
    const file = await session.get(link?.[1] ?? '');
    expect(file.statusCode).toBe(200);
    return { publicId: link?.[2] ?? '', workbook: await readWorkbook(file.rawPayload), headers: file.headers };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database);
    context = createTestContext(database);
    ids.melun = await organisationId('mds-melun');
    ids.meaux = await organisationId('mds-meaux');
    ids.nadia = await agentId('Nadia');
    ids.sophie = await agentId('Sophie');
    ids.claire = await agentId('Claire');
    ids.territory = (await database.db.selectFrom('organisations').select('territory_id').where('id', '=', ids.melun).executeTakeFirstOrThrow()).territory_id;
    ids.melunPlace = (await database.db.selectFrom('places').select('id').where('name', '=', 'MDS de Melun').executeTakeFirstOrThrow()).id;
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('exports the week’s appointments exactly as the list shows them, one row each, in its order, as an XLSX the agent alone downloads', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const expected = await listIds(sophie, ids.melun, WEEK);
    expect(expected.length).toBeGreaterThan(SMALL.batchSize);
    const { publicId, workbook, headers } = await exportThroughList(sophie, ids.melun, 'rendez-vous', WEEK);
    expect(headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['content-disposition']).toMatch(/^attachment; filename="rendez-vous-2026-11-24-10h00-[0-9a-f]{8}\.xlsx"$/);
    expect(workbook.name).toBe('Rendez-vous');
    expect(workbook.header.slice(0, 5)).toEqual(['Identifiant du rendez-vous', 'Date', 'Heure', 'Durée (minutes)', 'Fuseau horaire']);
    expect(workbook.rows.map((row) => row.values[0])).toEqual(expected);
    // Dates are real dates (the local day), in the week asked for.
    for (const row of workbook.rows) {
      expect(row.values[1]).toBeInstanceOf(Date);
      const day = (row.values[1] as Date).toISOString().slice(0, 10);
      expect(day >= WEEK.du && day <= WEEK.au).toBe(true);
    }

    // The journal: the request (no usager yet), then the production with every usager of the file.
    const exportRow = await database.db.selectFrom('exports').select(['id', 'status', 'rows_done', 'rows_total']).where('public_id', '=', publicId).executeTakeFirstOrThrow();
    expect(exportRow).toMatchObject({ status: 'done', rows_done: expected.length, rows_total: expected.length });
    const journal = await sql<{ user_ids: (number | string)[]; details: Record<string, unknown>; reason: string | null; agent_id: number }>`
      SELECT user_ids, details, reason, agent_id FROM read_journal WHERE kind = 'export' AND details->>'exportId' = ${String(exportRow.id)} ORDER BY id`.execute(database.db);
    expect(journal.rows.map((row) => row.details.step)).toEqual(['requested', 'produced', 'downloaded']);
    expect(journal.rows.every((row) => row.agent_id === ids.sophie)).toBe(true);
    expect(journal.rows[0]?.user_ids).toEqual([]);
    const participants = await sql<{ user_id: number }>`
      SELECT DISTINCT user_id::int AS user_id FROM participations WHERE appointment_id IN (${sql.join(expected)}) ORDER BY user_id`.execute(database.db);
    expect(journal.rows[1]?.user_ids.map(Number).sort((a, b) => a - b)).toEqual(participants.rows.map((row) => row.user_id));
    expect(journal.rows[2]?.user_ids.map(Number).sort((a, b) => a - b)).toEqual(participants.rows.map((row) => row.user_id));

    // The chunks are stored encrypted: no ZIP signature at the start of any of them.
    const chunks = await database.db.selectFrom('export_chunks').select(['position', 'content']).where('export_id', '=', exportRow.id).orderBy('position').execute();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((chunk) => chunk.position)).toEqual(chunks.map((_, index) => index));
    for (const chunk of chunks) expect(Buffer.from(chunk.content).subarray(0, 2).toString('latin1')).not.toBe('PK');

    // Another agent of the organisation, the same agent under another organisation, an unknown id: 404.
    const claire = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    expect((await claire.get(`/agents/organisations/${ids.melun}/exports/${publicId}/fichier`)).statusCode).toBe(404);
    expect((await sophie.get(`/agents/organisations/${ids.meaux}/exports/${publicId}/fichier`)).statusCode).toBe(404);
    expect((await sophie.get(`/agents/organisations/${ids.melun}/exports/${'0'.repeat(32)}/fichier`)).statusCode).toBe(404);
    expect((await sophie.get(`/agents/organisations/${ids.melun}/exports/1/fichier`)).statusCode).toBe(404);
  });

  it('exports one row per usager and appointment for the participations, with the usager’s identity and the participation’s status', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const expected = await listIds(sophie, ids.melun, WEEK);
    const participations = await sql<{ appointment_id: number; last_name: string }>`
      SELECT pa.appointment_id, u.last_name FROM participations pa JOIN users u ON u.id = pa.user_id JOIN appointments a ON a.id = pa.appointment_id
       WHERE pa.appointment_id IN (${sql.join(expected)}) ORDER BY lower(a.during), a.id, pa.id`.execute(database.db);
    const { workbook } = await exportThroughList(sophie, ids.melun, 'participations', WEEK);
    expect(workbook.name).toBe('Participations');
    expect(workbook.header).toContain('Statut de la participation');
    expect(workbook.header).not.toContain('Numéro de dossier');
    const nameColumn = workbook.header.indexOf('Nom');
    expect(workbook.rows.map((row) => [row.values[0], row.values[nameColumn]])).toEqual(participations.rows.map((row) => [row.appointment_id, row.last_name]));
  });

  it('exports for a basic agent only what their own list shows, with the list’s motif and place filters', async () => {
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    const all = { du: '' };
    const expected = await listIds(nadia, ids.melun, all);
    const everything = await sql<{ count: number }>`SELECT count(*)::int AS count FROM appointments WHERE organisation_id = ${ids.melun}`.execute(database.db);
    expect(expected.length).toBeLessThan(everything.rows[0]?.count ?? 0);
    const { workbook } = await exportThroughList(nadia, ids.melun, 'rendez-vous', all);
    expect(workbook.rows.map((row) => row.values[0])).toEqual(expected);

    const motif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', ids.melun).where('name', 'like', '%RSA%').executeTakeFirstOrThrow()).id;
    const filtered = { du: '', motif: String(motif), lieu: String(ids.melunPlace), statut: 'vu' };
    const expectedFiltered = await listIds(nadia, ids.melun, filtered);
    const exported = await exportThroughList(nadia, ids.melun, 'rendez-vous', filtered);
    expect(exported.workbook.rows.map((row) => row.values[0])).toEqual(expectedFiltered);
    expect(exported.workbook.rows.every((row) => row.values[10] === 'Vu')).toBe(true);
  });

  it('answers 410 with a French message once the file has expired, and the purge deletes it with its chunks', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const { publicId } = await exportThroughList(sophie, ids.melun, 'rendez-vous', WEEK);
    const later = new Date(TEST_NOW.getTime() + (context.config.exportRetentionHours * 3600 + 60) * 1000);
    const laterApp = await buildTestApp(database, later);
    try {
      const again = await signInAgent(laterApp, DEMO_AGENT_EMAILS.melunAdmin);
      const expired = await again.get(`/agents/organisations/${ids.melun}/exports/${publicId}/fichier`);
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('Ce fichier a expiré');
      const exportId = (await database.db.selectFrom('exports').select('id').where('public_id', '=', publicId).executeTakeFirstOrThrow()).id;
      const purge = exportJobs.find((job) => job.name === 'purge-expired-exports');
      expect(await purge?.run(context, later)).toBeGreaterThanOrEqual(1);
      expect(await database.db.selectFrom('exports').select('id').where('id', '=', exportId).executeTakeFirst()).toBeUndefined();
      expect(await database.db.selectFrom('export_chunks').select('position').where('export_id', '=', exportId).execute()).toEqual([]);
    } finally {
      await laterApp.close();
    }
  });

  it('takes again from scratch an export whose worker stopped mid-way: the file has every row once, and the stopped worker writes nothing more', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const expected = await listIds(sophie, ids.melun, WEEK);
    await sophie.get(`/agents/organisations/${ids.melun}/rdv`);
    expect((await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'rendez-vous', ...WEEK })).statusCode).toBe(303);
    const first = await claimNextExport(database.db, TEST_NOW, 120, 5);
    expect(first?.attempt).toBe(1);
    if (first === undefined) throw new Error('nothing claimed');
    // Worker A writes one batch, then stalls past its lease; worker B (ten minutes later) takes over and finishes.
    const later = createTestContext(database, new Date(TEST_NOW.getTime() + 10 * 60_000));
    const stalled = produceExport(context, first, chunkKeysFor(context.config.secretsEncryptionKey), {
      batchSize: 5,
      chunkBytes: 1024,
      leaseSeconds: 120,
      onBatch: () => {
        throw new StallError();
      },
    });
    await expect(stalled).rejects.toBeInstanceOf(StallError);
    const midway = await database.db.selectFrom('exports').select(['rows_done', 'status']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(midway.status).toBe('running');
    expect(midway.rows_done).toBeGreaterThan(0);
    expect(midway.rows_done).toBeLessThan(expected.length);
    expect(await runExportRound(later, silent, SMALL)).toBe('done');
    // The stale worker's writes are fenced off by its attempt number.
    expect(await writeProgress(database.db, { exportId: first.id, attempt: 1 }, { chunks: [], rowsDone: 1, rowsTotal: 1, lockedUntil: TEST_NOW })).toBe(false);
    const done = await database.db.selectFrom('exports').select(['public_id', 'attempts', 'rows_done', 'status']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ attempts: 2, rows_done: expected.length, status: 'done' });
    const file = await sophie.get(`/agents/organisations/${ids.melun}/exports/${done.public_id}/fichier`);
    const rows = (await readWorkbook(file.rawPayload)).rows.map((row) => row.values[0]);
    expect(rows).toEqual(expected);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('asks for a reason first where the territory requires one, refuses an empty one (422) and keeps it in the journal', async () => {
    await database.db.updateTable('territories').set({ read_reason_required: true }).where('id', '=', ids.territory).execute();
    try {
      const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await sophie.get(`/agents/organisations/${ids.melun}/rdv`);
      const asked = await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'participations', ...WEEK });
      expect(asked.statusCode).toBe(200);
      expect(asked.body).toContain('Motif de l’export');
      expect(asked.body).toContain(`name="du" value="${WEEK.du}"`);
      const empty = await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'participations', ...WEEK, raison: '   ' });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('Indiquez le motif de cet export.');
      expect(empty.body).toContain('href="#raison"');
      const control = await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'participations', ...WEEK, raison: 'a\u0000b' });
      expect(control.statusCode).toBe(422);
      const tooLong = await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'participations', ...WEEK, raison: 'é'.repeat(501) });
      expect(tooLong.statusCode).toBe(422);
      expect(tooLong.body).toContain('500 caractères');
      const before = await database.db.selectFrom('exports').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
      const given = await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'participations', ...WEEK, raison: 'Bilan annuel du service' });
      expect(given.statusCode).toBe(303);
      const after = await database.db.selectFrom('exports').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
      expect(Number(after.count)).toBe(Number(before.count) + 1);
      const line = await sql<{ reason: string }>`SELECT reason FROM read_journal WHERE kind = 'export' AND details->>'step' = 'requested' ORDER BY id DESC LIMIT 1`.execute(database.db);
      expect(line.rows[0]?.reason).toBe('Bilan annuel du service');
      expect(await runExportRound(context, silent, SMALL)).toBe('done');
    } finally {
      await database.db.updateTable('territories').set({ read_reason_required: false }).where('id', '=', ids.territory).execute();
    }
  });

  it(`refuses a ${String(MAX_EXPORTS_IN_PROGRESS + 1)}th export in progress with a French 429`, async () => {
    const claire = await signInAgent(app, 'pmi.melun@demo.creneau.fr');
    for (let index = 0; index < MAX_EXPORTS_IN_PROGRESS; index += 1) {
      await claire.get(`/agents/organisations/${ids.melun}/rdv`);
      expect((await claire.post(`/agents/organisations/${ids.melun}/exports`, { type: 'rendez-vous', ...WEEK })).statusCode).toBe(303);
    }
    await claire.get(`/agents/organisations/${ids.melun}/rdv`);
    const refused = await claire.post(`/agents/organisations/${ids.melun}/exports`, { type: 'rendez-vous', ...WEEK });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Vous avez déjà 3 exports en cours de préparation');
    const inProgress = await database.db.selectFrom('exports').select('id').where('agent_id', '=', ids.claire).where('status', 'in', ['pending', 'running']).execute();
    expect(inProgress).toHaveLength(MAX_EXPORTS_IN_PROGRESS);
    for (let index = 0; index < MAX_EXPORTS_IN_PROGRESS; index += 1) expect(await runExportRound(context, silent, SMALL)).toBe('done');
    expect(await runExportRound(context, silent, SMALL)).toBe('idle');
  });

  it('refuses hostile input with a 4xx and writes nothing', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const before = await database.db.selectFrom('exports').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    const meauxMotif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', ids.meaux).executeTakeFirstOrThrow()).id;
    const meauxPlace = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', ids.meaux).executeTakeFirstOrThrow()).id;
    const cases: [Record<string, string>, number][] = [
      [{ type: 'tout' }, 400],
      [{ type: '' }, 400],
      [{ type: 'rendez-vous', du: '2026-02-30' }, 400],
      [{ type: 'rendez-vous', du: '25:61' }, 400],
      [{ type: 'rendez-vous', agent: '-1' }, 400],
      [{ type: 'rendez-vous', agent: '1'.repeat(10_000) }, 400],
      [{ type: 'rendez-vous', statut: 'supprime' }, 400],
      [{ type: 'rendez-vous', lieu: 'x\u0000' }, 400],
      [{ type: 'rendez-vous', raison: 'x'.repeat(10_001) }, 400],
      [{ type: 'rendez-vous', motif: String(meauxMotif) }, 404],
      [{ type: 'rendez-vous', lieu: String(meauxPlace) }, 404],
      [{ type: 'rendez-vous', agent: String(ids.claire + 100_000) }, 404],
    ];
    for (const [fields, status] of cases) {
      await sophie.get(`/agents/organisations/${ids.melun}/rdv`);
      const response = await sophie.post(`/agents/organisations/${ids.melun}/exports`, fields);
      expect(response.statusCode, JSON.stringify(fields).slice(0, 80)).toBe(status);
    }
    // A repeated field is not a form anyone typed: 400.
    await sophie.get(`/agents/organisations/${ids.melun}/rdv`);
    const repeated = await sophie.send('POST', `/agents/organisations/${ids.melun}/exports`, 'type=rendez-vous&type=participations', 'application/x-www-form-urlencoded');
    expect([400, 403]).toContain(repeated.statusCode);
    // Dates in the wrong order: back to the list, which says so (its own message).
    await sophie.get(`/agents/organisations/${ids.melun}/rdv`);
    const reversed = await sophie.post(`/agents/organisations/${ids.melun}/exports`, { type: 'rendez-vous', du: '2026-11-29', au: '2026-11-23' });
    expect(reversed.statusCode).toBe(303);
    const list = await sophie.get(reversed.headers.location ?? '');
    expect(list.statusCode).toBe(422);
    expect(list.body).toContain('La date de fin doit être le même jour que la date de début ou après.');
    // Without the CSRF token: refused.
    const forged = await app.inject({ method: 'POST', url: `/agents/organisations/${ids.melun}/exports`, payload: 'type=rendez-vous', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(forged.statusCode).toBeGreaterThanOrEqual(400);
    const after = await database.db.selectFrom('exports').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    expect(after.count).toBe(before.count);
  });

  it('neutralises a hostile usager name in the file: a text cell, never a formula', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const expected = await listIds(sophie, ids.melun, WEEK);
    const target = expected[0] ?? 0;
    const user = await sql<{ user_id: number }>`SELECT user_id FROM participations WHERE appointment_id = ${target} ORDER BY id LIMIT 1`.execute(database.db);
    const userId = user.rows[0]?.user_id ?? 0;
    const original = await database.db.selectFrom('users').select(['last_name', 'phone_number']).where('id', '=', userId).executeTakeFirstOrThrow();
    await database.db.updateTable('users').set({ last_name: '=HYPERLINK("http://evil.example","x")', phone_number: '+33612345678' }).where('id', '=', userId).execute();
    try {
      const { workbook } = await exportThroughList(sophie, ids.melun, 'participations', WEEK);
      const nameColumn = workbook.header.indexOf('Nom');
      const phoneColumn = workbook.header.indexOf('Téléphone');
      const row = workbook.rows.find((candidate) => candidate.values[nameColumn] === '\'=HYPERLINK("http://evil.example","x")');
      expect(row).toBeDefined();
      expect(row?.values[phoneColumn]).toBe("'+33612345678");
      expect(workbook.rows.some((candidate) => typeof candidate.values[nameColumn] === 'object' && candidate.values[nameColumn] !== null && 'formula' in candidate.values[nameColumn])).toBe(false);
    } finally {
      await database.db.updateTable('users').set(original).where('id', '=', userId).execute();
    }
  });

  it('fails the export, with a French message and no file, when its agent lost access to the organisation', async () => {
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    await nadia.get(`/agents/organisations/${ids.melun}/rdv`);
    expect((await nadia.post(`/agents/organisations/${ids.melun}/exports`, { type: 'rendez-vous', du: '' })).statusCode).toBe(303);
    const role = await database.db.selectFrom('agent_roles').selectAll().where('agent_id', '=', ids.nadia).where('organisation_id', '=', ids.melun).executeTakeFirstOrThrow();
    await database.db.deleteFrom('agent_roles').where('agent_id', '=', ids.nadia).where('organisation_id', '=', ids.melun).execute();
    try {
      expect(await runExportRound(context, silent, SMALL)).toBe('failed');
      const failed = await database.db.selectFrom('exports').select(['status', 'error']).where('agent_id', '=', ids.nadia).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(failed).toEqual({ status: 'failed', error: LOST_ACCESS_MESSAGE });
    } finally {
      await database.db.insertInto('agent_roles').values(role).execute();
    }
    const page = await nadia.get(`/agents/organisations/${ids.melun}/exports`);
    expect(page.body).toContain('Échec');
    expect(page.body).toContain('Vous n’avez plus accès à ces rendez-vous');
  });
});

class StallError extends Error {
  override name = 'StallError';
}

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp } from '../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';

const NOW = new Date('2026-11-24T09:00:00Z');
// The week of NOW (Tuesday 24 November 2026) in Paris: Monday 23 to Sunday 29, UTC+1.
const WEEK_FROM = '2026-11-22T23:00:00Z';
const WEEK_TO = '2026-11-29T23:00:00Z';

/** Fails when an id appears twice in a page (labels and aria-labelledby would point at the wrong element). */
function expectUniqueIds(html: string): void {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
}

describe('agenda pages', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const ids = { melun: 0, meaux: 0, reunion: 0, nadia: 0, claire: 0, sophie: 0, julien: 0, aicha: 0, melunPlace: 0, meauxPlace: 0, meauxMotif: 0 };

  async function agentId(firstName: string): Promise<number> {
    const row = await database.db.selectFrom('agents').select('id').where('first_name', '=', firstName).executeTakeFirstOrThrow();
    return row.id;
  }
  async function organisationId(slug: string): Promise<number> {
    return (await database.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  }
  /** Appointments of an agent overlapping [from, to), with their motif. */
  async function appointmentsOf(agent: number, from: string, to: string): Promise<{ id: number; motif: string; status: string }[]> {
    const result = await sql<{ id: number; motif: string; status: string }>`
      SELECT a.id, t.name AS motif, a.status FROM appointments a
        JOIN appointment_agents aa ON aa.appointment_id = a.id JOIN appointment_types t ON t.id = a.appointment_type_id
       WHERE aa.agent_id = ${agent} AND a.during && tstzrange(${from}::timestamptz, ${to}::timestamptz) ORDER BY lower(a.during)`.execute(database.db);
    return result.rows;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database, NOW);
    ids.melun = await organisationId('mds-melun');
    ids.meaux = await organisationId('mds-meaux');
    ids.reunion = await organisationId('solidarites-saint-denis-974');
    ids.nadia = await agentId('Nadia');
    ids.claire = await agentId('Claire');
    ids.sophie = await agentId('Sophie');
    ids.julien = await agentId('Julien');
    ids.aicha = await agentId('Aïcha');
    ids.melunPlace = (await database.db.selectFrom('places').select('id').where('name', '=', 'MDS de Melun').executeTakeFirstOrThrow()).id;
    ids.meauxPlace = (await database.db.selectFrom('places').select('id').where('name', '=', 'MDS de Meaux').executeTakeFirstOrThrow()).id;
    ids.meauxMotif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', ids.meaux).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('shows Nadia her own week by default: her appointments with motif, status and link, her openings and absences, in Paris time', async () => {
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    const page = await nadia.get(`/agents/organisations/${ids.melun}/agenda`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Mon agenda');
    expect(page.body).toContain('Semaine du lundi 23 novembre au dimanche 29 novembre 2026');
    expect(page.body).toContain('Horaires en heure de Paris');
    const appointments = await appointmentsOf(ids.nadia, WEEK_FROM, WEEK_TO);
    expect(appointments.length).toBeGreaterThan(0);
    for (const appointment of appointments) {
      expect(page.body).toContain(`href="/agents/organisations/${ids.melun}/rdv/${appointment.id}"`);
      expect(page.body).toContain(appointment.motif.replaceAll('’', '’'));
    }
    // Statuses as text: past ones are marked, later ones are to come.
    expect(page.body).toMatch(/Vu|Absent non excusé|Excusé/);
    expect(page.body).toContain('À venir');
    expect(page.body).toContain('Plage d’ouverture « Permanence du matin »');
    expect(page.body).toContain('Absence : Réunion d’équipe');
    expect(page.body).toContain(`/agents/organisations/${ids.melun}/agenda/motifs.css`);
    // No one else's agenda is offered to her: Claire (PMI) is not in the selector.
    expect(page.body).not.toContain(`value="${ids.claire}"`);
  });

  it('answers 404 when Nadia asks for a PMI colleague, an agent or a place of Meaux, or Meaux itself', async () => {
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    for (const url of [
      `/agents/organisations/${ids.melun}/agenda?agents=${ids.claire}`,
      `/agents/organisations/${ids.melun}/agenda?agents=${ids.nadia}&agents=${ids.claire}`,
      `/agents/organisations/${ids.melun}/agenda?agents=${ids.aicha}`,
      `/agents/organisations/${ids.melun}/agenda?agents=999999`,
      `/agents/organisations/${ids.melun}/agenda?lieu=${ids.meauxPlace}`,
      `/agents/organisations/${ids.meaux}/agenda`,
      `/agents/organisations/${ids.melun}/rdv?agent=${ids.claire}`,
      `/agents/organisations/${ids.melun}/rdv?motif=${ids.meauxMotif}`,
      `/agents/organisations/${ids.melun}/rdv?lieu=${ids.meauxPlace}`,
      `/agents/organisations/${ids.melun}/lieux/${ids.meauxPlace}/journee`,
      `/agents/organisations/${ids.meaux}/agenda/motifs.css`,
    ]) {
      expect((await nadia.get(url)).statusCode, url).toBe(404);
    }
  });

  it('shows Sophie (secretariat) several agents side by side for a day, intervenants included, and a week per agent', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const selector = await sophie.get(`/agents/organisations/${ids.melun}/agenda`);
    for (const id of [ids.nadia, ids.claire, ids.julien, ids.sophie]) expect(selector.body).toContain(`value="${id}"`);
    expect(selector.body).toContain('Julien Petit (intervenant)');

    const day = await sophie.get(`/agents/organisations/${ids.melun}/agenda?vue=jour&date=2026-11-23&agents=${ids.nadia}&agents=${ids.claire}`);
    expect(day.statusCode).toBe(200);
    expect(day.body).toContain('Agendas de 2 agents');
    expect(day.body).toMatch(/<h2 class="agenda-column__title"[^>]*>Nadia Benali<\/h2>/);
    expect(day.body).toMatch(/<h2 class="agenda-column__title"[^>]*>Claire Moreau<\/h2>/);
    const dayAppointments = [
      ...(await appointmentsOf(ids.nadia, '2026-11-22T23:00:00Z', '2026-11-23T23:00:00Z')),
      ...(await appointmentsOf(ids.claire, '2026-11-22T23:00:00Z', '2026-11-23T23:00:00Z')),
    ];
    for (const appointment of dayAppointments) expect(day.body).toContain(`/rdv/${appointment.id}"`);

    const week = await sophie.get(`/agents/organisations/${ids.melun}/agenda?vue=semaine&date=2026-11-25&agents=${ids.nadia}&agents=${ids.claire}`);
    expect(week.body).toMatch(/<h2 class="fr-h4" id="[^"]+">Nadia Benali<\/h2>/);
    expect(week.body).toMatch(/<h2 class="fr-h4" id="[^"]+">Claire Moreau<\/h2>/);
    expect(week.body.match(/<h3 class="agenda-column__title"/g)).toHaveLength(14);
    for (const page of [selector, day, week]) expectUniqueIds(page.body);
  });

  it('shows a place’s agenda, a month with counts linking to days, and the list view as a redirect', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const place = await sophie.get(`/agents/organisations/${ids.melun}/agenda?lieu=${ids.melunPlace}&vue=semaine&date=2026-11-23`);
    expect(place.statusCode).toBe(200);
    expect(place.body).toContain('Agenda du lieu MDS de Melun');
    expect(place.body).toContain(`/lieux/${ids.melunPlace}/journee?date=2026-11-23`);

    const month = await sophie.get(`/agents/organisations/${ids.melun}/agenda?vue=mois&date=2026-11-10&agents=${ids.nadia}`);
    expect(month.statusCode).toBe(200);
    expect(month.body).toContain('<caption>Rendez-vous de novembre 2026, par jour</caption>');
    const novemberActive = (await appointmentsOf(ids.nadia, '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z')).filter((a) => a.status !== 'excused' && a.status !== 'revoked');
    const shown = [...month.body.matchAll(/<p class="fr-text--sm fr-mb-0">(\d+) rendez-vous<\/p>/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(shown).toBe(novemberActive.length);
    expect(month.body).toContain(`agenda?vue=jour&amp;date=2026-11-23&amp;agents=${ids.nadia}`);
    for (const page of [place, month]) expectUniqueIds(page.body);

    const list = await sophie.get(`/agents/organisations/${ids.melun}/agenda?vue=liste&agents=${ids.nadia}&date=2026-11-23`);
    expect(list.statusCode).toBe(303);
    expect(list.headers.location).toBe(`/agents/organisations/${ids.melun}/rdv?agent=${ids.nadia}&du=2026-11-23`);
  });

  it('shows times in La Réunion’s zone for the 974 organisation', async () => {
    const admin = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
    const page = await admin.get(`/agents/organisations/${ids.reunion}/agenda`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Horaires en heure de La Réunion');
    expect(page.body).toContain('9h00 – 12h00');
  });

  it('answers 400 to malformed query values, never 500', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const many = Array.from({ length: 21 }, (_, index) => `agents=${index + 1}`).join('&');
    for (const query of ['vue=annee', 'date=2026-02-30', 'date=26-11-2026', 'date=9999-01-01', 'agents=abc', 'agents=0', 'agents=', many, 'lieu=abc', 'lieu=1&lieu=2', 'date=2026-11-23&date=2026-11-24']) {
      expect((await sophie.get(`/agents/organisations/${ids.melun}/agenda?${query}`)).statusCode, query).toBe(400);
    }
    for (const query of ['statut=perdu', 'du=2026-13-01', 'page=0', 'page=abc', 'agent=x', 'motif=1.5']) {
      expect((await sophie.get(`/agents/organisations/${ids.melun}/rdv?${query}`)).statusCode, query).toBe(400);
    }
    expect((await sophie.get(`/agents/organisations/${ids.melun}/lieux/abc/journee`)).statusCode).toBe(404);
    expect((await sophie.get(`/agents/organisations/${ids.melun}/lieux/${ids.melunPlace}/journee?date=2026-02-30`)).statusCode).toBe(400);
  });

  it('lists appointments with filters by status, motif and dates, 50 per page', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const base = `/agents/organisations/${ids.melun}/rdv`;
    const all = await sophie.get(`${base}?du=2026-09-01&au=2026-11-30`);
    expect(all.statusCode).toBe(200);
    const total = Number(/<p class="agenda-list-count">(\d+) rendez-vous/.exec(all.body)?.[1]);
    const expected = await sql<{ count: number }>`SELECT count(*)::int AS count FROM appointments WHERE organisation_id = ${ids.melun}
      AND lower(during) >= '2026-08-31T22:00:00Z' AND lower(during) < '2026-11-30T23:00:00Z'`.execute(database.db);
    expect(total).toBe(expected.rows[0]?.count);
    expect(total).toBeGreaterThan(50);
    expect(all.body.match(/<tr>\s*<th scope="row">/g)).toHaveLength(50);
    expect(all.body).toContain('page=2');
    expectUniqueIds(all.body);
    const second = await sophie.get(`${base}?du=2026-09-01&au=2026-11-30&page=2`);
    expect(second.body.match(/<tr>\s*<th scope="row">/g)?.length).toBe(Math.min(50, total - 50));

    const seen = await sophie.get(`${base}?statut=vu&du=2026-11-01&au=2026-11-23`);
    const seenCount = await sql<{ count: number }>`SELECT count(*)::int AS count FROM appointments WHERE organisation_id = ${ids.melun} AND status = 'seen'
      AND lower(during) >= '2026-10-31T23:00:00Z' AND lower(during) < '2026-11-23T23:00:00Z'`.execute(database.db);
    expect(Number(/<p class="agenda-list-count">(\d+) rendez-vous/.exec(seen.body)?.[1])).toBe(seenCount.rows[0]?.count);
    expect(seen.body).not.toContain('</span> À venir</td>');
    expect(seen.body).toContain('</span> Vu</td>');

    const motif = await database.db.selectFrom('appointment_types').select(['id', 'name']).where('organisation_id', '=', ids.melun).where('name', '=', 'Consultation de puériculture').executeTakeFirstOrThrow();
    const byMotif = await sophie.get(`${base}?motif=${motif.id}&du=`);
    expect(byMotif.statusCode).toBe(200);
    expect(byMotif.body).not.toContain('Premier rendez-vous avec une assistante sociale</td>');
    expect(byMotif.body).toContain('Consultation de puériculture</td>');

    const inverted = await sophie.get(`${base}?du=2026-11-30&au=2026-11-01`);
    expect(inverted.statusCode).toBe(422);
    expect(inverted.body).toContain('La date de fin doit être le même jour que la date de début ou après.');
  });

  it('counts the past appointments still “à renseigner” in the agent’s scope, with a link that lists them', async () => {
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    const countOnPage = (body: string): number => Number(/(\d+) rendez-vous passés? (?:est|sont) encore à renseigner/.exec(body)?.[1] ?? 0);
    // The appointment that began at 10:00 today (NOW) is already to fill in.
    const before = countOnPage((await nadia.get(`/agents/organisations/${ids.melun}/rdv`)).body);
    const past = await appointmentsOf(ids.nadia, '2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z');
    const toFill = past.filter((appointment) => appointment.status === 'seen').slice(0, 2).map((appointment) => appointment.id);
    expect(toFill).toHaveLength(2);
    await database.db.updateTable('appointments').set({ status: 'unknown', cancelled_at: null }).where('id', 'in', toFill).execute();
    await database.db.updateTable('participations').set({ status: 'unknown' }).where('appointment_id', 'in', toFill).execute();

    const list = await nadia.get(`/agents/organisations/${ids.melun}/rdv`);
    expect(countOnPage(list.body)).toBe(before + 2);
    const link = `/agents/organisations/${ids.melun}/rdv?statut=a-renseigner&amp;du=`;
    expect(list.body).toContain(link);
    const filtered = await nadia.get(link.replaceAll('&amp;', '&'));
    expect(filtered.body).toContain(`<p class="agenda-list-count">${before + 2} rendez-vous`);
    for (const id of toFill) expect(filtered.body).toContain(`/rdv/${id}"`);
    expect(filtered.body).toContain('À renseigner');

    // Aïcha (Meaux) sees none of Melun's.
    const aicha = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    const meauxList = (await aicha.get(`/agents/organisations/${ids.meaux}/rdv?statut=a-renseigner&du=`)).body;
    expect(meauxList).toContain('À renseigner');
    for (const id of toFill) expect(meauxList).not.toContain(`/rdv/${id}"`);
  });

  it('prints a place’s day: time, agents, participants, phone and motif', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const sheet = await sophie.get(`/agents/organisations/${ids.melun}/lieux/${ids.melunPlace}/journee?date=2026-11-23`);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['cache-control']).toBe('no-store');
    expect(sheet.body).toContain('Rendez-vous du lundi 23 novembre 2026');
    const rows = await sql<{ id: number; phone: string | null }>`
      SELECT a.id, u.phone_number AS phone FROM appointments a JOIN participations p ON p.appointment_id = a.id JOIN users u ON u.id = p.user_id
       WHERE a.place_id = ${ids.melunPlace} AND a.status NOT IN ('excused', 'revoked')
         AND lower(a.during) >= '2026-11-22T23:00:00Z' AND lower(a.during) < '2026-11-23T23:00:00Z'`.execute(database.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) expect(sheet.body).toContain(row.phone ?? 'non renseigné');
    expect(sheet.body).toContain('<th scope="col">Téléphone</th>');
  });

  it('serves the motifs’ colours as a private stylesheet', async () => {
    const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const motif = await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', ids.melun).executeTakeFirstOrThrow();
    await database.db.updateTable('appointment_types').set({ color: '#A0522D' }).where('id', '=', motif.id).execute();
    const css = await sophie.get(`/agents/organisations/${ids.melun}/agenda/motifs.css`);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toBe('private, max-age=300');
    expect(css.body).toContain(`.agenda-motif-${motif.id}{--agenda-motif-color:#a0522d}`);
  });
});

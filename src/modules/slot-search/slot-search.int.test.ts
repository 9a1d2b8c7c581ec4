import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp, TEST_NOW } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { addJointFixture, type JointFixture } from './slot-search.test-fixtures.js';

// TEST_NOW is Tuesday 24 November 2026, 10:00 in Paris (UTC+1).
const at = (iso: string): string => encodeURIComponent(iso);

/** The wizard links of a results page, as [agents, debut] pairs. */
function wizardLinks(html: string, organisationId: number): { agents: string; debut: string; lieu: string }[] {
  const prefix = `/agents/organisations/${String(organisationId)}/rdv/nouveau?`;
  return [...html.matchAll(/href="([^"]+)"/g)]
    .map((match) => (match[1] ?? '').replaceAll('&amp;', '&'))
    .filter((href) => href.startsWith(prefix))
    .map((href) => {
      const query = new URLSearchParams(href.slice(prefix.length));
      return { agents: query.get('agents') ?? '', debut: query.get('debut') ?? '', lieu: query.get('lieu') ?? '' };
    });
}

function startsOf(html: string, organisationId: number, agents: string): string[] {
  return [...new Set(wizardLinks(html, organisationId).filter((link) => link.agents === agents).map((link) => link.debut))].sort();
}

describe('agent slot search (Trouver un créneau)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let fixture: JointFixture;
  let sophie: InjectSession;
  let base: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    fixture = await addJointFixture(database.db);
    // Bruno is away on Thursday 26 November 10:00–11:00; Alice has an appointment on Friday 27 November 10:00–11:00.
    await database.db
      .insertInto('absences')
      .values({ agent_id: fixture.bruno, organisation_id: fixture.organisationId, title: 'Formation', first_day: '2026-11-26', start_time: '10:00', end_day: '2026-11-26', end_time: '11:00', last_day: '2026-11-26', time_zone: 'Europe/Paris', recurrence: null })
      .execute();
    const appointment = await database.db
      .insertInto('appointments')
      .values({ organisation_id: fixture.organisationId, appointment_type_id: fixture.motifId, place_id: fixture.melunPlace, during: '[2026-11-27T09:00:00Z,2026-11-27T10:00:00Z)', time_zone: 'Europe/Paris', created_by_type: 'agent' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('appointment_agents')
      .values({ appointment_id: appointment.id, agent_id: fixture.alice })
      .execute();
    app = await buildTestApp(database);
    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    base = `/agents/organisations/${String(fixture.organisationId)}/creneaux`;
    // Seeding the demo territory takes a while on a loaded 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('shows the form alone on a first visit, with the motifs, agents, teams and places the agent may use', async () => {
    const page = await sophie.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<h1 class="fr-h2">Trouver un créneau</h1>');
    expect(page.body).toContain('Entretien en binôme (60 min)');
    expect(page.body).toContain('Alice Binôme');
    expect(page.body).toContain('Équipe PMI Seine-et-Marne');
    expect(page.body).toContain('Antenne de Dammarie-lès-Lys');
    expect(page.body).toContain('value="2026-11-24"');
    expect(page.body).not.toContain('Prochaine disponibilité');
    // collective motifs are not searched here
    expect(page.body).not.toContain('Atelier massage bébé');
  });

  it('ignores the public booking notice but never offers the past: Alice this morning from 10:00', async () => {
    const page = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.alice)}`);
    expect(page.statusCode).toBe(200);
    const starts = startsOf(page.body, fixture.organisationId, String(fixture.alice));
    // 9:00 today has started (it is 10:00); the motif's two days of notice do not apply to agents.
    expect(starts.slice(0, 3)).toEqual(['2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z', '2026-11-25T08:00:00Z']);
    expect(starts).not.toContain('2026-11-24T08:00:00Z');
    // Friday 27 at 10:00 is taken by her appointment
    expect(starts).toContain('2026-11-27T08:00:00Z');
    expect(starts).not.toContain('2026-11-27T09:00:00Z');
    expect(page.body).toContain('Prochaine disponibilité par lieu');
    expect(page.body).toContain('MDS de Melun');
    expect(page.body).toContain(`/rdv/nouveau?motif=${String(fixture.motifId)}&amp;agents=${String(fixture.alice)}&amp;debut=2026-11-24T09%3A00%3A00Z`);
  });

  it('offers a joint slot only when both agents are there and free: absences, appointments, other places and holidays of either exclude it', async () => {
    const page = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.alice)}&binome=${String(fixture.bruno)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('avec Bruno Binôme en binôme');
    const pair = `${String(fixture.alice)},${String(fixture.bruno)}`;
    expect(startsOf(page.body, fixture.organisationId, pair)).toEqual([
      // Tuesday 24: Bruno 10:00–12:00 at Melun, it is 10:00 now
      '2026-11-24T09:00:00Z',
      '2026-11-24T10:00:00Z',
      // Wednesday 25: Bruno is at Dammarie, Alice at Melun: none. Thursday 26: Bruno away until 11:00
      '2026-11-26T10:00:00Z',
      // Friday 27: Alice's appointment 10:00–11:00. The page ends on Monday 30 (Bruno not there).
      '2026-11-27T10:00:00Z',
    ]);
    // no slot of Alice alone in a joint search
    expect(startsOf(page.body, fixture.organisationId, String(fixture.alice))).toEqual([]);
    // Christmas (Friday 25 December) closes the organisation: the week of 21 December has Tuesday and Thursday only
    const christmas = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.alice)}&binome=${String(fixture.bruno)}&du=2026-12-21`);
    expect(startsOf(christmas.body, fixture.organisationId, pair)).toEqual([
      '2026-12-22T09:00:00Z',
      '2026-12-22T10:00:00Z',
      '2026-12-24T09:00:00Z',
      '2026-12-24T10:00:00Z',
    ]);
    expect(christmas.body).toContain('Semaine précédente');
    expect(christmas.body).toContain(`du=2026-12-14`);
    expect(christmas.body).toContain(`du=2026-12-28`);
  });

  it('restricts to places and expands teams to their agents of the organisation', async () => {
    const dammarie = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.alice)}&lieux=${String(fixture.dammariePlace)}`);
    expect(dammarie.statusCode).toBe(200);
    expect(wizardLinks(dammarie.body, fixture.organisationId)).toEqual([]);
    expect(dammarie.body).toContain('Aucun créneau dans les six mois');
    const team = await database.db.insertInto('teams').values({ territory_id: (await database.db.selectFrom('organisations').select('territory_id').where('id', '=', fixture.organisationId).executeTakeFirstOrThrow()).territory_id, name: 'Équipe binôme' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('agent_teams').values({ agent_id: fixture.alice, team_id: team.id }).execute();
    const byTeam = await sophie.get(`${base}?motif=${String(fixture.motifId)}&equipes=${String(team.id)}`);
    expect(byTeam.statusCode).toBe(200);
    expect(startsOf(byTeam.body, fixture.organisationId, String(fixture.alice)).length).toBeGreaterThan(5);
  });

  it('answers 404 for motifs, agents, partners, teams and places the agent may not use or see', async () => {
    const meaux = (await database.db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', 'mds-meaux').executeTakeFirstOrThrow());
    const reunion = await database.db.selectFrom('organisations').select('territory_id').where('slug', '=', 'solidarites-saint-denis-974').executeTakeFirstOrThrow();
    const meauxPlace = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', meaux.id).executeTakeFirstOrThrow()).id;
    const meauxAgent = (await database.db.selectFrom('agent_roles').select('agent_id').where('organisation_id', '=', meaux.id).executeTakeFirstOrThrow()).agent_id;
    const meauxMotif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', meaux.id).executeTakeFirstOrThrow()).id;
    const reunionTeam = (await database.db.selectFrom('teams').select('id').where('territory_id', '=', reunion.territory_id).executeTakeFirstOrThrow()).id;
    const motif = `motif=${String(fixture.motifId)}`;
    for (const query of [`motif=${String(meauxMotif)}`, `${motif}&agents=${String(meauxAgent)}`, `${motif}&binome=${String(meauxAgent)}`, `${motif}&lieux=${String(meauxPlace)}`, `${motif}&equipes=${String(reunionTeam)}`, `motif=999999`]) {
      const response = await sophie.get(`${base}?${query}`);
      expect(response.statusCode, query).toBe(404);
      expect(response.body).not.toContain('Binôme');
    }
    expect((await sophie.get(`/agents/organisations/${String(meaux.id)}/creneaux`)).statusCode).toBe(404);
    // Nadia (Service social) sees Alice but not Bruno (PMI), and may not use the PMI motifs
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    expect((await nadia.get(`${base}?${motif}&agents=${String(fixture.alice)}`)).statusCode).toBe(200);
    expect((await nadia.get(`${base}?${motif}&binome=${String(fixture.bruno)}`)).statusCode).toBe(404);
    const pmiMotif = (await database.db.selectFrom('appointment_types').select('id').where('organisation_id', '=', fixture.organisationId).where('name', '=', 'Consultation de puériculture').executeTakeFirstOrThrow()).id;
    expect((await nadia.get(`${base}?motif=${String(pmiMotif)}`)).statusCode).toBe(404);
    const form = await nadia.get(base);
    expect(form.body).not.toContain('Bruno Binôme');
    expect(form.body).not.toContain('Consultation de puériculture');
    // signed out: to the sign-in page
    expect((await app.inject({ method: 'GET', url: base })).statusCode).toBe(303);
  });

  it('answers 422 in French for a missing motif, a past day or a partner who is the only agent, keeping the input', async () => {
    const missing = await sophie.get(`${base}?motif=&du=2026-11-30`);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choisissez un motif.');
    expect(missing.body).toContain('href="#motif"');
    expect(missing.body).toContain('value="2026-11-30"');
    const past = await sophie.get(`${base}?motif=${String(fixture.motifId)}&du=2026-11-23`);
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('on ne cherche pas de créneau dans le passé');
    const same = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.bruno)}&binome=${String(fixture.bruno)}`);
    expect(same.statusCode).toBe(422);
    expect(same.body).toContain('Choisissez un binôme différent');
    const far = await sophie.get(`${base}?motif=${String(fixture.motifId)}&du=2028-01-01`);
    expect(far.statusCode).toBe(422);
  });

  it('refuses hostile query strings with a 400, never a 500', async () => {
    const long = 'x'.repeat(10_000);
    const agents = Array.from({ length: 31 }, (_, index) => `agents=${String(index + 1)}`).join('&');
    for (const query of [
      'motif=abc',
      `motif=${long}`,
      'motif=1%00',
      'motif=1&motif=2',
      'binome=1&binome=2',
      'du=2026-02-30',
      'du=25%3A61',
      'du=%E2%9C%93',
      `du=${long}`,
      'agents=-1',
      'agents=1e3',
      'lieux=%0D%0A',
      'equipes=99999999999',
      agents,
    ]) {
      const response = await sophie.get(`${base}?${query}`);
      expect(response.statusCode, query.slice(0, 40)).toBe(400);
    }
  });

  it('links each joint slot to the creation wizard with both agents, which creates the appointment without an overlap warning', async () => {
    const page = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.alice)}&binome=${String(fixture.bruno)}&du=2026-12-01`);
    const link = wizardLinks(page.body, fixture.organisationId).find((candidate) => candidate.debut === '2026-12-01T09:00:00Z');
    expect(link?.agents).toBe(`${String(fixture.alice)},${String(fixture.bruno)}`);
    expect(link?.lieu).toBe(String(fixture.melunPlace));
    const opened = await sophie.get(`/agents/organisations/${String(fixture.organisationId)}/rdv/nouveau?motif=${String(fixture.motifId)}&agents=${link?.agents ?? ''}&debut=${at(link?.debut ?? '')}&lieu=${link?.lieu ?? ''}`);
    expect(opened.statusCode).toBe(303);
    const location = String(opened.headers.location);
    expect(location).toMatch(/\/participants$/);
    const wizard = location.slice(0, location.lastIndexOf('/'));
    const user = (await database.db.selectFrom('users').select('id').where('first_name', '=', 'Karim').executeTakeFirstOrThrow()).id;
    await sophie.get(`${wizard}/participants`);
    expect((await sophie.post(`${wizard}/participants`, { action: 'ajouter', usager: String(user) })).statusCode).toBe(303);
    await sophie.get(`${wizard}/participants`);
    expect((await sophie.post(`${wizard}/participants`, { action: 'continuer' })).headers.location).toBe(`${wizard}/details`);
    const details = await sophie.get(`${wizard}/details`);
    expect(details.body).toContain('value="2026-12-01"');
    expect(details.body).toContain('value="10:00"');
    for (const id of [fixture.alice, fixture.bruno]) expect(details.body).toMatch(new RegExp(`value="${String(id)}"[^>]*checked`));
    const saved = await sophie.post(`${wizard}/details`, { agents: `${String(fixture.alice)},${String(fixture.bruno)}`, date: '2026-12-01', heure: '10:00', duree: '60', lieu: String(fixture.melunPlace), adresse: '', contexte: '' });
    expect(saved.headers.location).toBe(`${wizard}/confirmation`);
    const review = await sophie.get(`${wizard}/confirmation`);
    const warnings = [...review.body.matchAll(/name="avertissements" value="([^"]+)"/g)].map((match) => match[1] ?? '');
    // Both are free: no overlap, no absence; Bruno's opening is for another motif, beside Alice
    // who is open for this one: he is at work, not outside opening hours (ADR 0023).
    expect(warnings).toEqual([]);
    expect(details.body).toMatch(new RegExp(`id="lieu-${String(fixture.melunPlace)}" name="lieu" value="${String(fixture.melunPlace)}" checked`));
    const key = /name="cle" value="([^"]+)"/.exec(review.body)?.[1] ?? '';
    const done = await sophie.post(`${wizard}/confirmation`, warnings.length === 0 ? { cle: key } : { cle: key, avertissements: warnings[0] ?? '' });
    expect(done.statusCode).toBe(303);
    const appointmentId = Number(String(done.headers.location).split('/').pop());
    const agents = await database.db.selectFrom('appointment_agents').select(['agent_id', 'overlap_allowed']).where('appointment_id', '=', appointmentId).orderBy('agent_id').execute();
    expect(agents).toEqual([
      { agent_id: fixture.alice, overlap_allowed: false },
      { agent_id: fixture.bruno, overlap_allowed: false },
    ].sort((a, b) => a.agent_id - b.agent_id));
    // the slot is gone from the next search, for the pair and for Alice alone
    const after = await sophie.get(`${base}?motif=${String(fixture.motifId)}&agents=${String(fixture.alice)}&binome=${String(fixture.bruno)}&du=2026-12-01`);
    expect(startsOf(after.body, fixture.organisationId, `${String(fixture.alice)},${String(fixture.bruno)}`)).not.toContain('2026-12-01T09:00:00Z');
  });
});

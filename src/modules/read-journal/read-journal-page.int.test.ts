import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { TEST_NOW, buildTestApp } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { recordRead } from './index.js';

const HOUR_MS = 3_600_000;

describe('the read journal page (issue 10 §2)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let sophie: InjectSession;
  let nadia: InjectSession;
  let reunionAdmin: InjectSession;
  let meauxAdmin: InjectSession;
  const ids = { melun: 0, meaux: 0, reunion: 0, territory77: 0, territory974: 0, sophie: 0, nadia: 0, reunionAgent: 0, elodie: 0, karim: 0, reunionUser: 0 };

  const journal = (organisationId: number, query = '') => `/agents/organisations/${String(organisationId)}/journal-des-consultations${query === '' ? '' : `?${query}`}`;
  const rowsOf = (html: string) => [...html.matchAll(/<tr>\s*<td>/g)].length;

  beforeAll(async () => {
    database = await openTestDatabase();
    const db = database.db;
    await seedDemoTerritory(db, TEST_NOW);
    app = await buildTestApp(database, TEST_NOW);
    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    reunionAdmin = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
    meauxAdmin = await signInAgent(app, 'admin.meaux@demo.creneau.fr');
    const organisation = (slug: string) => db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    const agent = async (email: string) => (await db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const melun = await organisation('mds-melun');
    const reunion = await organisation('solidarites-saint-denis-974');
    ids.melun = melun.id;
    ids.territory77 = melun.territory_id;
    ids.meaux = (await organisation('mds-meaux')).id;
    ids.reunion = reunion.id;
    ids.territory974 = reunion.territory_id;
    ids.sophie = await agent(DEMO_AGENT_EMAILS.melunAdmin);
    ids.nadia = await agent(DEMO_AGENT_EMAILS.melunBasic);
    ids.reunionAgent = await agent(DEMO_AGENT_EMAILS.reunionAdmin);
    ids.elodie = (await db.selectFrom('users').select('id').where('first_name', '=', 'Élodie').executeTakeFirstOrThrow()).id;
    ids.karim = (await db.selectFrom('users').select('id').where('first_name', '=', 'Karim').executeTakeFirstOrThrow()).id;
    const reunionUser = await db.insertInto('users').values({ first_name: 'Mickaël', last_name: 'Grondin', created_through: 'agent' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('user_profiles').values({ user_id: reunionUser.id, organisation_id: reunion.id }).execute();
    ids.reunionUser = reunionUser.id;
    // 120 readings of Karim by Nadia, spread over the last five days; then Sophie's of Élodie and of a usager of La Réunion.
    for (let index = 0; index < 120; index += 1) {
      await recordRead(db, { territoryId: ids.territory77, organisationId: ids.melun, agentId: ids.nadia, kind: 'user_search', userIds: [ids.karim], details: { results: 1 } }, new Date(TEST_NOW.getTime() - (index + 1) * HOUR_MS));
    }
    await recordRead(db, { territoryId: ids.territory77, organisationId: ids.melun, agentId: ids.sophie, kind: 'user_view', userIds: [ids.elodie, ids.reunionUser], reason: 'Appel de la CAF' }, new Date(TEST_NOW.getTime() - 30 * 60_000));
    await recordRead(db, { territoryId: ids.territory974, organisationId: ids.reunion, agentId: ids.reunionAgent, kind: 'export', userIds: [ids.reunionUser], details: { exportId: 7 } }, new Date(TEST_NOW.getTime() - 10 * 60_000));
  }, 90_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('shows the territory’s readings to its territorial admin, newest first, 50 a page, names only where they may see the usager', async () => {
    const first = await sophie.get(journal(ids.melun));
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toContain('aria-current="page">Journal des consultations');
    expect(rowsOf(first.body)).toBe(50);
    const newest = first.body.indexOf('Appel de la CAF');
    expect(newest).toBeGreaterThan(0);
    expect(newest).toBeLessThan(first.body.indexOf('Recherche (1 résultat)'));
    expect(first.body).toContain(`<a href="/agents/organisations/${String(ids.melun)}/usagers/${String(ids.elodie)}">Élodie Lefèvre (n° ${String(ids.elodie)})</a>`);
    // A usager of La Réunion: outside Sophie's scope, shown by number only.
    expect(first.body).toContain(`Usager n° ${String(ids.reunionUser)}`);
    expect(first.body).not.toContain('Grondin');
    // Not La Réunion's journal.
    expect(first.body).not.toContain('<td>Export</td>');
    expect(first.body).toContain('journal-des-consultations?page=2');
    const third = await sophie.get(journal(ids.melun, 'page=3'));
    expect(rowsOf(third.body)).toBe(21);
    expect(third.body).not.toContain('Page suivante');
    expect(third.body).toContain('journal-des-consultations?page=2');
  });

  it('filters by agent, by usager (with or without « n° ») and by days of the organisation’s zone', async () => {
    const bySophie = await sophie.get(journal(ids.melun, `agent=${String(ids.sophie)}`));
    expect(rowsOf(bySophie.body)).toBe(1);
    expect(bySophie.body).toContain(`<option value="${String(ids.sophie)}" selected>`);
    const byKarim = await sophie.get(journal(ids.melun, `usager=${encodeURIComponent(`n° ${String(ids.karim)}`)}&page=3`));
    expect(rowsOf(byKarim.body)).toBe(20);
    const byReunionUser = await sophie.get(journal(ids.melun, `usager=${String(ids.reunionUser)}`));
    expect(rowsOf(byReunionUser.body)).toBe(1);
    // TEST_NOW is 10:00 in Paris on 24 November: Nadia's 10 readings that day and Sophie's one, 24 the day before.
    const today = await sophie.get(journal(ids.melun, 'du=2026-11-24&au=2026-11-24'));
    expect(rowsOf(today.body)).toBe(11);
    const yesterday = await sophie.get(journal(ids.melun, `du=2026-11-23&au=2026-11-23&agent=${String(ids.nadia)}`));
    expect(rowsOf(yesterday.body)).toBe(24);
    const none = await sophie.get(journal(ids.melun, 'du=2026-10-01&au=2026-10-02'));
    expect(none.body).toContain('Aucune consultation ne correspond.');
  });

  it('answers 422 with French messages for malformed filters, and 404 for an agent of another territory', async () => {
    const wrong = await sophie.get(journal(ids.melun, 'du=2026-02-30&au=2026-01-01&usager=abc&page=0'));
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('<a href="#du">La date de début est une date au format jj/mm/aaaa.</a>');
    expect(wrong.body).toContain('<a href="#usager">Le numéro d’usager est un nombre entier, par exemple 1234.</a>');
    expect(wrong.body).toContain('value="abc"');
    expect((await sophie.get(journal(ids.melun, `agent=${String(ids.reunionAgent)}`))).statusCode).toBe(404);
    expect((await sophie.get(journal(ids.melun, 'agent=999999'))).statusCode).toBe(404);
  });

  it('is a 404 for a basic agent, an organisation admin who does not administer the territory, and another territory’s admin', async () => {
    expect((await nadia.get(journal(ids.melun))).statusCode).toBe(404);
    expect((await meauxAdmin.get(journal(ids.meaux))).statusCode).toBe(404);
    expect((await reunionAdmin.get(journal(ids.melun))).statusCode).toBe(404);
    expect((await sophie.get(journal(ids.reunion))).statusCode).toBe(404);
    const page = await nadia.get(`/agents/organisations/${String(ids.melun)}/agenda`);
    expect(page.body).not.toContain('journal-des-consultations');
    const own = await reunionAdmin.get(journal(ids.reunion));
    expect(own.statusCode).toBe(200);
    expect(rowsOf(own.body)).toBe(1);
    expect(own.body).toContain('<td>Export</td>');
    expect(own.body).toContain('Mickaël Grondin');
  });

  it('does not journal its own reading', async () => {
    const count = async () => Number((await database.db.selectFrom('read_journal').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await sophie.get(journal(ids.melun));
    await sophie.get(journal(ids.melun, `usager=${String(ids.karim)}`));
    expect(await count()).toBe(before);
  });

  it('answers hostile filters with 4xx or the page, never 500', async () => {
    const hostile = ['\u0000', '\r\nSet-Cookie: pris=1', '✓', '😀', 'é'.repeat(300), 'x'.repeat(10_000), '   ', '-1', '9'.repeat(30), '2026-02-30', '<script>alert(1)</script>'];
    const answers: string[] = [];
    for (const field of ['agent', 'usager', 'du', 'au', 'page']) {
      for (const value of hostile) {
        const response = await sophie.get(journal(ids.melun, new URLSearchParams({ [field]: value }).toString()));
        answers.push(`${field}=${value.slice(0, 20)} → ${String(response.statusCode)}`);
        expect(response.body).not.toContain('<script>alert(1)</script>');
      }
      const repeated = await sophie.get(journal(ids.melun, `${field}=1&${field}=2`));
      answers.push(`${field} twice → ${String(repeated.statusCode)}`);
    }
    expect(answers.filter((answer) => /→ 5\d\d$/.test(answer))).toEqual([]);
    // Blank values are « any »; every other one is refused (422 with the form's messages, 400 beyond 200 characters or repeated).
    expect(answers.filter((answer) => answer.endsWith('→ 200'))).toEqual(['agent=    → 200', 'usager=    → 200', 'du=    → 200', 'au=    → 200', 'page=    → 200']);
  });
});

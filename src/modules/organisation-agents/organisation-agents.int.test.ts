import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { createTestContext, TEST_NOW } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { accountMailQueueOf } from '../notifications/index.js';

const MEAUX_ADMIN = 'admin.meaux@demo.creneau.fr';

describe('agents administration and teams (organisation-agents)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let settleMail: () => Promise<void>;
  let sophie: InjectSession;
  let nadia: InjectSession;
  let meauxAdmin: InjectSession;
  let reunionAdmin: InjectSession;
  const orgs = new Map<string, number>();
  const services = new Map<string, number>();
  const org = (slug: string): number => orgs.get(slug) ?? 0;
  const service = (shortName: string): number => services.get(shortName) ?? 0;
  let melun = 0;
  let melunAgents = '';

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    const context = createTestContext(database);
    settleMail = () => accountMailQueueOf(context, console).drain();
    app = await buildApp(context);
    await app.ready();
    for (const row of await database.db.selectFrom('organisations').select(['id', 'slug']).execute()) orgs.set(row.slug, row.id);
    for (const row of await database.db.selectFrom('services').select(['id', 'short_name']).execute()) services.set(row.short_name, row.id);
    melun = org('mds-melun');
    melunAgents = `/agents/organisations/${String(melun)}/agents`;
    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    meauxAdmin = await signInAgent(app, MEAUX_ADMIN);
    reunionAdmin = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
  }, 300_000);
  beforeEach(async () => {
    await database.db.deleteFrom('rate_limit_hits').execute();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  async function agentIdOf(email: string): Promise<number> {
    const row = await database.db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return row.id;
  }

  /** POSTs a form whose fields may repeat (services), with the CSRF token of the session's last page. */
  const lastTokens = new WeakMap<InjectSession, string>();
  async function postForm(session: InjectSession, url: string, pairs: readonly [string, string][]): Promise<LightMyRequestResponse> {
    // The token of the last page that had one (a 400 answer has no form).
    const token = /name="_csrf" value="([^"]+)"/.exec(session.lastBody)?.[1] ?? lastTokens.get(session) ?? '';
    lastTokens.set(session, token);
    const body = new URLSearchParams([['_csrf', token], ...pairs]);
    return session.send('POST', url, body.toString(), 'application/x-www-form-urlencoded');
  }

  async function auditEvents(subjectType: string, subjectId: number): Promise<string[]> {
    const rows = await database.db.selectFrom('audit_log').select('details').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('id').execute();
    return rows.map((row) => String((row.details as { event?: unknown }).event));
  }

  /** A basic agent of Melun who can sign in with the demo password (copied from Nadia's hash). */
  async function newSignedInAgent(email: string, withRoleIn: readonly number[] = [melun]): Promise<number> {
    const hash = await database.db.selectFrom('agents').select('password_hash').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow();
    const agent = await database.db
      .insertInto('agents')
      .values({ first_name: 'Test', last_name: 'Retrait', email, password_hash: hash.password_hash, invitation_accepted_at: TEST_NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const organisationId of withRoleIn) await database.db.insertInto('agent_roles').values({ agent_id: agent.id, organisation_id: organisationId, access_level: 'basic' }).execute();
    await database.db.insertInto('agent_services').values({ agent_id: agent.id, service_id: service('Service social') }).execute();
    return agent.id;
  }

  describe('who may reach the pages', () => {
    it('answers 404 to basic agents, to admins of another organisation or territory, and for agents of another organisation', async () => {
      const nadiaId = await agentIdOf(DEMO_AGENT_EMAILS.melunBasic);
      const meauxAgent = await agentIdOf(DEMO_AGENT_EMAILS.meauxBasic);
      const reunionTeam = await database.db.selectFrom('teams').innerJoin('territories', 'territories.id', 'teams.territory_id').select('teams.id').where('departement_number', '=', '974').executeTakeFirstOrThrow();
      const answers: string[] = [];
      const check = async (who: string, session: InjectSession, url: string) => answers.push(`${who} ${url} → ${String((await session.get(url)).statusCode)}`);
      for (const path of ['/nouvel-intervenant', `/${String(nadiaId)}`, `/${String(nadiaId)}/retrait`, '/equipes']) {
        await check('nadia', nadia, `${melunAgents}${path}`);
        await check('meaux admin', meauxAdmin, `${melunAgents}${path}`);
        await check('réunion admin', reunionAdmin, `${melunAgents}${path}`);
      }
      await check('sophie (agent of Meaux)', sophie, `${melunAgents}/${String(meauxAgent)}`);
      await check('sophie (agent of Meaux)', sophie, `${melunAgents}/${String(meauxAgent)}/retrait`);
      await check('sophie (team of La Réunion)', sophie, `${melunAgents}/equipes/${String(reunionTeam.id)}`);
      expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);

      // POSTs too, with a valid CSRF token: the id of another organisation's agent changes nothing.
      await sophie.get(`${melunAgents}/${String(nadiaId)}`);
      expect((await postForm(sophie, `${melunAgents}/${String(meauxAgent)}/retrait`, [])).statusCode).toBe(404);
      await sophie.get(`${melunAgents}/${String(nadiaId)}`);
      expect((await postForm(sophie, `${melunAgents}/${String(meauxAgent)}/modifier`, [['niveau', 'basic'], ['services', String(service('PMI'))]])).statusCode).toBe(404);
      await nadia.get('/agents/compte');
      expect((await postForm(nadia, `${melunAgents}/${String(nadiaId)}/modifier`, [['niveau', 'admin'], ['services', String(service('Service social'))]])).statusCode).toBe(404);
      const level = await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', nadiaId).where('organisation_id', '=', melun).executeTakeFirstOrThrow();
      expect(level.access_level).toBe('basic');
    });

    it('links the list to the agent pages, the intervenant form and the teams', async () => {
      const list = await sophie.get(melunAgents);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(`href="${melunAgents}/nouvel-intervenant"`);
      expect(list.body).toContain(`href="${melunAgents}/equipes"`);
      expect(list.body).toContain(`href="${melunAgents}/${String(await agentIdOf(DEMO_AGENT_EMAILS.melunBasic))}"`);
    });
  });

  describe('intervenants', () => {
    it('refuses an empty or hostile form with French messages and keeps the input (422), malformed requests get 400', async () => {
      await sophie.get(`${melunAgents}/nouvel-intervenant`);
      const empty = await postForm(sophie, `${melunAgents}/nouvel-intervenant`, [['prenom', ''], ['nom', 'Petit']]);
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('Saisissez le prénom de l’intervenant.');
      expect(empty.body).toContain('Choisissez au moins un service.');
      expect(empty.body).toContain('value="Petit"');
      const control = await postForm(sophie, `${melunAgents}/nouvel-intervenant`, [['prenom', 'Jean\u0000'], ['nom', 'Petit'], ['services', String(service('RSA'))]]);
      expect(control.statusCode).toBe(422);
      expect(control.body).toContain('Le prénom ne peut contenir que des lettres');
      expect((await postForm(sophie, `${melunAgents}/nouvel-intervenant`, [['prenom', 'x'.repeat(10_001)], ['nom', 'Petit'], ['services', String(service('RSA'))]])).statusCode).toBe(400);
      expect((await postForm(sophie, `${melunAgents}/nouvel-intervenant`, [['prenom', 'Jean'], ['nom', 'Petit'], ['services', 'abc']])).statusCode).toBe(400);
      const foreignService = await postForm(sophie, `${melunAgents}/nouvel-intervenant`, [['prenom', 'Jean'], ['nom', 'Petit'], ['services', '999999']]);
      expect(foreignService.statusCode).toBe(422);
      expect(foreignService.body).toContain('Choisissez les services dans la liste.');
    });

    it('creates an intervenant without address nor sign-in, with services, audited', async () => {
      await sophie.get(`${melunAgents}/nouvel-intervenant`);
      const created = await postForm(sophie, `${melunAgents}/nouvel-intervenant`, [
        ['prenom', 'Marc'],
        ['nom', 'Intervenant'],
        ['services', String(service('RSA'))],
        ['services', String(service('PMI'))],
      ]);
      expect(created.statusCode).toBe(303);
      const agent = await database.db.selectFrom('agents').selectAll().where('last_name', '=', 'Intervenant').executeTakeFirstOrThrow();
      expect(created.headers.location).toBe(`${melunAgents}/${String(agent.id)}?info=cree`);
      expect(agent.email).toBeNull();
      expect(agent.password_hash).toBeNull();
      expect(agent.notification_level).toBe('none');
      const role = await database.db.selectFrom('agent_roles').selectAll().where('agent_id', '=', agent.id).execute();
      expect(role).toEqual([{ agent_id: agent.id, organisation_id: melun, access_level: 'intervenant' }]);
      const agentServices = await database.db.selectFrom('agent_services').select('service_id').where('agent_id', '=', agent.id).orderBy('service_id').execute();
      expect(agentServices.map((row) => row.service_id)).toEqual([service('RSA'), service('PMI')].sort((a, b) => a - b));
      expect(await auditEvents('agent', agent.id)).toEqual(['intervenant_created']);
      const page = await sophie.get(created.headers.location ?? '');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('L’intervenant a été créé.');
      expect(page.body).toContain('Sans compte (intervenant)');
    });
  });

  describe('an agent’s access and services', () => {
    it('changes a service; the agent’s services of other territories stay', async () => {
      const claire = await agentIdOf('pmi.melun@demo.creneau.fr');
      await sophie.get(`${melunAgents}/${String(claire)}`);
      const saved = await postForm(sophie, `${melunAgents}/${String(claire)}/modifier`, [['niveau', 'basic'], ['services', String(service('PMI'))], ['services', String(service('Service social'))]]);
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`${melunAgents}/${String(claire)}?info=enregistre`);
      const rows = await database.db.selectFrom('agent_services').select('service_id').where('agent_id', '=', claire).orderBy('service_id').execute();
      expect(rows.map((row) => row.service_id)).toEqual([service('PMI'), service('Service social')].sort((a, b) => a - b));
      expect(await auditEvents('agent', claire)).toContain('access_changed');
    });

    it('refuses demoting the last admin, in French, keeping the input', async () => {
      const sophieId = await agentIdOf(DEMO_AGENT_EMAILS.melunAdmin);
      const admins = await database.db.selectFrom('agent_roles').select('agent_id').where('organisation_id', '=', melun).where('access_level', '=', 'admin').execute();
      expect(admins.map((row) => row.agent_id)).toEqual([sophieId]);
      await sophie.get(`${melunAgents}/${String(sophieId)}`);
      const refused = await postForm(sophie, `${melunAgents}/${String(sophieId)}/modifier`, [['niveau', 'basic'], ['services', String(service('Secrétariat'))]]);
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Cet agent est le dernier administrateur de l’organisation : nommez d’abord un autre administrateur.');
      expect(refused.body).toMatch(/id="niveau-basic"[^>]*checked/);
      const removal = await sophie.get(`${melunAgents}/${String(sophieId)}/retrait`);
      expect(removal.body).toContain('dernier administrateur');
      expect(removal.body).not.toContain('<button class="fr-btn" type="submit">Retirer de l’organisation');
      expect((await postForm(sophie, `${melunAgents}/${String(sophieId)}/retrait`, [])).statusCode).toBe(409);
      const role = await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', sophieId).where('organisation_id', '=', melun).executeTakeFirstOrThrow();
      expect(role.access_level).toBe('admin');
    });

    it('refuses making an agent with an account an intervenant, and unknown levels', async () => {
      const claire = await agentIdOf('pmi.melun@demo.creneau.fr');
      await sophie.get(`${melunAgents}/${String(claire)}`);
      const refused = await postForm(sophie, `${melunAgents}/${String(claire)}/modifier`, [['niveau', 'intervenant'], ['services', String(service('PMI'))]]);
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('un agent qui a un compte ne peut pas devenir intervenant');
      expect((await postForm(sophie, `${melunAgents}/${String(claire)}/modifier`, [['niveau', 'x'.repeat(41)], ['services', String(service('PMI'))]])).statusCode).toBe(400);
    });

    it('gives an intervenant access through an invitation: the address is required, unique, then set and e-mailed', async () => {
      const julien = await database.db.selectFrom('agents').select('id').where('first_name', '=', 'Julien').where('last_name', '=', 'Petit').executeTakeFirstOrThrow();
      const path = `${melunAgents}/${String(julien.id)}`;
      await sophie.get(path);
      const missing = await postForm(sophie, `${path}/modifier`, [['niveau', 'basic'], ['services', String(service('RSA'))], ['email', '']]);
      expect(missing.statusCode).toBe(422);
      expect(missing.body).toContain('Pour donner accès à Créneau à un intervenant, saisissez son adresse e-mail professionnelle');
      const taken = await postForm(sophie, `${path}/modifier`, [['niveau', 'basic'], ['services', String(service('RSA'))], ['email', DEMO_AGENT_EMAILS.meauxBasic.toUpperCase()]]);
      expect(taken.statusCode).toBe(422);
      expect(taken.body).toContain('Cette adresse est déjà celle d’un autre compte agent');
      expect(taken.body).toContain(`value="${DEMO_AGENT_EMAILS.meauxBasic.toUpperCase()}"`);
      const given = await postForm(sophie, `${path}/modifier`, [['niveau', 'basic'], ['services', String(service('RSA'))], ['email', 'julien.petit@demo.creneau.fr']]);
      expect(given.statusCode).toBe(303);
      expect(given.headers.location).toBe(`${path}?info=invitation`);
      const row = await database.db.selectFrom('agents').select(['email', 'password_hash']).where('id', '=', julien.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ email: 'julien.petit@demo.creneau.fr', password_hash: null });
      const role = await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', julien.id).where('organisation_id', '=', melun).executeTakeFirstOrThrow();
      expect(role.access_level).toBe('basic');
      const tokens = await database.db.selectFrom('agent_tokens').select(['id', 'revoked_at']).where('agent_id', '=', julien.id).where('purpose', '=', 'invitation').execute();
      expect(tokens).toHaveLength(1);
      await settleMail();
      const mails = await database.db.selectFrom('dev_outbox_emails').select('subject').where('recipient', '=', 'julien.petit@demo.creneau.fr').execute();
      expect(mails).toHaveLength(1);
      expect(await auditEvents('agent', julien.id)).toEqual(['access_changed', 'invitation']);

      // Re-send: a new link, the earlier one revoked, a second e-mail, audited.
      const page = await sophie.get(path);
      expect(page.body).toContain('Renvoyer l’invitation');
      const resent = await postForm(sophie, `${path}/invitation`, []);
      expect(resent.statusCode).toBe(303);
      expect(resent.headers.location).toBe(`${path}?info=renvoyee`);
      const after = await database.db.selectFrom('agent_tokens').select(['id', 'revoked_at']).where('agent_id', '=', julien.id).where('purpose', '=', 'invitation').orderBy('id').execute();
      expect(after).toHaveLength(2);
      expect(after[0]?.revoked_at).not.toBeNull();
      expect(after[1]?.revoked_at).toBeNull();
      await settleMail();
      expect(await database.db.selectFrom('dev_outbox_emails').select('subject').where('recipient', '=', 'julien.petit@demo.creneau.fr').execute()).toHaveLength(2);
      expect(await auditEvents('agent', julien.id)).toEqual(['access_changed', 'invitation', 'invitation_resent']);
    });
  });

  describe('removal from the organisation', () => {
    it('is refused while the agent has future appointments here, which are listed with links to reassign or cancel them', async () => {
      const nadiaId = await agentIdOf(DEMO_AGENT_EMAILS.melunBasic);
      const future = await sql<{ id: number }>`SELECT a.id FROM appointments a JOIN appointment_agents aa ON aa.appointment_id = a.id
        WHERE aa.agent_id = ${nadiaId} AND a.organisation_id = ${melun} AND a.cancelled_at IS NULL AND upper(a.during) > ${TEST_NOW} ORDER BY lower(a.during), a.id`.execute(database.db);
      expect(future.rows.length).toBeGreaterThan(0);
      const page = await sophie.get(`${melunAgents}/${String(nadiaId)}/retrait`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('empêche');
      for (const row of future.rows) expect(page.body).toContain(`href="/agents/organisations/${String(melun)}/rdv/${String(row.id)}"`);
      const refused = await postForm(sophie, `${melunAgents}/${String(nadiaId)}/retrait`, []);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('L’agent a des rendez-vous à venir dans l’organisation');
      expect(await database.db.selectFrom('agent_roles').select('agent_id').where('agent_id', '=', nadiaId).where('organisation_id', '=', melun).executeTakeFirst()).toBeDefined();
    });

    it('removes an agent with other organisations: role, opening periods and absences here go, the account stays', async () => {
      const agentId = await newSignedInAgent('deux.organisations@demo.creneau.fr', [melun, org('mds-meaux')]);
      const place = await database.db.selectFrom('places').select('id').where('organisation_id', '=', melun).executeTakeFirstOrThrow();
      await database.db
        .insertInto('opening_periods')
        .values({ organisation_id: melun, agent_id: agentId, place_id: place.id, title: 'Permanence', first_day: '2026-12-01', last_day: null, start_time: '09:00', end_time: '12:00', recurrence: 'FREQ=WEEKLY;BYDAY=TU' })
        .execute();
      await database.db
        .insertInto('absences')
        .values({ agent_id: agentId, organisation_id: melun, title: 'Formation', first_day: '2026-12-03', start_time: '09:00', end_day: '2026-12-03', end_time: '12:00', last_day: '2026-12-03', recurrence: null })
        .execute();
      const team = await database.db.selectFrom('teams').select('id').where('name', '=', 'Équipe PMI Seine-et-Marne').executeTakeFirstOrThrow();
      await database.db.insertInto('agent_teams').values({ agent_id: agentId, team_id: team.id }).execute();
      const page = await sophie.get(`${melunAgents}/${String(agentId)}/retrait`);
      expect(page.body).toContain('il garde son accès à ses autres organisations');
      const removed = await postForm(sophie, `${melunAgents}/${String(agentId)}/retrait`, []);
      expect(removed.statusCode).toBe(303);
      expect(removed.headers.location).toBe(`${melunAgents}?retrait=retire`);
      expect(await database.db.selectFrom('agent_roles').select('organisation_id').where('agent_id', '=', agentId).execute()).toEqual([{ organisation_id: org('mds-meaux') }]);
      expect(await database.db.selectFrom('opening_periods').select('id').where('agent_id', '=', agentId).execute()).toEqual([]);
      expect(await database.db.selectFrom('absences').select('id').where('agent_id', '=', agentId).execute()).toEqual([]);
      // Still in the territory (Meaux): the team membership stays.
      expect(await database.db.selectFrom('agent_teams').select('team_id').where('agent_id', '=', agentId).execute()).toHaveLength(1);
      const agent = await database.db.selectFrom('agents').select(['deleted_at']).where('id', '=', agentId).executeTakeFirstOrThrow();
      expect(agent.deleted_at).toBeNull();
      expect(await auditEvents('agent', agentId)).toEqual(['removed_from_organisation']);
      expect((await sophie.get(removed.headers.location ?? '')).body).toContain('L’agent a été retiré de l’organisation.');
      expect((await sophie.get(`${melunAgents}/${String(agentId)}`)).statusCode).toBe(404);
    });

    it('deactivates an agent without another organisation: their next request is signed out', async () => {
      const agentId = await newSignedInAgent('derniere.organisation@demo.creneau.fr');
      const leaver = await signInAgent(app, 'derniere.organisation@demo.creneau.fr');
      expect((await leaver.get(`/agents/organisations/${String(melun)}/agenda`)).statusCode).toBe(200);
      const before = await database.db.selectFrom('agents').select('session_generation').where('id', '=', agentId).executeTakeFirstOrThrow();
      const page = await sophie.get(`${melunAgents}/${String(agentId)}/retrait`);
      expect(page.body).toContain('son compte est désactivé');
      const removed = await postForm(sophie, `${melunAgents}/${String(agentId)}/retrait`, []);
      expect(removed.statusCode).toBe(303);
      expect(removed.headers.location).toBe(`${melunAgents}?retrait=desactive`);
      const agent = await database.db.selectFrom('agents').select(['deleted_at', 'session_generation']).where('id', '=', agentId).executeTakeFirstOrThrow();
      expect(agent.deleted_at).not.toBeNull();
      expect(agent.session_generation).toBe(before.session_generation + 1);
      expect(await auditEvents('agent', agentId)).toEqual(['removed_from_organisation', 'deactivated']);
      const next = await leaver.get(`/agents/organisations/${String(melun)}/agenda`);
      expect(next.statusCode).toBe(303);
      expect(next.headers.location).toMatch(/^\/agents\/connexion/);
    });

    it('an appointment can no longer be linked to an agent removed from its organisation (the database refuses it)', async () => {
      const agentId = await newSignedInAgent('sans.role@demo.creneau.fr', [org('mds-meaux')]);
      const appointment = await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', melun).executeTakeFirstOrThrow();
      const error = await database.db
        .insertInto('appointment_agents')
        .values({ appointment_id: appointment.id, agent_id: agentId, overlap_allowed: true, overlap_allowed_by_agent_id: agentId })
        .execute()
        .then(
          () => undefined,
          (caught: unknown) => caught as { code?: string; constraint?: string },
        );
      expect(error?.code).toBe('23503');
      expect(error?.constraint).toBe('appointment_agent_has_a_role_in_organisation');
    });
  });

  describe('teams', () => {
    const teamsPath = () => `${melunAgents}/equipes`;

    it('lists the territory’s teams with this organisation’s members named and the others counted', async () => {
      const page = await sophie.get(teamsPath());
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Équipe PMI Seine-et-Marne');
      expect(page.body).not.toContain('Équipe PMI La Réunion');
      expect(page.body).toContain('Claire Moreau');
    });

    it('creates (French messages on 422), adds two agents, removes one, renames and deletes a team of its own; audited', async () => {
      await sophie.get(teamsPath());
      const empty = await postForm(sophie, teamsPath(), [['nom', '  ']]);
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('Saisissez le nom de l’équipe.');
      const taken = await postForm(sophie, teamsPath(), [['nom', 'équipe pmi seine-et-marne']]);
      expect(taken.statusCode).toBe(422);
      expect(taken.body).toContain('Une équipe du territoire porte déjà ce nom');
      expect(taken.body).toContain('value="équipe pmi seine-et-marne"');
      expect((await postForm(sophie, teamsPath(), [['nom', 'x'.repeat(10_001)]])).statusCode).toBe(400);
      const created = await postForm(sophie, teamsPath(), [['nom', 'Accueil Melun']]);
      expect(created.statusCode).toBe(303);
      const team = await database.db.selectFrom('teams').select(['id', 'territory_id']).where('name', '=', 'Accueil Melun').executeTakeFirstOrThrow();
      const path = `${teamsPath()}/${String(team.id)}`;
      expect(created.headers.location).toBe(`${path}?info=equipe-creee`);
      const nadiaId = await agentIdOf(DEMO_AGENT_EMAILS.melunBasic);
      const claire = await agentIdOf('pmi.melun@demo.creneau.fr');
      await sophie.get(path);
      expect((await postForm(sophie, `${path}/membres`, [['agent', '']])).statusCode).toBe(422);
      for (const agentId of [nadiaId, claire]) {
        await sophie.get(path);
        expect((await postForm(sophie, `${path}/membres`, [['agent', String(agentId)]])).statusCode).toBe(303);
      }
      const page = await sophie.get(path);
      expect(page.body).toContain('Nadia Benali');
      expect(page.body).toContain('Claire Moreau');
      // Another organisation's agent: 404, nothing added.
      expect((await postForm(sophie, `${path}/membres`, [['agent', String(await agentIdOf(DEMO_AGENT_EMAILS.meauxBasic))]])).statusCode).toBe(404);
      await sophie.get(path);
      expect((await postForm(sophie, `${path}/membres/${String(claire)}/retirer`, [])).statusCode).toBe(303);
      expect((await database.db.selectFrom('agent_teams').select('agent_id').where('team_id', '=', team.id).execute()).map((row) => row.agent_id)).toEqual([nadiaId]);
      await sophie.get(path);
      const renamed = await postForm(sophie, `${path}/renommer`, [['nom', 'Accueil de Melun']]);
      expect(renamed.statusCode).toBe(303);
      await sophie.get(path);
      const badName = await postForm(sophie, `${path}/renommer`, [['nom', 'Accueil\nMelun']]);
      expect(badName.statusCode).toBe(422);
      expect(badName.body).toContain('Le nom de l’équipe tient sur une ligne');
      expect((await postForm(sophie, `${path}/supprimer`, [])).statusCode).toBe(303);
      expect(await database.db.selectFrom('teams').select('id').where('id', '=', team.id).executeTakeFirst()).toBeUndefined();
      expect(await auditEvents('team', team.id)).toEqual(['team_created', 'member_added', 'member_added', 'member_removed', 'team_renamed', 'team_deleted']);
    });

    it('a team shared with another organisation keeps its name and stays; each admin manages only their own agents', async () => {
      const shared = await database.db.selectFrom('teams').select('id').where('name', '=', 'Équipe PMI Seine-et-Marne').executeTakeFirstOrThrow();
      const path = `${teamsPath()}/${String(shared.id)}`;
      const page = await sophie.get(path);
      expect(page.body).toMatch(/compte aussi (un agent d’une autre organisation|\d+ agents d’autres organisations)/);
      const refused = await postForm(sophie, `${path}/supprimer`, []);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('vous ne pouvez pas la supprimer');
      await sophie.get(path);
      expect((await postForm(sophie, `${path}/renommer`, [['nom', 'Autre nom']])).statusCode).toBe(409);
      expect(await database.db.selectFrom('teams').select('name').where('id', '=', shared.id).executeTakeFirstOrThrow()).toEqual({ name: 'Équipe PMI Seine-et-Marne' });
      // The Meaux admin cannot remove a Melun member of the shared team.
      const claire = await agentIdOf('pmi.melun@demo.creneau.fr');
      await meauxAdmin.get('/agents/compte');
      expect((await postForm(meauxAdmin, `/agents/organisations/${String(org('mds-meaux'))}/agents/equipes/${String(shared.id)}/membres/${String(claire)}/retirer`, [])).statusCode).toBe(404);
      expect(await database.db.selectFrom('agent_teams').select('agent_id').where('team_id', '=', shared.id).where('agent_id', '=', claire).executeTakeFirst()).toBeDefined();
    });
  });
});

import { accountMailQueueOf } from '../notifications/index.js';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { createTestContext, TEST_NOW } from '../../../test/support/app.js';
import { hiddenFields, InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';

const STRONG = 'une tasse de thé sous la pluie de novembre';
const MEAUX_ADMIN = 'admin.meaux@demo.creneau.fr';
const FONTAINEBLEAU_ADMIN = 'admin.fontainebleau@demo.creneau.fr';
const MINUTE = 60_000;

describe('agent accounts: invitations, password reset, the organisation’s agents', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let clock: Date;
  let settleMail: () => Promise<void>;
  const organisations = new Map<string, number>();
  const services = new Map<string, number>();
  const orgId = (slug: string): number => organisations.get(slug) ?? 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    clock = TEST_NOW;
    const context = { ...createTestContext(database), now: () => clock };
    settleMail = () => accountMailQueueOf(context, console).drain();
    app = await buildApp(context);
    await app.ready();
    for (const row of await database.db.selectFrom('organisations').select(['id', 'slug']).execute()) organisations.set(row.slug, row.id);
    for (const row of await database.db.selectFrom('services').select(['id', 'short_name']).execute()) services.set(row.short_name, row.id);
  });
  beforeEach(async () => {
    clock = TEST_NOW;
    await database.db.deleteFrom('sign_in_throttles').execute();
    await database.db.deleteFrom('rate_limit_hits').execute();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  async function mailsTo(email: string): Promise<{ subject: string; text_body: string }[]> {
    await settleMail();
    return database.db.selectFrom('dev_outbox_emails').select(['subject', 'text_body']).where('recipient', '=', email).orderBy('id', 'asc').execute();
  }

  async function lastLinkSentTo(email: string): Promise<string> {
    const mail = (await mailsTo(email)).at(-1);
    const link = /https?:\/\/\S+jeton=[A-Za-z0-9_-]+/.exec(mail?.text_body ?? '')?.[0];
    if (link === undefined) throw new Error(`no link in the last e-mail to ${email}`);
    return link.replace(/^https?:\/\/[^/]+/, '');
  }

  function invitePath(slug: string): string {
    return `/agents/organisations/${String(orgId(slug))}/agents/inviter`;
  }

  async function invite(admin: InjectSession, slug: string, fields: Record<string, string>) {
    await admin.get(invitePath(slug));
    return admin.post(invitePath(slug), fields);
  }

  function newcomer(email: string, names = { prenom: 'Lucie', nom: 'Martin' }): Record<string, string> {
    return { ...names, email, niveau: 'basic', service: String(services.get('Service social')) };
  }

  /** Opens an e-mailed link like a browser: the GET page, then its form with the passwords. */
  async function choosePassword(browser: InjectSession, link: string, password: string, confirmation = password) {
    const page = await browser.get(link);
    if (page.statusCode !== 200) return page;
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields = hiddenFields(page.body);
    delete fields._csrf;
    return browser.post(action, { ...fields, motDePasse: password, confirmation });
  }

  async function agentRow(email: string) {
    return database.db
      .selectFrom('agents')
      .select(['id', 'password_hash', 'invitation_accepted_at', 'session_generation'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  }

  describe('the organisation’s agents and the invitation form', () => {
    it('lists the agents of the organisation to its admin: name, e-mail, access level, services, status', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const page = await admin.get(`/agents/organisations/${String(orgId('mds-melun'))}/agents`);
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toContain('Nadia Benali');
      expect(page.body).toContain(DEMO_AGENT_EMAILS.melunBasic);
      expect(page.body).toContain('Service social');
      expect(page.body).toContain('Administrateur');
      expect(page.body).toContain('Julien Petit');
      expect(page.body).toContain('Sans compte');
      expect(page.body).not.toContain('Aïcha Diallo');
      expect(page.body).toContain('href="/agents/organisations/' + String(orgId('mds-melun')) + '/agents"');
    });

    it('answers 404 to a basic agent, on the list, the form and its POST, and hides the menu entry', async () => {
      const basic = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
      const agenda = await basic.get('/agents/compte');
      expect(agenda.body).not.toContain(`/agents/organisations/${String(orgId('mds-melun'))}/agents"`);
      expect((await basic.get(`/agents/organisations/${String(orgId('mds-melun'))}/agents`)).statusCode).toBe(404);
      expect((await basic.get(invitePath('mds-melun'))).statusCode).toBe(404);
      await basic.get('/agents/compte');
      expect((await basic.post(invitePath('mds-melun'), newcomer('refuse.basic@example.fr'))).statusCode).toBe(404);
      expect(await database.db.selectFrom('agents').select('id').where('email', '=', 'refuse.basic@example.fr').executeTakeFirst()).toBeUndefined();
    });

    it('answers 404 to the admin of another organisation or territory, and to unknown or malformed ids', async () => {
      for (const email of [MEAUX_ADMIN, DEMO_AGENT_EMAILS.reunionAdmin]) {
        const foreign = await signInAgent(app, email);
        expect((await foreign.get(`/agents/organisations/${String(orgId('mds-melun'))}/agents`)).statusCode).toBe(404);
        expect((await foreign.get(invitePath('mds-melun'))).statusCode).toBe(404);
        await foreign.get('/agents/compte');
        expect((await foreign.post(invitePath('mds-melun'), newcomer('refuse.etranger@example.fr'))).statusCode).toBe(404);
      }
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      for (const path of ['/agents/organisations/999999/agents', '/agents/organisations/abc/agents', '/agents/organisations/0/agents/inviter', '/agents/organisations/1e3/agents']) {
        expect((await admin.get(path)).statusCode, path).toBe(404);
      }
      expect(await database.db.selectFrom('agents').select('id').where('email', '=', 'refuse.etranger@example.fr').executeTakeFirst()).toBeUndefined();
    });

    it('offers the services of the organisation’s territory in the form', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const form = await admin.get(invitePath('mds-melun'));
      expect(form.statusCode).toBe(200);
      for (const name of ['Protection maternelle et infantile', 'Service social', 'Insertion et RSA', 'Secrétariat']) expect(form.body).toContain(name);
    });

    it('answers 422 with French messages and keeps the input', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const empty = await invite(admin, 'mds-melun', {});
      expect(empty.statusCode).toBe(422);
      for (const message of ['Saisissez le prénom de l’agent.', 'Saisissez le nom de l’agent.', 'Saisissez l’adresse e-mail professionnelle de l’agent.', 'Choisissez le niveau d’accès de l’agent.', 'Choisissez le service de l’agent dans la liste.']) {
        expect(empty.body).toContain(message);
      }
      const kept = await invite(admin, 'mds-melun', { prenom: 'Zoé', nom: 'Http://evil.fr', email: 'pas-une-adresse', niveau: 'admin', service: String(services.get('PMI')) });
      expect(kept.statusCode).toBe(422);
      expect(kept.body).toContain('value="Zoé"');
      expect(kept.body).toContain('value="pas-une-adresse"');
      expect(kept.body).toContain('Le nom ne peut contenir que des lettres');
      expect(kept.body).toContain('Saisissez une adresse e-mail valide');
      expect(kept.body).toMatch(/id="niveau-admin" name="niveau" value="admin" checked/);
      expect(kept.body).toMatch(new RegExp(`value="${String(services.get('PMI'))}" selected`));
    });

    it('refuses a service that is not offered in the territory (422)', async () => {
      const outside = await database.db.insertInto('services').values({ name: 'Service d’un autre département', short_name: 'Hors 77' }).returning('id').executeTakeFirstOrThrow();
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const refused = await invite(admin, 'mds-melun', { ...newcomer('hors.territoire@example.fr'), service: String(outside.id) });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Choisissez le service de l’agent dans la liste.');
    });

    it('answers hostile values with 400 or 422, never 500', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const path = invitePath('mds-melun');
      expect((await invite(admin, 'mds-melun', newcomer('long@example.fr', { prenom: 'a'.repeat(10_001), nom: 'Martin' }))).statusCode).toBe(400);
      const long = await invite(admin, 'mds-melun', newcomer('long@example.fr', { prenom: 'a'.repeat(10_000), nom: 'Martin' }));
      expect(long.statusCode).toBe(422);
      expect(long.body).toContain('Le prénom est trop long');
      expect((await invite(admin, 'mds-melun', newcomer('ctrl@example.fr', { prenom: 'Lu\u0000cie', nom: 'Mar\r\ntin' }))).statusCode).toBe(422);
      expect((await invite(admin, 'mds-melun', newcomer('ctrl\r\nbcc@example.fr'))).statusCode).toBe(422);
      expect((await invite(admin, 'mds-melun', newcomer('accents@example.fr', { prenom: 'é'.repeat(300), nom: 'Martin' }))).statusCode).toBe(422);
      expect((await invite(admin, 'mds-melun', { ...newcomer('niveau@example.fr'), niveau: 'intervenant' })).statusCode).toBe(400);
      expect((await invite(admin, 'mds-melun', { ...newcomer('service@example.fr'), service: 'abc' })).statusCode).toBe(400);
      await admin.get(path);
      const token = hiddenFields(admin.lastBody)._csrf ?? '';
      const repeated = await admin.send('POST', path, `_csrf=${encodeURIComponent(token)}&prenom=Lucie&nom=Martin&email=a%40example.fr&email=b%40example.fr&niveau=basic`, 'application/x-www-form-urlencoded');
      expect(repeated.statusCode).toBe(400);
      await admin.get(path);
      const json = await admin.send('POST', path, JSON.stringify({ _csrf: hiddenFields(admin.lastBody)._csrf, email: { $ne: '' }, niveau: ['basic'] }), 'application/json');
      expect(json.statusCode).toBe(400);
      expect(await database.db.selectFrom('agents').select('id').where('email', 'in', ['long@example.fr', 'ctrl@example.fr', 'niveau@example.fr', 'service@example.fr']).execute()).toEqual([]);
    });
  });

  describe('invitation', () => {
    it('invites, e-mails a 7-day link stored as a hash, lets the invitee choose a password and signs them in', async () => {
      const email = 'lucie.martin@example.fr';
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const invited = await invite(admin, 'mds-melun', newcomer(email));
      expect(invited.statusCode).toBe(303);
      expect(invited.headers.location).toBe(`/agents/organisations/${String(orgId('mds-melun'))}/agents?invitation=envoyee`);
      const list = await admin.get(String(invited.headers.location));
      expect(list.body).toContain('L’invitation a été envoyée.');
      expect(/Lucie Martin\s*(?:<\/a>\s*)?<\/th>[\s\S]*?<\/tr>/.exec(list.body)?.[0]).toContain('Invitation en attente');

      const agent = await agentRow(email);
      expect(agent.password_hash).toBeNull();
      expect(await database.db.selectFrom('agent_roles').select(['organisation_id', 'access_level']).where('agent_id', '=', agent.id).execute()).toEqual([
        { organisation_id: orgId('mds-melun'), access_level: 'basic' },
      ]);
      expect(await database.db.selectFrom('agent_services').select('service_id').where('agent_id', '=', agent.id).execute()).toEqual([{ service_id: services.get('Service social') }]);
      const audit = await database.db.selectFrom('audit_log').select(['actor_type', 'action']).where('subject_type', '=', 'agent').where('subject_id', '=', agent.id).execute();
      expect(audit).toEqual([{ actor_type: 'agent', action: 'create' }]);

      const mails = await mailsTo(email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.subject).toBe('Invitation à rejoindre Maison départementale des solidarités de Melun sur Créneau');
      expect(mails[0]?.text_body).toContain('Sophie Lambert vous invite');
      const link = await lastLinkSentTo(email);
      expect(link).toMatch(/^\/agents\/invitation\?jeton=[A-Za-z0-9_-]{43}$/);
      const token = link.split('jeton=')[1] ?? '';
      const stored = await database.db.selectFrom('agent_tokens').select(['token_hash', 'purpose', 'expires_at', 'created_by_agent_id']).where('agent_id', '=', agent.id).executeTakeFirstOrThrow();
      expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(stored.purpose).toBe('invitation');
      expect(new Date(stored.expires_at).getTime()).toBe(TEST_NOW.getTime() + 7 * 24 * 60 * MINUTE);

      const invitee = new InjectSession(app);
      const page = await invitee.get(link);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Bienvenue Lucie');
      expect(page.headers['cache-control']).toBe('no-store');
      // The GET spends nothing.
      expect((await agentRow(email)).password_hash).toBeNull();

      const weak = await choosePassword(invitee, link, 'motdepasse');
      expect(weak.statusCode).toBe(422);
      expect(weak.body).toContain('Le mot de passe doit contenir au moins 12 caractères.');
      expect(weak.body).toContain(`name="jeton" value="${token}"`);
      expect(weak.body).not.toContain('value="motdepasse"');
      const common = await choosePassword(invitee, link, 'motdepasse123456');
      expect(common.statusCode).toBe(422);
      expect(common.body).toContain('fait partie des plus utilisés');
      const named = await choosePassword(invitee, link, 'lucie martin est arrivée');
      expect(named.statusCode).toBe(422);
      expect(named.body).toContain('ne doit pas contenir votre nom');
      const mismatch = await choosePassword(invitee, link, STRONG, `${STRONG}!`);
      expect(mismatch.statusCode).toBe(422);
      expect(mismatch.body).toContain('Les deux mots de passe ne sont pas identiques.');
      expect((await agentRow(email)).password_hash).toBeNull();

      const accepted = await choosePassword(invitee, link, STRONG);
      expect(accepted.statusCode).toBe(303);
      expect(accepted.headers.location).toBe('/agents');
      const landing = await invitee.get('/agents');
      expect(landing.headers.location).toBe(`/agents/organisations/${String(orgId('mds-melun'))}/agenda`);
      const account = await invitee.get('/agents/compte');
      expect(account.statusCode).toBe(200);
      expect(account.body).toContain('Lucie Martin');
      const after = await agentRow(email);
      expect(after.password_hash).toMatch(/^\$argon2id\$/);
      expect(after.invitation_accepted_at).not.toBeNull();
      expect(after.session_generation).toBe(agent.session_generation + 1);

      // Single use: the link is spent, on GET and on POST.
      const reused = await new InjectSession(app).get(link);
      expect(reused.statusCode).toBe(403);
      expect(reused.body).toContain('Ce lien ne fonctionne plus');
      expect(reused.body).toContain('demandez à l’administrateur de votre organisation de vous inviter de nouveau');
      const other = new InjectSession(app);
      await other.get('/agents/invitation?jeton=' + 'A'.repeat(43));
      expect((await other.post('/agents/invitation', { jeton: token, motDePasse: 'un tout autre mot de passe', confirmation: 'un tout autre mot de passe' })).statusCode).toBe(403);

      await signInAgent(app, email, STRONG);
      const wrong = new InjectSession(app);
      await wrong.get('/agents/connexion');
      expect((await wrong.post('/agents/connexion', { email, motDePasse: 'un tout autre mot de passe' })).statusCode).toBe(422);
      const listAfter = await admin.get(`/agents/organisations/${String(orgId('mds-melun'))}/agents`);
      const row = /Lucie Martin\s*(?:<\/a>\s*)?<\/th>[\s\S]*?<\/tr>/.exec(listAfter.body)?.[0] ?? '';
      expect(row).toContain('Actif');
      expect(row).not.toContain('Invitation en attente');
    });

    it('refuses unknown and expired invitation links with a French 403 page', async () => {
      expect((await new InjectSession(app).get('/agents/invitation?jeton=' + 'x'.repeat(43))).statusCode).toBe(403);
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await invite(admin, 'mds-melun', newcomer('tardif@example.fr', { prenom: 'Paul', nom: 'Tardif' }));
      const link = await lastLinkSentTo('tardif@example.fr');
      clock = new Date(TEST_NOW.getTime() + 7 * 24 * 60 * MINUTE - MINUTE);
      expect((await new InjectSession(app).get(link)).statusCode).toBe(200);
      clock = new Date(TEST_NOW.getTime() + 7 * 24 * 60 * MINUTE);
      const expired = await choosePassword(new InjectSession(app), link, STRONG);
      expect(expired.statusCode).toBe(403);
      expect(expired.body).toContain('Ce lien d’invitation a expiré');
    });

    it('re-inviting a pending invitee revokes the earlier link; the list shows one pending invitation', async () => {
      const email = 'paul.roux@example.fr';
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      expect((await invite(admin, 'mds-melun', newcomer(email, { prenom: 'Paul', nom: 'Roux' }))).statusCode).toBe(303);
      const first = await lastLinkSentTo(email);
      expect((await invite(admin, 'mds-melun', { ...newcomer(email, { prenom: 'Paul', nom: 'Roux' }), niveau: 'admin' })).statusCode).toBe(303);
      const second = await lastLinkSentTo(email);
      expect(second).not.toBe(first);
      expect((await new InjectSession(app).get(first)).statusCode).toBe(403);
      const agent = await agentRow(email);
      expect(await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', agent.id).execute()).toEqual([{ access_level: 'admin' }]);
      expect((await choosePassword(new InjectSession(app), second, STRONG)).statusCode).toBe(303);
    });

    it('adds a role to an agent of another organisation of the same territory, who is told by e-mail', async () => {
      const email = 'pmi.melun@demo.creneau.fr';
      const admin = await signInAgent(app, FONTAINEBLEAU_ADMIN);
      const added = await invite(admin, 'mds-fontainebleau', { prenom: 'Claire', nom: 'Moreau', email: 'PMI.Melun@demo.creneau.fr', niveau: 'basic', service: String(services.get('PMI')) });
      expect(added.statusCode).toBe(303);
      expect(added.headers.location).toContain('invitation=ajoute');
      const agent = await agentRow(email);
      const roles = await database.db.selectFrom('agent_roles').select('organisation_id').where('agent_id', '=', agent.id).orderBy('organisation_id').execute();
      expect(roles.map((role) => role.organisation_id).sort()).toEqual([orgId('mds-melun'), orgId('mds-fontainebleau')].sort());
      const mail = (await mailsTo(email)).at(-1);
      expect(mail?.subject).toBe('Vous avez accès à Maison départementale des solidarités de Fontainebleau sur Créneau');
      expect(mail?.text_body).not.toContain('jeton=');
      expect(await database.db.selectFrom('agent_tokens').select('id').where('agent_id', '=', agent.id).execute()).toEqual([]);
      const claire = await signInAgent(app, email);
      const choice = await claire.get('/agents');
      expect(choice.statusCode).toBe(200);
      expect(choice.body).toContain('Maison départementale des solidarités de Fontainebleau');
    });

    it('never touches an agent of another territory, nor says more than to contact support', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const refused = await invite(admin, 'mds-melun', { ...newcomer(DEMO_AGENT_EMAILS.reunionAdmin), prenom: 'Marie-Josée', nom: 'Payet' });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Cette adresse est déjà utilisée par un compte agent que vous ne pouvez pas modifier. Contactez le support de Créneau.');
      expect(refused.body).not.toContain('Réunion');
      expect(refused.body).not.toContain('Saint-Denis');
      const agent = await agentRow(DEMO_AGENT_EMAILS.reunionAdmin);
      expect(await database.db.selectFrom('agent_roles').select('organisation_id').where('agent_id', '=', agent.id).execute()).toEqual([{ organisation_id: orgId('solidarites-saint-denis-974') }]);
      expect(await mailsTo(DEMO_AGENT_EMAILS.reunionAdmin)).toEqual([]);
    });

    it('says that an agent who already chose a password is already a member', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const refused = await invite(admin, 'mds-melun', { ...newcomer(DEMO_AGENT_EMAILS.melunBasic.toUpperCase()), prenom: 'Nadia', nom: 'Benali' });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Cet agent fait déjà partie de votre organisation');
    });

    it('answers hostile link tokens and fields with 400, not 500', async () => {
      const browser = new InjectSession(app);
      for (const url of ['/agents/invitation', '/agents/invitation?jeton=', `/agents/invitation?jeton=${'a'.repeat(201)}`, '/agents/invitation?jeton=a%00b', '/agents/invitation?jeton=a&jeton=b']) {
        expect((await browser.get(url)).statusCode, url).toBe(400);
      }
      await browser.get('/agents/mot-de-passe-oublie');
      const token = hiddenFields(browser.lastBody)._csrf ?? '';
      const repeated = await browser.send('POST', '/agents/invitation', `_csrf=${encodeURIComponent(token)}&jeton=a&jeton=b&motDePasse=x&confirmation=x`, 'application/x-www-form-urlencoded');
      expect(repeated.statusCode).toBe(400);
      await browser.get('/agents/mot-de-passe-oublie');
      expect((await browser.post('/agents/invitation', { jeton: 'a'.repeat(43), motDePasse: 'x'.repeat(10_001), confirmation: 'x' })).statusCode).toBe(400);
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await invite(admin, 'mds-melun', newcomer('mdp.long@example.fr', { prenom: 'Léon', nom: 'Long' }));
      const tooLong = await choosePassword(new InjectSession(app), await lastLinkSentTo('mdp.long@example.fr'), 'x'.repeat(10_000));
      expect(tooLong.statusCode).toBe(422);
      expect(tooLong.body).toContain('Le mot de passe est trop long (128 caractères au plus).');
    });
  });

  describe('password reset', () => {
    const email = 'pmi.974@demo.creneau.fr';

    it('e-mails a 1-hour single-use link; the new password signs out every other session', async () => {
      const elsewhere = await signInAgent(app, email);
      expect((await elsewhere.get('/agents/compte')).statusCode).toBe(200);
      const before = await agentRow(email);

      const browser = new InjectSession(app);
      expect((await browser.get('/agents/mot-de-passe-oublie')).statusCode).toBe(200);
      const asked = await browser.post('/agents/mot-de-passe-oublie', { email: ` ${email.toUpperCase()} ` });
      expect(asked.statusCode).toBe(303);
      expect(asked.headers.location).toBe('/agents/mot-de-passe-oublie/envoye');
      expect((await browser.get('/agents/mot-de-passe-oublie/envoye')).body).toContain('Il est valable 1 heure.');
      const link = await lastLinkSentTo(email);
      expect(link).toMatch(/^\/agents\/mot-de-passe\/nouveau\?jeton=[A-Za-z0-9_-]{43}$/);

      const weak = await choosePassword(browser, link, 'azertyuiopqsdf');
      expect(weak.statusCode).toBe(422);
      expect(weak.body).toContain('trop simple');
      const done = await choosePassword(browser, link, STRONG);
      expect(done.statusCode).toBe(303);
      expect((await browser.get('/agents/compte')).statusCode).toBe(200);
      expect((await agentRow(email)).session_generation).toBe(before.session_generation + 1);
      expect((await elsewhere.get('/agents/compte')).statusCode).toBe(303);

      expect((await new InjectSession(app).get(link)).statusCode).toBe(403);
      await signInAgent(app, email, STRONG);
      const old = new InjectSession(app);
      await old.get('/agents/connexion');
      expect((await old.post('/agents/connexion', { email, motDePasse: DEMO_PASSWORD })).statusCode).toBe(422);
    });

    it('expires reset links after 1 hour, and using one revokes the others', async () => {
      const browser = new InjectSession(app);
      await browser.get('/agents/mot-de-passe-oublie');
      await browser.post('/agents/mot-de-passe-oublie', { email });
      const first = await lastLinkSentTo(email);
      await browser.get('/agents/mot-de-passe-oublie');
      await browser.post('/agents/mot-de-passe-oublie', { email });
      const second = await lastLinkSentTo(email);
      expect(second).not.toBe(first);
      clock = new Date(TEST_NOW.getTime() + 59 * MINUTE);
      expect((await choosePassword(new InjectSession(app), second, `${STRONG} encore`)).statusCode).toBe(303);
      const revoked = await new InjectSession(app).get(first);
      expect(revoked.statusCode).toBe(403);
      await browser.get('/agents/mot-de-passe-oublie');
      await browser.post('/agents/mot-de-passe-oublie', { email });
      const third = await lastLinkSentTo(email);
      clock = new Date(clock.getTime() + 60 * MINUTE);
      const expired = await new InjectSession(app).get(third);
      expect(expired.statusCode).toBe(403);
      expect(expired.body).toContain('Ce lien de réinitialisation a expiré');
    });

    it('answers the same for unknown addresses, usagers, and pending invitees, without sending them anything', async () => {
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await invite(admin, 'mds-melun', newcomer('en.attente@example.fr', { prenom: 'Inès', nom: 'Attente' }));
      const invitationMails = (await mailsTo('en.attente@example.fr')).length;
      for (const address of ['inconnu@example.fr', DEMO_USER_EMAIL, 'en.attente@example.fr']) {
        const browser = new InjectSession(app);
        await browser.get('/agents/mot-de-passe-oublie');
        const answer = await browser.post('/agents/mot-de-passe-oublie', { email: address });
        expect(answer.statusCode).toBe(303);
        expect(answer.headers.location).toBe('/agents/mot-de-passe-oublie/envoye');
      }
      expect(await mailsTo('inconnu@example.fr')).toEqual([]);
      expect((await mailsTo(DEMO_USER_EMAIL)).filter((mail) => mail.subject.includes('espace agents'))).toEqual([]);
      expect(await mailsTo('en.attente@example.fr')).toHaveLength(invitationMails);
      const pending = await agentRow('en.attente@example.fr');
      expect(await database.db.selectFrom('agent_tokens').select('purpose').where('agent_id', '=', pending.id).execute()).toEqual([{ purpose: 'invitation' }]);
    });

    it('sends at most 5 reset e-mails per address per hour, with the same answer', async () => {
      const address = 'pmi.fontainebleau@demo.creneau.fr';
      const before = (await mailsTo(address)).length;
      for (let request = 1; request <= 7; request += 1) {
        const browser = new InjectSession(app);
        await browser.get('/agents/mot-de-passe-oublie');
        expect((await browser.post('/agents/mot-de-passe-oublie', { email: address })).statusCode).toBe(303);
      }
      expect(await mailsTo(address)).toHaveLength(before + 5);
    });

    it('answers an empty or hostile e-mail field with 422 or 400', async () => {
      const browser = new InjectSession(app);
      await browser.get('/agents/mot-de-passe-oublie');
      const empty = await browser.post('/agents/mot-de-passe-oublie', { email: '   ' });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('Saisissez votre adresse e-mail.');
      expect((await browser.post('/agents/mot-de-passe-oublie', { email: 'a\r\nb@example.fr' })).statusCode).toBe(422);
      expect((await browser.post('/agents/mot-de-passe-oublie', { email: 'x'.repeat(10_001) })).statusCode).toBe(400);
      await browser.get('/agents/mot-de-passe-oublie');
      const token = hiddenFields(browser.lastBody)._csrf ?? '';
      expect((await browser.send('POST', '/agents/mot-de-passe-oublie', `_csrf=${encodeURIComponent(token)}&email=a&email=b`, 'application/x-www-form-urlencoded')).statusCode).toBe(400);
      for (const url of [`/agents/mot-de-passe/nouveau?jeton=${'a'.repeat(201)}`, '/agents/mot-de-passe/nouveau?jeton=%E2%9C%93', '/agents/mot-de-passe/nouveau']) {
        expect((await browser.get(url)).statusCode, url).toBe(400);
      }
    });
  });
});

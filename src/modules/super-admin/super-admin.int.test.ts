/**
 * The super admin back office (ADR 0032) on both backends: the TOTP second factor (enrolment,
 * wrong and replayed codes, lock), territory creation in one form, territorial admins,
 * « se connecter en tant que » (reason, banner, audit with both identities, expiry, no way into
 * the back office) and the background jobs' view. Codes are computed from the enrolled secret.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiClockBrowser } from '../../../test/support/agents.js';
import { buildTestApp, createTestContext, TEST_NOW } from '../../../test/support/app.js';
import { buildApp } from '../../app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createLogger } from '../../platform/logger/logger.js';
import { startJobRunner } from '../../platform/jobs/job-runner.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, seedDemoTerritory } from '../../seed/index.js';
import { totpCodeAt } from './index.js';

const STEP_MS = 30_000;

describe('super admin back office', () => {
  let database: TestDatabase;
  const apps = new Map<number, FastifyInstance>();
  let secret = '';
  let superAdminId = 0;
  let nadiaId = 0;
  let melunId = 0;
  /** The next unused time step offset: each full sign-in spends one (a code is never accepted twice). */
  let nextStep = 2;

  /** The app whose clock is TEST_NOW + `offsetMs`. */
  async function appAt(offsetMs: number): Promise<FastifyInstance> {
    let app = apps.get(offsetMs);
    if (app === undefined) {
      app = await buildTestApp(database, new Date(TEST_NOW.getTime() + offsetMs));
      apps.set(offsetMs, app);
    }
    return app;
  }

  async function passwordStep(browser: MultiClockBrowser, app: FastifyInstance, email: string = DEMO_AGENT_EMAILS.superAdmin): Promise<LightMyRequestResponse> {
    await browser.get(app, '/agents/connexion');
    return browser.post(app, '/agents/connexion', { email, motDePasse: DEMO_PASSWORD });
  }

  /** A full super admin sign-in on a fresh time step; returns the browser and the app of that instant. */
  async function signInSuperAdmin(options: { geocoderUrl?: string } = {}): Promise<{ browser: MultiClockBrowser; app: FastifyInstance; at: Date }> {
    const offset = nextStep * STEP_MS;
    nextStep += 1;
    let app: FastifyInstance;
    if (options.geocoderUrl === undefined) app = await appAt(offset);
    else {
      const context = createTestContext(database, new Date(TEST_NOW.getTime() + offset));
      app = await buildApp({ ...context, config: { ...context.config, geocoderUrl: options.geocoderUrl } });
      apps.set(-offset - 1, app);
    }
    const browser = new MultiClockBrowser();
    expect((await passwordStep(browser, app)).headers.location).toBe('/agents/connexion/code');
    const page = await browser.get(app, '/agents/connexion/code');
    // Run alone, a test enrols the super admin itself.
    const enrolling = /<code id="cle-totp">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1];
    if (enrolling !== undefined) secret = enrolling.replace(/ /g, '');
    const at = new Date(TEST_NOW.getTime() + offset);
    const done = await browser.post(app, '/agents/connexion/code', { code: totpCodeAt(secret, at) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/super-admin');
    return { browser, app, at };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    const ids = await database.db.selectFrom('agents').select(['id', 'email']).where('email', 'in', [DEMO_AGENT_EMAILS.superAdmin, DEMO_AGENT_EMAILS.melunBasic]).execute();
    superAdminId = ids.find((row) => row.email === DEMO_AGENT_EMAILS.superAdmin)?.id ?? 0;
    nadiaId = ids.find((row) => row.email === DEMO_AGENT_EMAILS.melunBasic)?.id ?? 0;
    melunId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
  }, 180_000);
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await database.destroy();
  });

  describe('second factor', () => {
    it('enrols the demo super admin at first sign-in: secret grouped, otpauth URI, QR code in SVG, encrypted at rest; a wrong code is refused', async () => {
      const app = await appAt(0);
      const browser = new MultiClockBrowser();
      const password = await passwordStep(browser, app);
      expect(password.statusCode).toBe(303);
      expect(password.headers.location).toBe('/agents/connexion/code');
      // Half signed in: no agent page, no back office.
      expect((await browser.get(app, '/super-admin')).statusCode).toBe(404);
      expect((await browser.get(app, '/agents')).headers.location).toBe('/agents/connexion/code');

      const page = await browser.get(app, '/agents/connexion/code');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Activer la double authentification');
      const grouped = /<code id="cle-totp">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1] ?? '';
      expect(grouped).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
      secret = grouped.replace(/ /g, '');
      expect(page.body).toContain(`otpauth://totp/Cr%C3%A9neau:superadmin%40demo.creneau.fr?secret=${secret}`);
      expect(page.body).toMatch(/<svg role="img" aria-label="QR code[^"]*"[^>]*viewBox/);
      expect(page.body).not.toMatch(/<svg[^]*style=/);
      const stored = await database.db.selectFrom('agent_second_factors').selectAll().where('agent_id', '=', superAdminId).executeTakeFirstOrThrow();
      expect(stored.secret_encrypted).not.toContain(secret);
      expect(stored.confirmed_at).toBeNull();

      const wrongCode = totpCodeAt(secret, new Date(TEST_NOW.getTime() + 10 * STEP_MS));
      const wrong = await browser.post(app, '/agents/connexion/code', { code: wrongCode === '000000' ? '111111' : '000000' });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.body).toContain('Code incorrect.');
      // The enrolment page stays the same secret until confirmed.
      expect(wrong.body).toContain(grouped);
      const malformed = await browser.post(app, '/agents/connexion/code', { code: '12ab<script>' });
      expect(malformed.statusCode).toBe(422);
      expect(malformed.body).not.toContain('<script>');

      // One step of drift is accepted.
      const right = await browser.post(app, '/agents/connexion/code', { code: totpCodeAt(secret, new Date(TEST_NOW.getTime() - STEP_MS)) });
      expect(right.statusCode).toBe(303);
      expect(right.headers.location).toBe('/super-admin');
      const home = await browser.get(app, '/super-admin');
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('Seine-et-Marne');
      const confirmed = await database.db.selectFrom('agent_second_factors').select(['confirmed_at', 'last_used_step']).where('agent_id', '=', superAdminId).executeTakeFirstOrThrow();
      expect(confirmed.confirmed_at).not.toBeNull();
      const audit = await database.db.selectFrom('audit_log').select('details').where('actor_id', '=', superAdminId).where('subject_type', '=', 'agent').execute();
      expect(audit.map((row) => (row.details as { event?: string }).event)).toContain('second_factor_enrolled');
    });

    it('refuses a replayed code (same time step) and a code two steps away; accepts the next step’s code', async () => {
      const app = await appAt(0);
      const browser = new MultiClockBrowser();
      await passwordStep(browser, app);
      const page = await browser.get(app, '/agents/connexion/code');
      expect(page.body).toContain('Code de vérification');
      expect(page.body).not.toContain('cle-totp');
      const replayed = await browser.post(app, '/agents/connexion/code', { code: totpCodeAt(secret, new Date(TEST_NOW.getTime() - STEP_MS)) });
      expect(replayed.statusCode).toBe(422);
      expect(replayed.body).toContain('Ce code a déjà été utilisé.');
      const tooFar = await browser.post(app, '/agents/connexion/code', { code: totpCodeAt(secret, new Date(TEST_NOW.getTime() + 2 * STEP_MS)) });
      expect(tooFar.statusCode).toBe(422);
      const next = await browser.post(app, '/agents/connexion/code', { code: totpCodeAt(secret, TEST_NOW) });
      expect(next.statusCode).toBe(303);
      // The next sign-in may not reuse it either.
      const again = new MultiClockBrowser();
      await passwordStep(again, app);
      await again.get(app, '/agents/connexion/code');
      expect((await again.post(app, '/agents/connexion/code', { code: totpCodeAt(secret, TEST_NOW) })).statusCode).toBe(422);
    });

    it('counts wrong codes toward the account’s lock: after 10 failures even the right code is refused (429)', async () => {
      const source = await database.db.selectFrom('agents').select('password_hash').where('id', '=', superAdminId).executeTakeFirstOrThrow();
      await database.db.insertInto('agents').values({ email: 'second.superadmin@demo.creneau.fr', first_name: 'Paul', last_name: 'Verdier', password_hash: source.password_hash, is_super_admin: true }).execute();
      const app = await appAt(0);
      const browser = new MultiClockBrowser();
      await passwordStep(browser, app, 'second.superadmin@demo.creneau.fr');
      const page = await browser.get(app, '/agents/connexion/code');
      const ownSecret = (/<code id="cle-totp">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1] ?? '').replace(/ /g, '');
      const right = totpCodeAt(ownSecret, TEST_NOW);
      const wrong = right === '999999' ? '999998' : '999999';
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt += 1) statuses.push((await browser.post(app, '/agents/connexion/code', { code: wrong })).statusCode);
      expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
      expect(statuses).toContain(429);
      const locked = await browser.post(app, '/agents/connexion/code', { code: right });
      expect(locked.statusCode).toBe(429);
      expect(locked.body).toContain('Trop de tentatives de connexion');
      // The password step of this account is locked too (same per-account throttle).
      const other = new MultiClockBrowser();
      expect((await passwordStep(other, app, 'second.superadmin@demo.creneau.fr')).statusCode).toBe(429);
    });

    it('leaves other agents unaffected, and answers 404 on the back office to anyone but a super admin', async () => {
      const app = await appAt(0);
      const browser = new MultiClockBrowser();
      expect((await passwordStep(browser, app, DEMO_AGENT_EMAILS.melunBasic)).headers.location).toBe('/agents');
      for (const path of ['/super-admin', '/super-admin/territoires/nouveau', '/super-admin/taches', '/super-admin/agents', `/super-admin/agents/${String(nadiaId)}/en-tant-que`]) {
        expect((await browser.get(app, path)).statusCode, path).toBe(404);
        expect((await new InjectSession(app).get(path)).statusCode, path).toBe(404);
      }
      // The code page without a pending super admin goes back to the sign-in.
      expect((await browser.get(app, '/agents/connexion/code')).headers.location).toBe('/agents/connexion');
      // A forged POST without CSRF token is refused.
      const { browser: admin, app: adminApp } = await signInSuperAdmin();
      const forged = await adminApp.inject({ method: 'POST', url: '/super-admin/territoires/nouveau', headers: { cookie: `creneau_session=${admin.sessionCookie() ?? ''}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'departement=14' });
      expect(forged.statusCode).toBe(403);
    });
  });

  describe('territories', () => {
    const VALID = {
      departement: '14',
      nomTerritoire: 'Conseil départemental du Calvados',
      regionFeries: '',
      nomOrganisation: 'Maison des solidarités de Caen',
      nomLieu: 'MDS Caen centre',
      adresseLieu: '12 rue de Bretagne 14000 Caen',
      prenomAdmin: 'Agathe',
      nomAdmin: 'Lemaître',
      emailAdmin: 'agathe.lemaitre@calvados.fr',
    };

    it('refuses bad input with French messages per field, keeps the input (escaped), writes nothing', async () => {
      const { browser, app } = await signInSuperAdmin();
      await browser.get(app, '/super-admin/territoires/nouveau');
      const hostile = '<img src=x onerror=alert(1)>';
      const response = await browser.post(app, '/super-admin/territoires/nouveau', {
        ...VALID,
        departement: '20',
        nomTerritoire: 'Nom\u0000avec contrôle',
        nomOrganisation: hostile,
        nomLieu: 'x'.repeat(10_000),
        adresseLieu: 'voir https://evil.example',
        prenomAdmin: '',
        emailAdmin: 'pas-une-adresse',
      });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Saisissez un numéro de département français');
      expect(response.body).toContain('Le nom du territoire doit contenir des lettres, sans caractère de contrôle.');
      expect(response.body).toContain('Ce nom est trop long');
      expect(response.body).toContain('L’adresse ne peut contenir ni caractère de contrôle ni lien.');
      expect(response.body).toContain('Saisissez le prénom de l’administrateur.');
      expect(response.body).toContain('Saisissez une adresse e-mail valide');
      expect(response.body).toContain('value="20"');
      expect(response.body).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
      expect(response.body).not.toContain(hostile);
      expect(await database.db.selectFrom('territories').select('id').where('departement_number', '=', '14').executeTakeFirst()).toBeUndefined();

      for (const departement of ['99', '975x', '2C', '00']) {
        await browser.get(app, '/super-admin/territoires/nouveau');
        expect((await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, departement })).statusCode, departement).toBe(422);
      }
      await browser.get(app, '/super-admin/territoires/nouveau');
      const taken = await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, departement: '974' });
      expect(taken.statusCode).toBe(422);
      expect(taken.body).toContain('Le département 974 a déjà un territoire');
      await browser.get(app, '/super-admin/territoires/nouveau');
      expect((await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, regionFeries: 'XX' })).statusCode).toBe(422);
      // The first place's address goes through the geocoding port: one in another département is refused.
      for (const adresseLieu of ['20 quai Hippolyte Rossignol 77000 Melun', 'zzzzqqqq xxyy']) {
        await browser.get(app, '/super-admin/territoires/nouveau');
        const elsewhere = await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, adresseLieu });
        expect(elsewhere.statusCode, adresseLieu).toBe(422);
        expect(elsewhere.body).toContain('Adresse introuvable dans le département 14. Vérifiez le numéro, la rue, le code postal et la commune.');
        expect(elsewhere.body).toContain(`value="${adresseLieu}"`);
      }
      expect(await database.db.selectFrom('territories').select('id').where('departement_number', '=', '14').executeTakeFirst()).toBeUndefined();
      // Wrong types and repeated fields are refused by the schema (400), never a 500.
      const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get(app, '/super-admin/territoires/nouveau')).body)?.[1] ?? '';
      const repeated = await app.inject({
        method: 'POST',
        url: '/super-admin/territoires/nouveau',
        // The browser's cookies (session and CSRF), through TypeScript's escape hatch for private members.
        headers: { cookie: browser['header'](), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(token)}&departement=14&departement=15`,
      });
      expect(repeated.statusCode).toBe(400);
    });

    it('creates territory, organisation, place and invited admin in one transaction, the invitation e-mail stored and sent', async () => {
      const { browser, app } = await signInSuperAdmin();
      await browser.get(app, '/super-admin/territoires/nouveau');
      const created = await browser.post(app, '/super-admin/territoires/nouveau', VALID);
      expect(created.statusCode).toBe(303);
      expect(created.headers.location).toBe('/super-admin?territoire=cree');
      const list = await browser.get(app, '/super-admin?territoire=cree');
      expect(list.body).toContain('Conseil départemental du Calvados');
      expect(list.body).toContain('Le territoire a été créé');

      const territory = await database.db.selectFrom('territories').selectAll().where('departement_number', '=', '14').executeTakeFirstOrThrow();
      expect(territory.holiday_region).toBeNull();
      const organisation = await database.db.selectFrom('organisations').selectAll().where('territory_id', '=', territory.id).executeTakeFirstOrThrow();
      expect(organisation).toMatchObject({ name: 'Maison des solidarités de Caen', slug: 'maison-des-solidarites-de-caen', time_zone: 'Europe/Paris' });
      const place = await database.db.selectFrom('places').selectAll().where('organisation_id', '=', organisation.id).executeTakeFirstOrThrow();
      expect(place).toMatchObject({ name: 'MDS Caen centre', address: '12 rue de Bretagne 14000 Caen', time_zone: 'Europe/Paris' });
      const admin = await database.db.selectFrom('agents').selectAll().where('email', '=', 'agathe.lemaitre@calvados.fr').executeTakeFirstOrThrow();
      expect(admin.password_hash).toBeNull();
      expect(await database.db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territory.id).execute()).toEqual([{ agent_id: admin.id }]);
      expect(await database.db.selectFrom('agent_roles').select('access_level').where('agent_id', '=', admin.id).where('organisation_id', '=', organisation.id).executeTakeFirst()).toEqual({ access_level: 'admin' });
      const token = await database.db.selectFrom('agent_tokens').select(['purpose', 'created_by_agent_id']).where('agent_id', '=', admin.id).executeTakeFirstOrThrow();
      expect(token).toEqual({ purpose: 'invitation', created_by_agent_id: superAdminId });
      const audit = await database.db.selectFrom('audit_log').select(['subject_type', 'action', 'actor_id']).where('territory_id', '=', territory.id).orderBy('id').execute();
      expect(audit).toEqual([
        { subject_type: 'territory', action: 'create', actor_id: superAdminId },
        { subject_type: 'agent', action: 'create', actor_id: superAdminId },
      ]);
      const mail = await database.db.selectFrom('dev_outbox_emails').select(['subject', 'text_body']).where('recipient', '=', 'agathe.lemaitre@calvados.fr').executeTakeFirstOrThrow();
      expect(mail.text_body).toContain('/agents/invitation?jeton=');
      expect(mail.text_body).toContain('Maison des solidarités de Caen');

      // An overseas département: its places live in its own time zone; the same organisation name gets a free slug.
      await browser.get(app, '/super-admin/territoires/nouveau');
      const guyane = await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, departement: '973', nomTerritoire: 'Collectivité territoriale de Guyane', regionFeries: 'FR-GF', adresseLieu: '1 rue de Rémire 97300 Cayenne', emailAdmin: 'admin@guyane.fr' });
      expect(guyane.statusCode).toBe(303);
      const row = await database.db
        .selectFrom('territories')
        .innerJoin('organisations', 'organisations.territory_id', 'territories.id')
        .select(['organisations.slug', 'organisations.time_zone', 'territories.holiday_region'])
        .where('departement_number', '=', '973')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ slug: 'maison-des-solidarites-de-caen-973', time_zone: 'America/Cayenne', holiday_region: 'FR-GF' });
    });

    it('keeps the first place’s address as typed, without coordinates, when the geocoder cannot be reached', async () => {
      // A closed port on loopback: the Géoplateforme adapter reports the geocoder unavailable.
      const { browser, app } = await signInSuperAdmin({ geocoderUrl: 'http://127.0.0.1:9' });
      await browser.get(app, '/super-admin/territoires/nouveau');
      const created = await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, departement: '2B', nomTerritoire: 'Haute-Corse', nomOrganisation: 'Maison des solidarités de Bastia', adresseLieu: '4 rue du Commandant Luce de Casabianca 20200 Bastia', emailAdmin: 'admin@haute-corse.fr' });
      expect(created.statusCode).toBe(303);
      expect(created.headers.location).toBe('/super-admin?territoire=cree-sans-coordonnees');
      expect((await browser.get(app, '/super-admin?territoire=cree-sans-coordonnees')).body).toContain('à confirmer dans « Lieux »');
      const place = await database.db
        .selectFrom('places')
        .innerJoin('organisations', 'organisations.id', 'places.organisation_id')
        .innerJoin('territories', 'territories.id', 'organisations.territory_id')
        .select(['places.address', 'places.latitude'])
        .where('territories.departement_number', '=', '2B')
        .executeTakeFirstOrThrow();
      expect(place).toEqual({ address: '4 rue du Commandant Luce de Casabianca 20200 Bastia', latitude: null });
    });

    it('writes nothing when the first admin cannot be invited (a deleted account’s address)', async () => {
      await database.db.insertInto('agents').values({ email: 'parti@demo.creneau.fr', first_name: 'Ancien', last_name: 'Agent', password_hash: null, deleted_at: TEST_NOW }).execute();
      const { browser, app } = await signInSuperAdmin();
      await browser.get(app, '/super-admin/territoires/nouveau');
      const refused = await browser.post(app, '/super-admin/territoires/nouveau', { ...VALID, departement: '2A', nomTerritoire: 'Corse-du-Sud', adresseLieu: '2 cours Napoléon 20000 Ajaccio', emailAdmin: 'parti@demo.creneau.fr' });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('compte agent supprimé');
      expect(refused.body).toContain('value="2A"');
      expect(await database.db.selectFrom('territories').select('id').where('departement_number', '=', '2A').executeTakeFirst()).toBeUndefined();
      expect(await database.db.selectFrom('organisations').select('id').where('slug', 'like', 'maison-des-solidarites-de-caen-2%').executeTakeFirst()).toBeUndefined();
    });
  });

  describe('territorial admins', () => {
    it('lists, adds an existing agent, invites a new one, and removes the last one only when confirmed', async () => {
      const { browser, app } = await signInSuperAdmin();
      const territory = await database.db.selectFrom('territories').select('id').where('departement_number', '=', '974').executeTakeFirstOrThrow();
      const base = `/super-admin/territoires/${String(territory.id)}/administrateurs`;
      expect((await browser.get(app, '/super-admin/territoires/999999/administrateurs')).statusCode).toBe(404);
      const page = await browser.get(app, base);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(DEMO_AGENT_EMAILS.reunionAdmin);

      const added = await browser.post(app, base, { email: 'PMI.MELUN@demo.creneau.fr', prenom: '', nom: '' });
      expect(added.statusCode).toBe(303);
      expect(added.headers.location).toBe(`${base}?ajout=ajoute`);
      await browser.get(app, base);
      const again = await browser.post(app, base, { email: 'pmi.melun@demo.creneau.fr', prenom: '', nom: '' });
      expect(again.statusCode).toBe(422);
      expect(again.body).toContain('déjà administrateur de ce territoire');
      const needsNames = await browser.post(app, base, { email: 'nouvelle.admin@reunion.fr', prenom: '', nom: '' });
      expect(needsNames.statusCode).toBe(422);
      expect(needsNames.body).toContain('saisissez le prénom de la personne à inviter');
      expect(needsNames.body).toContain('value="nouvelle.admin@reunion.fr"');
      const invited = await browser.post(app, base, { email: 'nouvelle.admin@reunion.fr', prenom: 'Maëlle', nom: 'Hoarau' });
      expect(invited.headers.location).toBe(`${base}?ajout=invite`);
      const list = await browser.get(app, `${base}?ajout=invite`);
      expect(list.body).toContain('Maëlle Hoarau');
      expect(list.body).toContain('Invitation en attente');

      const admins = await database.db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territory.id).execute();
      expect(admins).toHaveLength(3);
      for (const { agent_id: agentId } of admins.slice(0, 2)) {
        await browser.get(app, base);
        expect((await browser.post(app, `${base}/${String(agentId)}/retrait`, {})).headers.location).toBe(`${base}?retrait=fait`);
      }
      const last = admins[2]?.agent_id ?? 0;
      await browser.get(app, base);
      const warned = await browser.post(app, `${base}/${String(last)}/retrait`, {});
      expect(warned.statusCode).toBe(409);
      expect(warned.body).toContain('est le dernier administrateur de ce territoire');
      expect(await database.db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territory.id).execute()).toHaveLength(1);
      const confirmed = await browser.post(app, `${base}/${String(last)}/retrait`, { confirmation: 'oui' });
      expect(confirmed.statusCode).toBe(303);
      expect(await database.db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territory.id).execute()).toHaveLength(0);
      // Removing someone who is not an admin of this territory: 404.
      await browser.get(app, base);
      expect((await browser.post(app, `${base}/${String(nadiaId)}/retrait`, { confirmation: 'oui' })).statusCode).toBe(404);
      const removals = await database.db.selectFrom('audit_log').select('details').where('territory_id', '=', territory.id).where('subject_type', '=', 'agent').where('action', '=', 'update').execute();
      expect(removals.filter((row) => (row.details as { event?: string }).event === 'territorial_admin_removed')).toHaveLength(3);
    });
  });

  describe('se connecter en tant que', () => {
    it('requires a reason, refuses super admins, shows the banner, journals both identities, and keeps the back office closed', async () => {
      const { browser, app } = await signInSuperAdmin();
      const search = await browser.get(app, '/super-admin/agents?q=benali');
      expect(search.body).toContain('Nadia Benali');
      expect(search.body).toContain(`/super-admin/agents/${String(nadiaId)}/en-tant-que`);
      const superAdmins = await browser.get(app, '/super-admin/agents?q=garnier');
      expect(superAdmins.body).toContain('Super admin : impossible');
      expect((await browser.get(app, `/super-admin/agents/${String(superAdminId)}/en-tant-que`)).statusCode).toBe(404);
      const other = await database.db.selectFrom('agents').select('id').where('email', '=', 'second.superadmin@demo.creneau.fr').executeTakeFirstOrThrow();
      expect((await browser.get(app, `/super-admin/agents/${String(other.id)}/en-tant-que`)).statusCode).toBe(404);

      const formPath = `/super-admin/agents/${String(nadiaId)}/en-tant-que`;
      await browser.get(app, formPath);
      const empty = await browser.post(app, formPath, { motif: '   ' });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('Saisissez le motif');
      const long = await browser.post(app, formPath, { motif: 'a'.repeat(501) });
      expect(long.statusCode).toBe(422);
      expect(long.body).toContain('Le motif est trop long');
      const started = await browser.post(app, formPath, { motif: 'Ticket 4521 : agenda vide' });
      expect(started.statusCode).toBe(303);
      expect(started.headers.location).toBe('/agents');

      const agenda = await browser.get(app, `/agents/organisations/${String(melunId)}/absences`);
      expect(agenda.statusCode).toBe(200);
      expect(agenda.body).toContain('Vous êtes connecté en tant que Nadia Benali');
      expect(agenda.body).toContain('Motif : Ticket 4521 : agenda vide');
      // 09:00 UTC + offset, Paris time, + 30 minutes.
      expect(agenda.body).toMatch(/fin à 10h3[0-9]/);
      expect(agenda.body).toContain('Revenir à mon compte');

      // The back office is out of reach, and no nested impersonation.
      expect((await browser.get(app, '/super-admin')).statusCode).toBe(404);
      expect((await browser.get(app, '/super-admin/taches')).statusCode).toBe(404);
      await browser.get(app, `/agents/organisations/${String(melunId)}/absences`);
      expect((await browser.post(app, formPath, { motif: 'imbriquée' })).statusCode).toBe(404);

      // An action as Nadia: her absence's audit entry names the super admin too.
      await browser.get(app, `/agents/organisations/${String(melunId)}/absences/nouvelle`);
      const absence = await browser.post(app, `/agents/organisations/${String(melunId)}/absences/nouvelle`, {
        titre: 'Formation',
        agents: String(nadiaId),
        premierJour: '2027-03-03',
        heureDebut: '08:00',
        heureFin: '12:00',
        repetition: 'aucune',
        confirmerAvertissements: 'oui',
      });
      expect(absence.statusCode).toBe(303);
      const entry = await database.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'impersonator_agent_id']).where('subject_type', '=', 'absence').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(entry).toEqual({ actor_type: 'agent', actor_id: nadiaId, impersonator_agent_id: superAdminId });

      await browser.get(app, `/agents/organisations/${String(melunId)}/absences`);
      const back = await browser.post(app, '/agents/en-tant-que/fin', {});
      expect(back.headers.location).toBe('/super-admin?fin=retour');
      expect((await browser.get(app, '/super-admin?fin=retour')).body).toContain('Vous êtes revenu à votre compte.');
      const events = await database.db
        .selectFrom('audit_log')
        .select(['actor_id', 'subject_id', 'details'])
        .where('action', '=', 'impersonate')
        .where('subject_id', '=', nadiaId)
        .orderBy('id')
        .execute();
      expect(events.map((row) => [row.actor_id, row.subject_id, (row.details as { event: string }).event])).toEqual([
        [superAdminId, nadiaId, 'start'],
        [superAdminId, nadiaId, 'end'],
      ]);
      const impersonation = await database.db.selectFrom('impersonations').selectAll().where('agent_id', '=', nadiaId).executeTakeFirstOrThrow();
      expect(impersonation).toMatchObject({ super_admin_agent_id: superAdminId, reason: 'Ticket 4521 : agenda vide', end_reason: 'returned' });
      const requests = await database.db.selectFrom('impersonation_requests').select(['method', 'path']).where('impersonation_id', '=', impersonation.id).execute();
      expect(requests).toContainEqual({ method: 'POST', path: `/agents/organisations/${String(melunId)}/absences/nouvelle` });
      // After the return, nothing the super admin does names an impersonation.
      expect((await browser.post(app, '/agents/en-tant-que/fin', {})).statusCode).toBe(404);
      // The journal lists it.
      expect((await browser.get(app, '/super-admin/agents')).body).toContain('Retour au compte');
    });

    it('ends by expiry (injected clock): back to the super admin’s own session, with the end journaled', async () => {
      const { browser, app, at } = await signInSuperAdmin();
      const formPath = `/super-admin/agents/${String(nadiaId)}/en-tant-que`;
      await browser.get(app, formPath);
      expect((await browser.post(app, formPath, { motif: 'Vérifier un affichage' })).statusCode).toBe(303);
      expect((await browser.get(app, `/agents/organisations/${String(melunId)}/agenda`)).body).toContain('Vous êtes connecté en tant que Nadia Benali');

      const later = await appAt(at.getTime() - TEST_NOW.getTime() + 31 * 60_000);
      const expired = await browser.get(later, `/agents/organisations/${String(melunId)}/agenda`);
      expect(expired.statusCode).toBe(303);
      expect(expired.headers.location).toBe('/super-admin?fin=expiree');
      const home = await browser.get(later, '/super-admin?fin=expiree');
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('Votre connexion en tant qu’agent a expiré');
      expect(home.body).not.toContain('Vous êtes connecté en tant que');
      const row = await database.db.selectFrom('impersonations').select(['end_reason']).where('reason', '=', 'Vérifier un affichage').executeTakeFirstOrThrow();
      expect(row.end_reason).toBe('expired');
    });
  });

  describe('background jobs', () => {
    it('shows queues and failed jobs without personal data, and failed notification and export counts', async () => {
      const { browser, app } = await signInSuperAdmin();
      const before = await browser.get(app, '/super-admin/taches');
      expect(before.statusCode).toBe(200);
      expect(before.body).toContain('Notifications en échec');

      const runner = await startJobRunner({
        context: createTestContext(database),
        logger: createLogger('silent'),
        jobs: [{ name: 'test-super-admin-view', cron: '0 4 * * *', run: () => Promise.resolve(0) }],
        connectionString: database.url,
        pollingIntervalSeconds: 60,
      });
      await runner.stop();
      await sql`INSERT INTO pgboss.job (name, state, retry_count, output, completed_on)
        VALUES ('test-super-admin-view', 'failed', 2, ${JSON.stringify({ message: 'SMTP refusé pour "Camille Durand" <camille.durand@demo.creneau.fr> au 06 12 34 56 78', stack: 'Error: at x' })}::jsonb, now())`.execute(database.db);
      // A failure older than pg-boss's archiving delay lives in pgboss.archive: still shown.
      // (moved there as pg-boss does it: the job's row plus archived_on).
      await sql`INSERT INTO pgboss.job (name, state, retry_count, output, completed_on)
        VALUES ('test-super-admin-view', 'failed', 0, ${JSON.stringify({ message: 'délai dépassé' })}::jsonb, now() - interval '10 days')`.execute(database.db);
      await sql`WITH moved AS (DELETE FROM pgboss.job WHERE output->>'message' = 'délai dépassé' RETURNING *)
        INSERT INTO pgboss.archive SELECT moved.*, now() - interval '3 days' FROM moved`.execute(database.db);
      await database.db
        .updateTable('notifications')
        .set({ status: 'failed' })
        .where('id', '=', (eb) => eb.selectFrom('notifications').select((inner) => inner.fn.min('id').as('id')))
        .execute();

      const page = await browser.get(app, '/super-admin/taches');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('test-super-admin-view');
      expect(page.body).toContain('SMTP refusé pour [valeur] &lt;[adresse]&gt; au [numéro]');
      expect(page.body).toMatch(/test-super-admin-view<\/td><td>[^<]*\(archivée\)<\/td><td>1<\/td><td>délai dépassé/);
      expect(await sql`SELECT 1 FROM pgboss.job WHERE output->>'message' = 'délai dépassé'`.execute(database.db)).toMatchObject({ rows: [] });
      expect(page.body).not.toContain('camille.durand');
      expect(page.body).not.toContain('Camille Durand');
      expect(page.body).toMatch(/Notifications en échec : <strong>[1-9]/);
    });
  });
});

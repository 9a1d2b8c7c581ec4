import { accountMailQueueOf } from '../notifications/index.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, TEST_NOW } from '../../../test/support/app.js';
import { hiddenFields, InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';
import { currentUserId, requireUser } from './index.js';

const STRONG = 'un chemin de traverse vers la mer';
const ATTACKER = 'le mot de passe choisi par un autre';

describe('usager accounts', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let clock: Date;
  let settleMail: () => Promise<void>;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    clock = TEST_NOW;
    const context = { ...createTestContext(database), now: () => clock };
    settleMail = () => accountMailQueueOf(context, console).drain();
    app = await buildApp(context);
    await app.ready();
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
    const link = /https?:\/\/\S+jeton=\S+/.exec(mail?.text_body ?? '')?.[0];
    if (link === undefined) throw new Error('no link in the e-mail');
    return link.replace(/^https?:\/\/[^/]+/, '');
  }

  /** Opens an e-mailed link like a browser: the GET page, then its button. */
  async function follow(browser: InjectSession, link: string, extra: Record<string, string> = {}) {
    const page = await browser.get(link);
    if (page.statusCode !== 200) return page;
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields = hiddenFields(page.body);
    delete fields._csrf;
    return browser.post(action, { ...fields, ...extra });
  }

  async function signUp(email: string, password: string, names = { prenom: 'Inès', nom: 'Marchetti' }) {
    const browser = new InjectSession(app);
    await browser.get('/inscription');
    return browser.post('/inscription', { ...names, email, motDePasse: password });
  }

  async function signInWith(email: string, password: string) {
    const browser = new InjectSession(app);
    await browser.get('/connexion');
    return browser.post('/connexion', { email, motDePasse: password });
  }

  async function userRow(email: string) {
    return database.db.selectFrom('users').select(['id', 'first_name', 'last_name', 'password_hash', 'confirmed_at']).where('email', '=', email).executeTakeFirstOrThrow();
  }

  it('signs up, confirms the e-mail through the link’s button, and lands signed in with the chosen password', async () => {
    const created = await signUp('ines.marchetti@example.fr', STRONG);
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/inscription/verifiez-vos-e-mails');
    expect((await userRow('ines.marchetti@example.fr')).password_hash).toBeNull();
    expect((await signInWith('ines.marchetti@example.fr', STRONG)).statusCode).toBe(422);
    const browser = new InjectSession(app);
    const confirmed = await follow(browser, await lastLinkSentTo('ines.marchetti@example.fr'), { motDePasse: STRONG });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe('/mes-rdv?compte=active');
    expect((await browser.get('/mes-rdv?compte=active')).body).toContain('Votre compte est activé.');
    const user = await userRow('ines.marchetti@example.fr');
    expect(user.confirmed_at).not.toBeNull();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect((await signInWith('ines.marchetti@example.fr', STRONG)).statusCode).toBe(303);
    const pending = await database.db.selectFrom('access_tokens').select('id').where('user_id', '=', user.id).where('pending_password_hash', 'is not', null).execute();
    expect(pending).toEqual([]);
  });

  it('never signs in on the GET of an e-mailed link: the page shows a button and the link stays usable', async () => {
    await signUp('gabin.roux@example.fr', STRONG, { prenom: 'Gabin', nom: 'Roux' });
    const link = await lastLinkSentTo('gabin.roux@example.fr');
    const scanner = new InjectSession(app);
    for (let visit = 0; visit < 3; visit += 1) {
      const page = await scanner.get(link);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Activer mon compte');
      expect(page.headers['set-cookie']?.toString() ?? '').not.toContain('creneau_session');
    }
    expect((await userRow('gabin.roux@example.fr')).confirmed_at).toBeNull();
    expect((await follow(new InjectSession(app), link, { motDePasse: STRONG })).statusCode).toBe(303);
  });

  it('refuses a common password with a French message, keeping the other fields (422)', async () => {
    const response = await signUp('paul.martin@example.fr', 'motdepasse2024!', { prenom: 'Paul', nom: 'Martin' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('value="paul.martin@example.fr"');
    expect(response.body).toContain('id="motDePasse-erreur"');
    expect(await database.db.selectFrom('users').select('id').where('email', '=', 'paul.martin@example.fr').executeTakeFirst()).toBeUndefined();
  });

  it('signs in with the demo password and refuses a wrong one without saying which part is wrong', async () => {
    const wrong = await signInWith(DEMO_USER_EMAIL, 'pas le bon mot de passe');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('E-mail ou mot de passe incorrect');
    const unknown = await signInWith('personne@example.fr', 'pas le bon mot de passe');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('E-mail ou mot de passe incorrect');
    const browser = new InjectSession(app);
    await browser.get('/connexion');
    const ok = await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD, retour: '/prendre-rdv' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/prendre-rdv');
  });

  it('never redirects outside the site after sign-in', async () => {
    const browser = new InjectSession(app);
    await browser.get('/connexion');
    const response = await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD, retour: '//evil.example/' });
    expect(response.headers.location).toBe('/mes-rdv');
  });

  it('signs in with a single-use link by e-mail, and answers the same for an unknown address', async () => {
    const browser = new InjectSession(app);
    await browser.get('/connexion/lien?retour=/prendre-rdv');
    const sent = await browser.post('/connexion/lien', { email: DEMO_USER_EMAIL, retour: '/prendre-rdv' });
    expect(sent.headers.location).toBe('/connexion/lien/envoye');
    await browser.get('/connexion/lien');
    const unknown = await browser.post('/connexion/lien', { email: 'personne@example.fr' });
    expect(unknown.headers.location).toBe('/connexion/lien/envoye');
    const link = await lastLinkSentTo(DEMO_USER_EMAIL);
    const first = await follow(new InjectSession(app), link);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/prendre-rdv');
    const again = await new InjectSession(app).get(link);
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('a expiré ou a déjà servi');
  });

  it('refuses a tampered confirmation link with a 403 page, and a missing token with 400', async () => {
    expect((await new InjectSession(app).get('/inscription/confirmer?jeton=abc')).statusCode).toBe(403);
    expect((await new InjectSession(app).get('/inscription/confirmer')).statusCode).toBe(400);
  });

  describe('no account takeover through sign-up', () => {
    it('leaves a usager created by a prescripteur untouched, tells the owner, and lets only the mailbox set a password', async () => {
      const created = await database.db
        .insertInto('users')
        .values({ first_name: 'Léa', last_name: 'Bernard', email: 'lea.bernard@example.fr', created_through: 'prescripteur' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const attempt = await signUp('lea.bernard@example.fr', ATTACKER, { prenom: 'Mallory', nom: 'Pirate' });
      expect(attempt.statusCode).toBe(303);
      expect(attempt.headers.location).toBe('/inscription/verifiez-vos-e-mails');
      expect(await userRow('lea.bernard@example.fr')).toMatchObject({ first_name: 'Léa', last_name: 'Bernard', password_hash: null, confirmed_at: null });
      const mails = await mailsTo('lea.bernard@example.fr');
      expect(mails).toHaveLength(1);
      expect(mails[0]?.text_body).toContain('Quelqu’un a essayé de créer un compte avec votre adresse ; connectez-vous ou réinitialisez votre mot de passe.');
      expect(mails[0]?.text_body).toContain('/mot-de-passe-oublie');
      expect(mails[0]?.text_body).not.toContain('jeton=');
      expect((await signInWith('lea.bernard@example.fr', ATTACKER)).statusCode).toBe(422);
      const tokens = await database.db.selectFrom('access_tokens').select('id').where('user_id', '=', created.id).execute();
      expect(tokens).toEqual([]);
      // the owner proves the mailbox through a reset and chooses the password
      const browser = new InjectSession(app);
      await browser.get('/mot-de-passe-oublie');
      await browser.post('/mot-de-passe-oublie', { email: 'lea.bernard@example.fr' });
      expect((await follow(new InjectSession(app), await lastLinkSentTo('lea.bernard@example.fr'), { motDePasse: STRONG })).statusCode).toBe(303);
      expect((await signInWith('lea.bernard@example.fr', STRONG)).statusCode).toBe(303);
    });

    it('keeps the first sign-up of an unconfirmed address: a second sign-up changes nothing and gets no confirmation link', async () => {
      await signUp('nina.petit@example.fr', STRONG, { prenom: 'Nina', nom: 'Petit' });
      const ownerLink = await lastLinkSentTo('nina.petit@example.fr');
      const before = await userRow('nina.petit@example.fr');
      await signUp('nina.petit@example.fr', ATTACKER, { prenom: 'Mallory', nom: 'Pirate' });
      expect(await userRow('nina.petit@example.fr')).toEqual(before);
      const mails = await mailsTo('nina.petit@example.fr');
      expect(mails).toHaveLength(2);
      expect(mails[1]?.text_body).not.toContain('jeton=');
      expect((await follow(new InjectSession(app), ownerLink, { motDePasse: STRONG })).statusCode).toBe(303);
      expect((await signInWith('nina.petit@example.fr', ATTACKER)).statusCode).toBe(422);
      expect((await signInWith('nina.petit@example.fr', STRONG)).statusCode).toBe(303);
    });

    it('drops a password set on an unconfirmed record when the owner proves the mailbox with a sign-in link', async () => {
      // an account left by the former sign-up, which stored the password before confirmation
      const { hashPassword } = await import('../../platform/security/index.js');
      await database.db
        .insertInto('users')
        .values({ first_name: 'Mallory', last_name: 'Pirate', email: 'oscar.lemaire@example.fr', password_hash: await hashPassword(ATTACKER), created_through: 'user_sign_up' })
        .execute();
      expect((await signInWith('oscar.lemaire@example.fr', ATTACKER)).statusCode).toBe(422);
      const browser = new InjectSession(app);
      await browser.get('/connexion/lien');
      await browser.post('/connexion/lien', { email: 'oscar.lemaire@example.fr' });
      expect((await follow(new InjectSession(app), await lastLinkSentTo('oscar.lemaire@example.fr'))).statusCode).toBe(303);
      const user = await userRow('oscar.lemaire@example.fr');
      expect(user.confirmed_at).not.toBeNull();
      expect(user.password_hash).toBeNull();
      expect((await signInWith('oscar.lemaire@example.fr', ATTACKER)).statusCode).toBe(422);
    });

    it('does not hand an address’s account to whoever signed it up: activating asks for the password chosen at sign-up', async () => {
      // someone signs up with an address that is not theirs; its owner receives the link
      await signUp('maelle.fabre@example.fr', ATTACKER, { prenom: 'Mallory', nom: 'Pirate' });
      const link = await lastLinkSentTo('maelle.fabre@example.fr');
      const owner = new InjectSession(app);
      const page = await owner.get(link);
      expect(page.body).toContain('Mot de passe choisi à l’inscription');
      const refused = await owner.post('/inscription/confirmer', { jeton: hiddenFields(page.body).jeton ?? '', motDePasse: STRONG });
      expect(refused.statusCode).toBe(422);
      expect((await userRow('maelle.fabre@example.fr')).confirmed_at).toBeNull();
      // the owner takes the address back through a reset; the pending link and password are revoked
      await owner.get('/mot-de-passe-oublie');
      await owner.post('/mot-de-passe-oublie', { email: 'maelle.fabre@example.fr' });
      expect((await follow(new InjectSession(app), await lastLinkSentTo('maelle.fabre@example.fr'), { motDePasse: STRONG })).statusCode).toBe(303);
      expect((await new InjectSession(app).get(link)).statusCode).toBe(403);
      expect((await signInWith('maelle.fabre@example.fr', ATTACKER)).statusCode).toBe(422);
      expect((await signInWith('maelle.fabre@example.fr', STRONG)).statusCode).toBe(303);
    });

    it('leaves a confirmed account’s name and password as they were', async () => {
      const before = await userRow(DEMO_USER_EMAIL);
      const attempt = await signUp(DEMO_USER_EMAIL, ATTACKER, { prenom: 'Mallory', nom: 'Pirate' });
      expect(attempt.headers.location).toBe('/inscription/verifiez-vos-e-mails');
      expect(await userRow(DEMO_USER_EMAIL)).toEqual(before);
      expect((await mailsTo(DEMO_USER_EMAIL)).at(-1)?.subject).toBe('Tentative de création de compte avec votre adresse');
      expect((await signInWith(DEMO_USER_EMAIL, ATTACKER)).statusCode).toBe(422);
      expect((await signInWith(DEMO_USER_EMAIL, DEMO_PASSWORD)).statusCode).toBe(303);
    });

    it('revokes every other pending link once the mailbox is proven, and spends each link once', async () => {
      await signUp('remi.garnier@example.fr', STRONG, { prenom: 'Rémi', nom: 'Garnier' });
      const confirmation = await lastLinkSentTo('remi.garnier@example.fr');
      const browser = new InjectSession(app);
      await browser.get('/connexion/lien');
      await browser.post('/connexion/lien', { email: 'remi.garnier@example.fr' });
      const signInLink = await lastLinkSentTo('remi.garnier@example.fr');
      await browser.get('/mot-de-passe-oublie');
      await browser.post('/mot-de-passe-oublie', { email: 'remi.garnier@example.fr' });
      const resetLink = await lastLinkSentTo('remi.garnier@example.fr');
      expect((await follow(new InjectSession(app), confirmation, { motDePasse: STRONG })).statusCode).toBe(303);
      for (const link of [confirmation, signInLink, resetLink]) expect((await new InjectSession(app).get(link)).statusCode).toBe(403);
      // the button of a page opened before the confirmation no longer works either
      const later = await follow(new InjectSession(app), confirmation);
      expect(later.statusCode).toBe(403);
    });
  });

  describe('password reset', () => {
    it('sets a new password through the e-mailed link, with the policy, and signs in', async () => {
      const browser = new InjectSession(app);
      await browser.get('/connexion');
      expect(browser.lastBody).toContain('href="/mot-de-passe-oublie"');
      await browser.get('/mot-de-passe-oublie');
      const sent = await browser.post('/mot-de-passe-oublie', { email: 'puericultrice.meaux@demo.creneau.fr' });
      expect(sent.headers.location).toBe('/mot-de-passe-oublie/envoye');
      await browser.get('/mot-de-passe-oublie');
      expect((await browser.post('/mot-de-passe-oublie', { email: 'personne@example.fr' })).headers.location).toBe('/mot-de-passe-oublie/envoye');
      // no account under that address: nothing is sent (the agent e-mail belongs to no usager)
      expect(await mailsTo('personne@example.fr')).toEqual([]);

      await signUp('sacha.blanc@example.fr', 'une phrase de passe assez longue', { prenom: 'Sacha', nom: 'Blanc' });
      expect((await follow(new InjectSession(app), await lastLinkSentTo('sacha.blanc@example.fr'), { motDePasse: 'une phrase de passe assez longue' })).statusCode).toBe(303);
      await browser.get('/mot-de-passe-oublie');
      await browser.post('/mot-de-passe-oublie', { email: 'sacha.blanc@example.fr' });
      const link = await lastLinkSentTo('sacha.blanc@example.fr');
      const visitor = new InjectSession(app);
      expect((await visitor.get(link)).body).toContain('Choisir un nouveau mot de passe');
      const weak = await visitor.post('/mot-de-passe/nouveau', { jeton: hiddenFields(visitor.lastBody).jeton ?? '', motDePasse: 'motdepasse2024!' });
      expect(weak.statusCode).toBe(422);
      const done = await visitor.post('/mot-de-passe/nouveau', { jeton: hiddenFields(visitor.lastBody).jeton ?? '', motDePasse: STRONG });
      expect(done.statusCode).toBe(303);
      expect((await signInWith('sacha.blanc@example.fr', 'une phrase de passe assez longue')).statusCode).toBe(422);
      expect((await signInWith('sacha.blanc@example.fr', STRONG)).statusCode).toBe(303);
      expect((await new InjectSession(app).get(link)).statusCode).toBe(403);
    });
  });

  describe('per-account limits', () => {
    /** Wrong passwords for each address in turn, 20 s apart (beyond the 1–16 s delays). */
    async function failures(emails: string[], count: number): Promise<number[]> {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < count; attempt += 1) {
        for (const email of emails) statuses.push((await signInWith(email, `mauvais mot de passe ${String(attempt)}`)).statusCode);
        clock = new Date(clock.getTime() + 20_000);
      }
      return statuses;
    }

    it('delays after 5 failures and locks after 10 in 15 minutes, with the same answer whether the account exists or not', async () => {
      // ten failures each, spaced beyond the delays: the tenth locks
      expect(await failures([DEMO_USER_EMAIL, 'inconnu@example.fr'], 10)).toEqual(Array.from({ length: 20 }, () => 422));
      const known = await signInWith(DEMO_USER_EMAIL, DEMO_PASSWORD);
      const unknown = await signInWith('inconnu@example.fr', DEMO_PASSWORD);
      expect(known.statusCode).toBe(429);
      expect(unknown.statusCode).toBe(429);
      const message = (body: string) => /Trop de tentatives[^<]*/.exec(body)?.[0];
      expect(message(known.body)).toBeDefined();
      expect(message(known.body)).toBe(message(unknown.body));
      clock = new Date(clock.getTime() + 15 * 60_000);
      expect((await signInWith(DEMO_USER_EMAIL, DEMO_PASSWORD)).statusCode).toBe(303);
    });

    it('asks to wait after the fifth failure, even with the right password', async () => {
      for (let attempt = 0; attempt < 5; attempt += 1) await signInWith(DEMO_USER_EMAIL, 'mauvais mot de passe');
      expect((await signInWith(DEMO_USER_EMAIL, DEMO_PASSWORD)).statusCode).toBe(429);
      clock = new Date(clock.getTime() + 1_000);
      expect((await signInWith(DEMO_USER_EMAIL, DEMO_PASSWORD)).statusCode).toBe(303);
    });

    it('clears the failures at a successful sign-in', async () => {
      for (let attempt = 0; attempt < 4; attempt += 1) await signInWith(DEMO_USER_EMAIL, 'mauvais mot de passe');
      expect((await signInWith(DEMO_USER_EMAIL, DEMO_PASSWORD)).statusCode).toBe(303);
      expect(await database.db.selectFrom('sign_in_throttles').select('key_hash').execute()).toEqual([]);
    });

    it('sends at most 5 link e-mails an hour to one address', async () => {
      const before = (await mailsTo(DEMO_USER_EMAIL)).length;
      const browser = new InjectSession(app);
      for (let request = 0; request < 7; request += 1) {
        await browser.get('/connexion/lien');
        expect((await browser.post('/connexion/lien', { email: DEMO_USER_EMAIL })).headers.location).toBe('/connexion/lien/envoye');
      }
      expect((await mailsTo(DEMO_USER_EMAIL)).length - before).toBe(5);
    });
  });

  describe('requireUser', () => {
    it('sends anonymous visitors to sign-in with the current path (303), then lets the signed-in usager through', async () => {
      const guarded = await buildApp(createTestContext(database));
      guarded.get('/espace-test', { preHandler: requireUser }, (request) => ({ userId: currentUserId(request) }));
      await guarded.ready();
      try {
        const anonymous = await guarded.inject({ method: 'GET', url: '/espace-test?onglet=2' });
        expect(anonymous.statusCode).toBe(303);
        expect(anonymous.headers.location).toBe(`/connexion?retour=${encodeURIComponent('/espace-test?onglet=2')}`);
        const browser = new InjectSession(guarded);
        await browser.get('/connexion');
        const signedIn = await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD, retour: '/espace-test?onglet=2' });
        expect(signedIn.headers.location).toBe('/espace-test?onglet=2');
        const page = await browser.get('/espace-test?onglet=2');
        expect(page.statusCode).toBe(200);
        expect(page.json<{ userId: number }>().userId).toBeGreaterThan(0);
      } finally {
        await guarded.close();
      }
    });
  });
});

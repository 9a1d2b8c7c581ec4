import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';

describe('usager accounts', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  async function lastLinkSentTo(email: string): Promise<string> {
    const mail = await database.db
      .selectFrom('dev_outbox_emails')
      .select('text_body')
      .where('recipient', '=', email)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+jeton=\S+/.exec(mail.text_body)?.[0];
    if (link === undefined) throw new Error('no link in the e-mail');
    return link.replace(/^https?:\/\/[^/]+/, '');
  }

  it('signs up, confirms the e-mail through the link, and lands signed in', async () => {
    const browser = new InjectSession(app);
    await browser.get('/inscription');
    const created = await browser.post('/inscription', { prenom: 'Inès', nom: 'Marchetti', email: 'ines.marchetti@example.fr', motDePasse: 'un chemin de traverse vers la mer' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/inscription/verifiez-vos-e-mails');
    await browser.get('/connexion');
    const before = await browser.post('/connexion', { email: 'ines.marchetti@example.fr', motDePasse: 'un chemin de traverse vers la mer' });
    expect(before.statusCode).toBe(422);
    expect(before.body).toContain('pas encore confirmée');
    const confirmed = await browser.get(await lastLinkSentTo('ines.marchetti@example.fr'));
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe('/mes-rdv');
    const user = await database.db.selectFrom('users').select(['confirmed_at', 'password_hash']).where('email', '=', 'ines.marchetti@example.fr').executeTakeFirstOrThrow();
    expect(user.confirmed_at).not.toBeNull();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a common password with a French message, keeping the other fields (422)', async () => {
    const browser = new InjectSession(app);
    await browser.get('/inscription');
    const response = await browser.post('/inscription', { prenom: 'Paul', nom: 'Martin', email: 'paul.martin@example.fr', motDePasse: 'motdepasse2024!' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('value="paul.martin@example.fr"');
    expect(response.body).toContain('id="motDePasse-erreur"');
    expect(await database.db.selectFrom('users').select('id').where('email', '=', 'paul.martin@example.fr').executeTakeFirst()).toBeUndefined();
  });

  it('signs in with the demo password and refuses a wrong one without saying which part is wrong', async () => {
    const browser = new InjectSession(app);
    await browser.get('/connexion');
    const wrong = await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: 'pas le bon mot de passe' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('E-mail ou mot de passe incorrect');
    const unknown = await browser.post('/connexion', { email: 'personne@example.fr', motDePasse: 'pas le bon mot de passe' });
    expect(unknown.body).toContain('E-mail ou mot de passe incorrect');
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
    await browser.get('/connexion/lien');
    const sent = await browser.post('/connexion/lien', { email: DEMO_USER_EMAIL });
    expect(sent.headers.location).toBe('/connexion/lien/envoye');
    await browser.get('/connexion/lien');
    const unknown = await browser.post('/connexion/lien', { email: 'personne@example.fr' });
    expect(unknown.headers.location).toBe('/connexion/lien/envoye');
    const link = await lastLinkSentTo(DEMO_USER_EMAIL);
    const first = await browser.get(link);
    expect(first.statusCode).toBe(303);
    const again = await new InjectSession(app).get(link);
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('a expiré ou a déjà servi');
  });

  it('refuses a tampered confirmation link with a 403 page', async () => {
    const response = await new InjectSession(app).get('/inscription/confirmer?jeton=abc');
    expect(response.statusCode).toBe(403);
  });
});

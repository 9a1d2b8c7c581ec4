import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { buildTestApp } from '../../../test/support/app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';

describe('agent sign-in and sessions', () => {
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

  it('sends anonymous visitors of the workspace to the agent sign-in page, and back afterwards', async () => {
    const session = new InjectSession(app);
    const response = await session.get('/agents/compte');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agents/connexion?retour=%2Fagents%2Fcompte');
    await session.get(String(response.headers.location));
    const signedIn = await session.post('/agents/connexion', { email: DEMO_AGENT_EMAILS.melunBasic, motDePasse: DEMO_PASSWORD, retour: '/agents/compte' });
    expect(signedIn.headers.location).toBe('/agents/compte');
    const page = await session.get('/agents/compte');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nadia Benali');
  });

  it('refuses a wrong password, an intervenant and a usager with the same French answer (422)', async () => {
    for (const [email, password] of [
      [DEMO_AGENT_EMAILS.melunBasic, 'pas-le-bon-mot-de-passe'],
      [DEMO_USER_EMAIL, DEMO_PASSWORD],
      ['inconnu@demo.creneau.fr', DEMO_PASSWORD],
    ] as const) {
      const session = new InjectSession(app);
      await session.get('/agents/connexion');
      const response = await session.post('/agents/connexion', { email, motDePasse: password });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('E-mail ou mot de passe incorrect.');
    }
  });

  it('never carries a usager into an agent session, nor an agent into a usager one', async () => {
    const session = new InjectSession(app);
    await session.get('/connexion');
    expect((await session.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD })).statusCode).toBe(303);
    expect((await session.get('/mes-rdv')).statusCode).toBe(200);
    await session.get('/agents/connexion');
    expect((await session.post('/agents/connexion', { email: DEMO_AGENT_EMAILS.melunBasic, motDePasse: DEMO_PASSWORD })).statusCode).toBe(303);
    expect((await session.get('/mes-rdv')).statusCode).toBe(303);
    await session.get('/connexion');
    await session.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD });
    expect((await session.get('/agents/compte')).statusCode).toBe(303);
  });

  it('signs out everywhere: every session of the agent stops working', async () => {
    const first = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    const second = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    expect((await first.get('/agents/compte')).statusCode).toBe(200);
    await second.get('/agents/compte');
    expect((await second.post('/agents/compte/deconnexion-partout', {})).statusCode).toBe(303);
    expect((await first.get('/agents/compte')).statusCode).toBe(303);
    expect((await second.get('/agents/compte')).statusCode).toBe(303);
  });

  it('lets an agent of several organisations choose one, and sends the others straight to their agenda', async () => {
    const basic = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    const landing = await basic.get('/agents');
    expect(landing.statusCode).toBe(303);
    expect(String(landing.headers.location)).toMatch(/^\/agents\/organisations\/\d+\/agenda$/);
  });
});

// Platform rules checked on the real app: anonymous visitors write nothing, pages are not cached
// (static files are), and no token reaches the request logs, for any method and any path.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import type * as LoggerModule from '../../src/platform/logger/logger.js';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { createTestContext } from '../support/app.js';
import { InjectSession } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

// The app's log lines go to this array (the real logger options, another stream).
const logs = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('../../src/platform/logger/logger.js', async (importOriginal) => {
  const original = await importOriginal<typeof LoggerModule>();
  return {
    ...original,
    loggerOptions: (level: string) => ({ ...original.loggerOptions(level), stream: { write: (line: string) => logs.lines.push(line) } }),
  };
});

const TOKEN = 'Zq3xV9mK2pL7sT4wY8bN1cR6dF0gH5jA_k-Uo2iEe3M';

describe('platform security on the real app', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    const context = createTestContext(database);
    app = await buildApp({ ...context, config: { ...context.config, logLevel: 'info' } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('writes no session row for 20 anonymous visits of the home, search and sign-in pages', async () => {
    await database.db.deleteFrom('http_sessions').execute();
    const pages = ['/', '/connexion', '/inscription', '/connexion/lien', '/mot-de-passe-oublie', '/org/mds-meaux-inconnue', '/prendre-rdv', '/mes-rdv', '/recherche'];
    for (let visit = 0; visit < 20; visit += 1) {
      const browser = new InjectSession(app);
      for (const page of pages) expect((await browser.get(page)).statusCode).toBeLessThan(500);
    }
    expect(await database.db.selectFrom('http_sessions').select('session_id_hash').execute()).toEqual([]);
  });

  it('keeps the form token valid across the funnel’s first write to the session and across sign-in', async () => {
    const browser = new InjectSession(app);
    await browser.get('/');
    const searched = await browser.post('/recherche', { adresse: 'Melun' });
    expect(searched.statusCode).toBe(303);
    expect((await browser.get('/prendre-rdv')).statusCode).toBe(200);
    await browser.get('/connexion');
    const signedIn = await browser.post('/connexion', { email: 'camille.durand@demo.creneau.fr', motDePasse: 'Creneau-demo-2026' });
    expect(signedIn.statusCode).toBe(303);
    // the address survived sign-in, and the next form posts with the next page's token
    expect((await browser.get('/prendre-rdv')).statusCode).toBe(200);
    await browser.get('/mes-rdv');
    expect((await browser.post('/deconnexion', {})).statusCode).toBe(303);
  });

  it('sends no-store on pages, JSON and redirects, and keeps the max-age of static files', async () => {
    for (const url of ['/', '/connexion', '/health', '/mes-rdv', '/page-inconnue']) {
      expect((await app.inject({ method: 'GET', url })).headers['cache-control'], url).toBe('no-store');
    }
    const css = await app.inject({ method: 'GET', url: '/static/dsfr/dsfr.min.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toMatch(/max-age=\d+/);
  });

  it('keeps tokens out of the logs for any method and any path, matched or not', async () => {
    logs.lines.length = 0;
    const requests: { method: 'GET' | 'POST' | 'OPTIONS' | 'DELETE'; url: string }[] = [
      { method: 'GET', url: `/rdv/lien/${TOKEN}/rendez-vous/annuler` },
      { method: 'POST', url: `/rdv/lien/${TOKEN}` },
      { method: 'GET', url: `/invitation/${TOKEN}/suite` },
      { method: 'GET', url: `/invitation/${TOKEN}` },
      { method: 'GET', url: `/connexion/lien/verifier?jeton=${TOKEN}` },
      { method: 'GET', url: `/inscription/confirmer?retour=/x&jeton=${TOKEN}` },
      { method: 'OPTIONS', url: `/rdv/lien/${TOKEN}` },
      { method: 'DELETE', url: `/nulle-part/${TOKEN}` },
      { method: 'GET', url: `/nulle-part/${TOKEN}?jeton=${TOKEN}` },
    ];
    for (const request of requests) await app.inject(request);
    const all = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(all).toContain('/nulle-part/[jeton]');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN.slice(0, 20));
    expect(all).not.toContain('jeton=');
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { buildTestApp } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

describe('landing page and health', () => {
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

  it('serves the DSFR shell in French with skip links and the territories', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toMatch(/^<!DOCTYPE html><html lang="fr"/);
    expect(response.body).toContain('class="fr-skiplinks"');
    expect(response.body).toContain('href="#contenu"');
    expect(response.body).toContain('id="pied-de-page"');
    expect(response.body).toContain('Seine-et-Marne (77)');
  });

  it('offers "Mes rendez-vous" and sign-in as header quick links on every page', async () => {
    for (const url of ['/', '/connexion', '/page-inconnue']) {
      const body = (await app.inject({ method: 'GET', url })).body;
      const tools = body.slice(body.indexOf('fr-header__tools-links'), body.indexOf('</header>'));
      expect(tools).toContain('href="/mes-rdv"');
      expect(tools).toContain('href="/connexion"');
    }
  });

  it('sends a strict Content Security Policy without inline scripts', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('reports database reachability and migration state', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ status: string; database: { reachable: boolean; backend: string }; migrations: { pending: string[] } }>();
    expect(body.status).toBe('ok');
    expect(body.database.reachable).toBe(true);
    expect(body.database.backend).toBe(database.backend);
    expect(body.migrations.pending).toEqual([]);
  });

  it('answers an unknown page with a French 404 page', async () => {
    const response = await app.inject({ method: 'GET', url: '/nulle-part' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page non trouvée');
  });

  it('serves the DSFR assets', async () => {
    const response = await app.inject({ method: 'GET', url: '/static/dsfr/dsfr.min.css' });
    expect(response.statusCode).toBe(200);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';

const NOW = new Date('2026-11-24T09:00:00Z');

describe('public funnel, from the address to a week of slots', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database, NOW);
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('walks address → service → motif → place → week and offers slots to pick', async () => {
    const browser = new InjectSession(app);
    expect((await browser.get('/')).statusCode).toBe(200);
    const search = await browser.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
    expect(search.statusCode).toBe(303);
    expect(search.headers.location).toBe('/prendre-rdv');

    const services = await browser.get('/prendre-rdv');
    expect(services.body).toContain('Quel service souhaitez-vous rencontrer');
    const pmi = linksStartingWith(services.body, '/prendre-rdv?service=').find((href) => services.body.includes(`href="${href}">PMI`));
    expect(pmi).toBeDefined();

    const motifs = await browser.get(pmi!);
    expect(motifs.body).toContain('Consultation de puériculture — Sur place');
    const motifLink = [...motifs.body.matchAll(/href="([^"]+)">Consultation de puériculture — Sur place/g)][0]?.[1];

    const places = await browser.get(motifLink!.replaceAll('&amp;', '&'));
    expect(places.statusCode).toBe(200);
    expect(places.body).toContain('Prochaine disponibilité');
    const placeLinks = linksStartingWith(places.body, '/prendre-rdv?motif=');
    expect(placeLinks.length).toBeGreaterThanOrEqual(3);
    // sorted by distance: Melun first for an address in Melun
    expect(places.body.indexOf('MDS de Melun')).toBeLessThan(places.body.indexOf('MDS de Meaux'));

    const week = await browser.get(placeLinks[0]!);
    expect(week.body).toContain('Choisissez un horaire');
    expect(linksStartingWith(week.body, '/prendre-rdv/creneau?').length).toBeGreaterThan(0);
    expect(linksStartingWith(week.body, '/prendre-rdv?').some((href) => href.includes('semaine='))).toBe(true);
  });

  it('asks to accept the motif’s restriction before showing places', async () => {
    const browser = new InjectSession(app);
    await browser.get('/');
    await browser.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
    const motif = await database.db.selectFrom('appointment_types').select('id').where('name', '=', 'Consultation prénatale avec une sage-femme').orderBy('id').executeTakeFirstOrThrow();
    const page = await browser.get(`/prendre-rdv?motif=${String(motif.id)}`);
    expect(page.body).toContain('À lire avant de prendre rendez-vous');
    const accept = linksStartingWith(page.body, '/prendre-rdv?').find((href) => href.includes('restriction=acceptee'));
    const places = await browser.get(accept!);
    expect(places.body).toContain('Prochaine disponibilité');
  });

  it('keeps the typed address and explains the error when it is too short or unknown (422)', async () => {
    const browser = new InjectSession(app);
    await browser.get('/');
    const short = await browser.post('/recherche', { adresse: 'a' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('au moins 3 caractères');
    expect(short.body).toContain('aria-describedby="adresse-erreur"');
    const unknown = await browser.post('/recherche', { adresse: 'zzzzqqqq xxyy' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain('value="zzzzqqqq xxyy"');
    expect(unknown.body).toContain('Adresse introuvable');
  });

  it('refuses a search without a valid CSRF token (403) and sends the funnel back home without an address', async () => {
    const forged = await app.inject({ method: 'POST', url: '/recherche', payload: 'adresse=Melun', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(forged.statusCode).toBe(403);
    const funnel = await app.inject({ method: 'GET', url: '/prendre-rdv' });
    expect(funnel.statusCode).toBe(303);
    expect(funnel.headers.location).toBe('/');
  });

  it('answers an unknown motif or place with a 404 page, and a malformed query with a 400 page', async () => {
    const browser = new InjectSession(app);
    await browser.get('/');
    await browser.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
    expect((await browser.get('/prendre-rdv?motif=999999')).statusCode).toBe(404);
    expect((await browser.get('/prendre-rdv?lieu=999999&motif=1')).statusCode).toBe(404);
    for (const query of ['service=abc', 'motif=1&motif=2', `semaine=${'9'.repeat(300)}`, 'semaine=2026-02-30x']) {
      const response = await browser.get(`/prendre-rdv?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('La requête n’a pas pu être comprise');
    }
  });

  it('explains that a département not served has no online booking', async () => {
    const browser = new InjectSession(app);
    await browser.get('/');
    const search = await browser.post('/recherche', { adresse: '69001' });
    if (search.statusCode === 200) await browser.post('/recherche/choix', { choix: '0' });
    const page = await browser.get('/prendre-rdv');
    expect(page.body).toContain('Aucun rendez-vous en ligne pour cette adresse');
  });

  it('opens the funnel from an organisation’s public link, by slug or external id, with only its places', async () => {
    const browser = new InjectSession(app);
    const link = await browser.get('/org/mds-meaux');
    expect(link.statusCode).toBe(303);
    const services = await browser.get('/prendre-rdv');
    expect(services.body).toContain('Maison départementale des solidarités de Meaux');
    const motif = await database.db
      .selectFrom('appointment_types as t')
      .innerJoin('organisations as o', 'o.id', 't.organisation_id')
      .select('t.id')
      .where('t.name', '=', 'Consultation de puériculture')
      .where('o.slug', '=', 'mds-meaux')
      .executeTakeFirstOrThrow();
    const places = await browser.get(`/prendre-rdv?motif=${String(motif.id)}`);
    expect(places.body).toContain('MDS de Meaux');
    expect(places.body).not.toContain('MDS de Melun');
    expect((await new InjectSession(app).get('/org/77/externe/MDS-FONTAINEBLEAU')).statusCode).toBe(303);
    expect((await new InjectSession(app).get('/org/77/externe/INCONNUE')).statusCode).toBe(404);
    expect((await new InjectSession(app).get('/org/nulle-part')).statusCode).toBe(404);
  });
});

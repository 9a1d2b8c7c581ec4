import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { InjectSession, linksStartingWith } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { formatBundleError, importTerritoryBundle, readBundleDirectory, validateBundle } from './index.js';

const SLOW = 240_000;

/** A citizen types an address on the home page and walks to the places of a motif. */
async function placesFor(app: FastifyInstance, address: string, serviceLabel: string, motifLabel: string): Promise<{ services: string; places: string; week: string }> {
  const browser = new InjectSession(app);
  await browser.get('/');
  const search = await browser.post('/recherche', { adresse: address });
  expect(search.statusCode).toBe(303);
  const services = (await browser.get('/prendre-rdv')).body;
  const serviceLink = linksStartingWith(services, '/prendre-rdv?service=').find((href) => services.includes(`href="${href.replaceAll('&', '&amp;')}">${serviceLabel}`));
  if (serviceLink === undefined) return { services, places: '', week: '' };
  const motifs = (await browser.get(serviceLink)).body;
  const motifLink = [...motifs.matchAll(/href="([^"]+)">([^<]+)</g)].find((match) => match[2] === motifLabel)?.[1]?.replaceAll('&amp;', '&');
  expect(motifLink, `motif « ${motifLabel} » proposé`).toBeDefined();
  const places = (await browser.get(motifLink ?? '/')).body;
  const placeLink = linksStartingWith(places, '/prendre-rdv?motif=')[0];
  const week = placeLink === undefined ? '' : (await browser.get(placeLink)).body;
  return { services, places, week };
}

describe('after territory:import, the public funnel offers the Calvados with no restart', { timeout: SLOW }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await openTestDatabase();
    app = await buildTestApp(database);
  }, SLOW);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('answers "14000 Caen" with no online booking before the import, then with the Caen organisation’s motifs, places and slots after it', async () => {
    const before = new InjectSession(app);
    await before.get('/');
    expect((await before.post('/recherche', { adresse: '14000 Caen' })).statusCode).toBe(303);
    expect((await before.get('/prendre-rdv')).body).toContain('Aucun rendez-vous en ligne pour cette adresse');

    // The same running app (same database handle, no rebuild) sees the imported territory.
    const { files } = await readBundleDirectory('examples/territories/calvados-14');
    const validation = validateBundle(files);
    if (!validation.ok) throw new Error(validation.errors.map(formatBundleError).join('\n'));
    await importTerritoryBundle(database.db, validation.bundle);

    const home = await new InjectSession(app).get('/');
    expect(home.body).toContain('Calvados');

    const pmi = await placesFor(app, '14000 Caen', 'PMI', 'Consultation de puériculture — Sur place');
    expect(pmi.services).toContain('Service social');
    expect(pmi.places).toContain('Prochaine disponibilité');
    // The places where the Caen organisation's PMI agents hold this motif, and only those.
    expect(pmi.places).toContain('MDS de Caen Nord');
    expect(pmi.places).toContain('Antenne de Falaise');
    // Sectorised at the organisation level: Caen is not in the Bessin's sector.
    expect(pmi.places).not.toContain('MDS de Bayeux');
    expect(linksStartingWith(pmi.week, '/prendre-rdv/creneau?').length).toBeGreaterThan(0);

    const bayeux = await placesFor(app, '14400 Bayeux', 'Service social', 'Premier rendez-vous avec une assistante sociale — Sur place');
    expect(bayeux.places).toContain('MDS de Bayeux');
    expect(bayeux.places).not.toContain('MDS de Caen Nord');
  });
});

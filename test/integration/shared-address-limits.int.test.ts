// Issue "Trustworthy before bigger": 50 people behind one address (a social-services office's NAT)
// must still be able to book. Per-address limits of the booking pages are high enough for that;
// what protects against guessing is per link and per account (README, "Limites").
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { TEST_NOW, buildTestApp } from '../support/app.js';
import { InjectSession, hiddenFields, linksStartingWith } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const PEOPLE = 50;

describe('per-address limits and a shared office address', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database, TEST_NOW);
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('lets 50 people behind one address search, reach the booking form and send it, none refused with 429', async () => {
    const statuses: number[] = [];
    const first = new InjectSession(app);
    await first.get('/');
    await first.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
    const motif = await database.db.selectFrom('appointment_types').select('id').where('name', '=', 'Consultation de puériculture').orderBy('id').executeTakeFirstOrThrow();
    const places = await first.get(`/prendre-rdv?motif=${String(motif.id)}`);
    const week = await first.get(linksStartingWith(places.body, `/prendre-rdv?motif=${String(motif.id)}&`)[0]!);
    const slot = linksStartingWith(week.body, '/prendre-rdv/creneau?')[0]!;
    const slotFields = Object.fromEntries(new URL(slot, 'http://x').searchParams);
    for (let person = 0; person < PEOPLE; person += 1) {
      const browser = new InjectSession(app);
      const home = await browser.get('/');
      statuses.push(home.statusCode);
      statuses.push((await browser.post('/recherche', { ...hiddenFields(home.body), adresse: '20 quai Hippolyte Rossignol 77000 Melun' })).statusCode);
      statuses.push((await browser.get(slot)).statusCode);
      // A page with a form, for this session's token; then the booking form, sent anonymously:
      // it sends them to identify themselves (303) and counts like a real attempt.
      const page = await browser.get('/');
      statuses.push((await browser.post('/prendre-rdv/confirmer', { ...hiddenFields(page.body), ...slotFields, cle: `bureau-partage-${String(person).padStart(4, '0')}` })).statusCode);
    }
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 303]));
  });
});

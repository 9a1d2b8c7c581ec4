// Every return address of the app ("retour" on the auth pages, the paths that the booking pages
// turn into `/connexion?retour=…`) receives hostile values, signed in and anonymous: no answer
// is a 5xx, every Location is a local path of printable ASCII, and the process keeps serving.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../src/modules/access-tokens/index.js';
import { DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../src/seed/index.js';
import { buildTestApp } from '../support/app.js';
import { InjectSession } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const HOSTILE = [
  '\u0000',
  '/\u0000',
  '\r\nSet-Cookie: x=y',
  '/\r\nSet-Cookie: x=y',
  '✓',
  '/✓',
  '/😀',
  '/\uD800',
  '//evil.example',
  '/\\evil',
  'https://evil.example',
  `/${'a'.repeat(10_000)}`,
];

/** A local path: one leading slash, then printable ASCII only. */
const LOCAL_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

/** Percent-encodes like a browser (a lone surrogate travels as U+FFFD). */
function encode(value: string): string {
  return encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
}

function check(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, what).toBeLessThan(500);
  const location = response.headers.location;
  if (location !== undefined) expect(location, what).toMatch(LOCAL_PATH);
  expect(String(response.headers['set-cookie'] ?? ''), what).not.toContain('x=y');
}

describe('hostile return addresses', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let userId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    app = await buildTestApp(database);
    userId = (await database.db.selectFrom('users').select('id').where('email', '=', DEMO_USER_EMAIL).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  async function visitor(signedIn: boolean): Promise<InjectSession> {
    const browser = new InjectSession(app);
    if (signedIn) {
      await browser.get('/connexion');
      expect((await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD })).statusCode).toBe(303);
    }
    return browser;
  }

  for (const signedIn of [false, true]) {
    const who = signedIn ? 'signed in' : 'anonymous';

    it(`answers the auth pages' retour below 500 with local Locations only (${who})`, async () => {
      const browser = await visitor(signedIn);
      for (const value of HOSTILE) {
        const query = `retour=${encode(value)}`;
        for (const page of ['/connexion', '/inscription', '/connexion/lien']) check(await browser.get(`${page}?${query}`), `GET ${page} ${JSON.stringify(value.slice(0, 20))}`);
        await browser.get('/connexion');
        check(await browser.post('/connexion', { email: DEMO_USER_EMAIL, motDePasse: DEMO_PASSWORD, retour: value }), `POST /connexion ${JSON.stringify(value.slice(0, 20))}`);
        await browser.get('/inscription');
        check(await browser.post('/inscription', { prenom: 'Jeanne', nom: 'Leroy', email: DEMO_USER_EMAIL, motDePasse: 'un chemin de traverse vers la mer', retour: value }), 'POST /inscription');
        await browser.get('/connexion/lien');
        check(await browser.post('/connexion/lien', { email: 'personne@example.fr', retour: value }), 'POST /connexion/lien');
        const { token } = await issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId, now: new Date('2026-11-24T09:00:00Z') });
        check(await browser.get(`/connexion/lien/verifier?jeton=${token}&${query}`), 'GET /connexion/lien/verifier');
        check(await browser.post('/connexion/lien/verifier', { jeton: token, retour: value }), 'POST /connexion/lien/verifier');
        check(await browser.get(`/inscription/confirmer?jeton=${token}&${query}`), 'GET /inscription/confirmer');
        await browser.get('/connexion');
        check(await browser.post('/inscription/confirmer', { jeton: token, retour: value }), 'POST /inscription/confirmer');
      }
    });

    it(`refuses a return address given twice with 400 (${who})`, async () => {
      const browser = await visitor(signedIn);
      expect((await browser.get('/connexion?retour=/a&retour=/b')).statusCode).toBe(400);
      await browser.get('/connexion');
      const response = await app.inject({
        method: 'POST',
        url: '/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=a%40b.fr&motDePasse=x&retour=%2Fa&retour=%2Fb`,
      });
      expect(response.statusCode).toBeLessThan(500);
    });

    it(`answers the booking pages that send anonymous visitors to sign-in below 500 with local Locations (${who})`, async () => {
      const browser = await visitor(signedIn);
      for (const value of HOSTILE) {
        const segment = encode(value);
        for (const url of [`/mes-rdv/${segment}/annuler`, `/mes-rdv/${segment}/deplacer`, `/mes-rdv?retour=${segment}`, `/prendre-rdv/creneau?retour=${segment}`, `/prendre-rdv/prescripteur/confirmation?retour=${segment}`]) {
          check(await browser.get(url), `GET ${url.slice(0, 60)}`);
        }
      }
    });
  }

  it('keeps serving afterwards', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
  });
});

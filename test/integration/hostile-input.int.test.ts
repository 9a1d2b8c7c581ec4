// SECURITY.md, "Input": every field and query parameter of the citizen pages receives hostile
// values (control characters, CR/LF, characters outside Latin-1, 10 000 characters, the field
// twice, JSON objects where a form is expected). Whatever arrives, the answer is a 4xx (or the
// page itself) — never a 500 — and the process keeps serving.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../src/seed/index.js';
import { signInAgent } from '../support/agents.js';
import { TEST_NOW, buildTestApp } from '../support/app.js';
import { InjectSession } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const HOSTILE = ['\u0000', '\r\nSet-Cookie: pris=1', '✓', '😀', 'é'.repeat(300), 'x'.repeat(10_000), '   ', '-1', '9'.repeat(30), '2026-02-30', '../../etc/passwd', '<script>alert(1)</script>'];

const GET_QUERIES: Record<string, readonly string[]> = {
  '/prendre-rdv': ['service', 'motif', 'lieu', 'organisation', 'semaine', 'restriction', 'indisponible'],
  '/prendre-rdv/creneau': ['motif', 'lieu', 'organisation', 'debut', 'seance', 'restriction'],
  '/prendre-rdv/prescripteur': ['motif', 'lieu', 'debut'],
  '/connexion': ['retour'],
  '/mes-rdv': ['semaine'],
};

const PATHS_WITH_IDS = ['/mes-rdv/', '/rdv/lien/', '/invitation/', '/org/', '/rdv/'];

const POST_FORMS: Record<string, readonly string[]> = {
  '/recherche': ['adresse'],
  '/recherche/choix': ['choix'],
  '/prendre-rdv/confirmer': ['motif', 'lieu', 'debut', 'cle', 'prenom', 'nom', 'naissance', 'telephone', 'adresse', 'pourQui', 'prochePrenom', 'procheNom', 'procheNaissance'],
  '/prendre-rdv/prescripteur': ['motif', 'lieu', 'debut', 'cle', 'prescripteurPrenom', 'prescripteurNom', 'prescripteurEmail', 'beneficiaireNom', 'beneficiaireTelephone'],
};

describe('hostile input on the citizen pages', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: InjectSession;
  const statuses: number[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database, TEST_NOW);
    browser = new InjectSession(app);
    await browser.get('/');
    // An address in the session, so that the funnel's routes go past their first check.
    await browser.post('/recherche', { adresse: '20 quai Hippolyte Rossignol 77000 Melun' });
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  const expectClientAnswer = (url: string, statusCode: number): void => {
    statuses.push(statusCode);
    expect(statusCode, url.slice(0, 120)).toBeLessThan(500);
  };

  it('answers every hostile query parameter without a server error', async () => {
    for (const [path, fields] of Object.entries(GET_QUERIES)) {
      for (const field of fields) {
        for (const value of HOSTILE) {
          const url = `${path}?${new URLSearchParams({ [field]: value }).toString()}`;
          expectClientAnswer(url, (await browser.get(url)).statusCode);
        }
        const twice = `${path}?${field}=1&${field}=2`;
        expectClientAnswer(twice, (await browser.get(twice)).statusCode);
      }
    }
  });

  it('answers hostile path segments with 4xx pages', async () => {
    for (const prefix of PATHS_WITH_IDS) {
      for (const value of HOSTILE) {
        const url = `${prefix}${encodeURIComponent(value)}${prefix === '/rdv/' ? '/confirmation' : ''}`;
        const response = await browser.get(url);
        expectClientAnswer(url, response.statusCode);
        expect(response.statusCode).toBeGreaterThanOrEqual(300);
      }
    }
  });

  it('answers hostile, repeated and JSON form fields without a server error', async () => {
    for (const [path, fields] of Object.entries(POST_FORMS)) {
      await browser.get('/');
      for (const field of fields) {
        for (const value of HOSTILE) {
          expectClientAnswer(path, (await browser.post(path, { [field]: value })).statusCode);
        }
      }
      await browser.get('/');
      const token = /name="_csrf" value="([^"]+)"/.exec(browser.lastBody)?.[1] ?? '';
      const repeated = await browser.send('POST', path, `_csrf=${encodeURIComponent(token)}&${fields[0] ?? 'x'}=a&${fields[0] ?? 'x'}=b`, 'application/x-www-form-urlencoded');
      expectClientAnswer(path, repeated.statusCode);
      const json = await browser.send('POST', path, JSON.stringify({ _csrf: token, [fields[0] ?? 'x']: { $ne: '' }, cle: ['a'] }), 'application/json');
      expectClientAnswer(path, json.statusCode);
      const xml = await browser.send('POST', path, '<a/>', 'text/xml');
      expectClientAnswer(path, xml.statusCode);
    }
  });

  it('is still serving afterwards, and refused most of it', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect(statuses.filter((status) => status >= 400).length).toBeGreaterThan(statuses.length / 2);
  });
});

describe('hostile input on the users directory (agent pages)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let agent: InjectSession;
  let base = '';
  const FORM_FIELDS = ['prenom', 'nom', 'nomNaissance', 'naissance', 'email', 'telephone', 'adresse', 'notifSms', 'caisse', 'numeroAllocataire', 'situationFamiliale', 'nombreEnfants', 'logement', 'numeroDossier', 'notes', 'responsable', 'doublons', 'confirmerDoublon'];

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    await database.db.updateTable('territories').set({ user_fields: ['caisse_affiliation', 'affiliation_number', 'family_situation', 'number_of_children', 'housing', 'case_number', 'notes'] }).execute();
    app = await buildTestApp(database, TEST_NOW);
    agent = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    const melun = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    base = `/agents/organisations/${String(melun.id)}/usagers`;
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('answers every hostile search, path and form value with a 4xx or the page, and stores nothing hostile', { timeout: 240_000 }, async () => {
    const usersBefore = await database.db.selectFrom('users').select('id').execute();
    for (const value of HOSTILE) {
      const search = `${base}?${new URLSearchParams({ recherche: value }).toString()}`;
      expect((await agent.get(search)).statusCode, search.slice(0, 120)).toBeLessThan(500);
      const path = `${base}/${encodeURIComponent(value)}`;
      expect((await agent.get(path)).statusCode, path.slice(0, 120)).toBeGreaterThanOrEqual(400);
    }
    for (const target of [`${base}/nouveau`, `${base}/${String(usersBefore[1]?.id ?? 0)}/modifier`]) {
      for (const field of FORM_FIELDS) {
        for (const value of HOSTILE) {
          await agent.get(`${base}/nouveau`);
          const response = await agent.post(target, { prenom: 'Valide', nom: 'Valide', [field]: value });
          expect([303, 400, 404, 422], `${target} ${field}`).toContain(response.statusCode);
        }
      }
      await agent.get(`${base}/nouveau`);
      const token = /name="_csrf" value="([^"]+)"/.exec(agent.lastBody)?.[1] ?? '';
      expect((await agent.send('POST', target, `_csrf=${encodeURIComponent(token)}&nom=a&nom=b`, 'application/x-www-form-urlencoded')).statusCode).toBeLessThan(500);
      expect((await agent.send('POST', target, JSON.stringify({ _csrf: token, nom: { $ne: '' } }), 'application/json')).statusCode).toBeLessThan(500);
    }
    const stored = await database.db.selectFrom('users').select(['first_name', 'last_name', 'birth_name', 'address', 'case_number', 'affiliation_number']).execute();
    // eslint-disable-next-line no-control-regex -- no control character reaches the table
    expect(stored.filter((row) => Object.values(row).some((text) => typeof text === 'string' && /[\u0000-\u001f]/.test(text)))).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

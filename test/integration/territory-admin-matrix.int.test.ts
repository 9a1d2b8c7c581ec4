import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/platform/http/route-catalogue.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../src/seed/index.js';
import { signInAgent } from '../support/agents.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import type { InjectSession } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { prepareTerritoryAdmins } from '../support/territory-admins.js';

/**
 * The authorisation matrix of the territory administration (issue 11 §2, ADR 0030): every route
 * under `/agents/territoires/:territoryId…`, found in the app's route catalogue (so a route added
 * later — sectorisation — is covered without being listed here), is requested with Seine-et-Marne's
 * ids by the territorial admin of La Réunion, by the admin of Melun (an organisation admin who is
 * not a territorial admin) and by a basic agent: every answer must be 404 (never 403, 200 or 500).
 * The territorial admin of Seine-et-Marne gets every page (GET) without a 404 or a 500.
 */

type IdsByParam = Record<string, number | string>;

const TERRITORY_PREFIX = '/agents/territoires/:territoryId';

/** The route's URL with each `:param` replaced from `ids`; a parameter without an id fails the test (cover it). */
function fill(url: string, ids: IdsByParam): string {
  return url.replace(/:([A-Za-z]+)(\.[a-z]+)?/g, (_match, name: string, suffix: string | undefined) => {
    const id = ids[name];
    if (id === undefined || (typeof id === 'number' && Number.isNaN(id))) throw new Error(`The territory matrix has no id for :${name} (route ${url}): add it to idsOf77()`);
    return `${String(id)}${suffix ?? ''}`;
  });
}

/** Bodies that pass the route schemas, so that authorisation (not a 400) decides the answer. */
const WELL_FORMED_BODIES: readonly { suffix: string; body: (ids: IdsByParam) => Record<string, string> }[] = [
  { suffix: '/organisations/nouvelle', body: () => ({ nom: 'Matrice', slug: 'matrice-territoire' }) },
  { suffix: '/organisations/:organisationId/modifier', body: () => ({ nom: 'Matrice', slug: 'matrice-territoire' }) },
  { suffix: '/agents/inviter', body: (ids) => ({ organisation: String(ids.organisationId), prenom: 'Matrice', nom: 'Test', email: 'matrice@example.fr', niveau: 'basic', service: String(ids.serviceId) }) },
  { suffix: '/agents/:agentId/organisations', body: (ids) => ({ organisation: String(ids.organisationId), niveau: 'basic' }) },
  { suffix: '/agents/:agentId/admin-territorial/retrait', body: () => ({ confirmer: 'oui' }) },
  { suffix: '/categories', body: () => ({ nom: 'Matrice', code: 'matrice' }) },
  { suffix: '/champs', body: () => ({ champs: 'notes', portee: 'territory' }) },
  { suffix: '/jours-feries', body: () => ({ region: 'FR-57' }) },
  { suffix: '/fermetures', body: () => ({ libelle: 'Matrice', debut: '2026-12-07' }) },
  { suffix: '/secteurs/nouveau', body: () => ({ nom: 'Secteur matrice', identifiant: 'matrice' }) },
  { suffix: '/secteurs/:sectorId/modifier', body: () => ({ nom: 'Secteur matrice', identifiant: 'matrice' }) },
  { suffix: '/zones/commune', body: () => ({ codeInsee: '77001' }) },
  { suffix: '/zones/rue', body: () => ({ idVoie: '77288_0001', nomVoie: 'Rue de la Matrice' }) },
  { suffix: '/secteurs/:sectorId/attributions', body: (ids) => ({ cible: `organisation:${String(ids.organisationId)}` }) },
  { suffix: '/confirmer', body: () => ({ empreinte: '0'.repeat(64) }) },
];

function bodyFor(url: string, ids: IdsByParam): Record<string, string> {
  return WELL_FORMED_BODIES.find((entry) => url.endsWith(entry.suffix))?.body(ids) ?? {};
}

describe('authorisation matrix of the territory administration: roles × routes × ids of Seine-et-Marne', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const sessions = new Map<string, InjectSession>();
  let ids77: IdsByParam = {};

  async function idsOf77(territoryId: number): Promise<IdsByParam> {
    const db = database.db;
    const melun = await db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const nadia = await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow();
    const rsa = await db.selectFrom('services').select('id').where('short_name', '=', 'RSA').executeTakeFirstOrThrow();
    const category = await db.selectFrom('motif_categories').select('id').where('short_name', '=', 'rsa_orientation').executeTakeFirstOrThrow();
    const closure = await db.insertInto('territory_closures').values({ territory_id: territoryId, first_day: '2026-12-24', last_day: '2026-12-24', label: 'Fermeture de la matrice' }).returning('id').executeTakeFirstOrThrow();
    // Sectorisation (ADR 0031): the demo's sector of Melun, one of its zones and attributions; an import id nobody made.
    const sector = await db.selectFrom('sectors').select('id').where('territory_id', '=', territoryId).where('human_id', '=', 'melun').executeTakeFirstOrThrow();
    const zone = await db.selectFrom('zones').select('id').where('sector_id', '=', sector.id).orderBy('id').executeTakeFirstOrThrow();
    const attribution = await db.selectFrom('sector_attributions').select('id').where('sector_id', '=', sector.id).orderBy('id').executeTakeFirstOrThrow();
    return {
      territoryId,
      organisationId: melun.id,
      agentId: nadia.id,
      serviceId: rsa.id,
      categoryId: category.id,
      closureId: closure.id,
      sectorId: sector.id,
      zoneId: zone.id,
      attributionId: attribution.id,
      importId: '0123456789abcdef0123456789abcdef',
    };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    const { territory77 } = await prepareTerritoryAdmins(database.db);
    ids77 = await idsOf77(territory77);
    app = await buildTestApp(database);
    for (const [name, email] of Object.entries({ reunionAdmin: DEMO_AGENT_EMAILS.reunionAdmin, melunAdmin: DEMO_AGENT_EMAILS.melunAdmin, basic: DEMO_AGENT_EMAILS.melunBasic, admin77: DEMO_AGENT_EMAILS.territoryAdmin77 })) {
      sessions.set(name, await signInAgent(app, email));
    }
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  const session = (name: string): InjectSession => {
    const value = sessions.get(name);
    if (value === undefined) throw new Error(name);
    return value;
  };
  const territoryRoutes = () => registeredRoutes(app).filter((route) => route.url === TERRITORY_PREFIX || route.url.startsWith(`${TERRITORY_PREFIX}/`));

  it('finds the territory routes in the catalogue, and has an id for every parameter', () => {
    const routes = territoryRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const route of routes) expect(() => fill(route.url, ids77)).not.toThrow();
    expect(routes.filter((route) => route.method === 'GET').map((route) => route.url)).toContain(TERRITORY_PREFIX);
  });

  for (const [who, name] of [
    ['the territorial admin of La Réunion', 'reunionAdmin'],
    ['the admin of Melun, who is not a territorial admin', 'melunAdmin'],
    ['a basic agent of Melun', 'basic'],
  ] as const) {
    it(`${who}: every route with Seine-et-Marne’s ids answers 404 and changes nothing`, { timeout: 120_000 }, async () => {
      const answers: string[] = [];
      for (const route of territoryRoutes()) {
        const url = fill(route.url, ids77);
        // A POST carries a valid CSRF token (read from a page of the session), so only authorisation decides.
        if (route.method !== 'GET') await session(name).get('/agents/compte');
        const response = route.method === 'GET' ? await session(name).get(url) : await session(name).post(url, bodyFor(route.url, ids77));
        answers.push(`${route.method} ${route.url} → ${String(response.statusCode)}`);
      }
      expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
      expect(await database.db.selectFrom('territory_closures').select('id').where('id', '=', Number(ids77.closureId)).execute()).toHaveLength(1);
      expect(await database.db.selectFrom('organisations').select('id').where('slug', '=', 'matrice-territoire').execute()).toEqual([]);
      expect(await database.db.selectFrom('agents').select('id').where('email', '=', 'matrice@example.fr').execute()).toEqual([]);
      expect(await database.db.selectFrom('sectors').select('id').where('id', '=', Number(ids77.sectorId)).execute()).toHaveLength(1);
      expect(await database.db.selectFrom('zones').select('id').where('id', '=', Number(ids77.zoneId)).execute()).toHaveLength(1);
      expect(await database.db.selectFrom('sectors').select('id').where('human_id', '=', 'matrice').execute()).toEqual([]);
    });
  }

  it('the territorial admin of Seine-et-Marne gets every page of it (no 404, no 500)', { timeout: 120_000 }, async () => {
    const answers: string[] = [];
    for (const route of territoryRoutes().filter((candidate) => candidate.method === 'GET')) {
      const response = await session('admin77').get(fill(route.url, ids77));
      answers.push(`${route.url} → ${String(response.statusCode)}`);
    }
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.endsWith('→ 404') || / → 5\d\d$/.test(answer))).toEqual([]);
  });
});

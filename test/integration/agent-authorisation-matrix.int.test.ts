import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/platform/http/route-catalogue.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../src/seed/index.js';
import { signInAgent } from '../support/agents.js';
import { buildTestApp } from '../support/app.js';
import type { InjectSession } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The authorisation matrix of the agent workspace (issue 8): every route under
 * `/agents/organisations/:organisationId/…`, found in the app's route catalogue (so a route added
 * later is covered without being listed here), is requested by each role with ids it must not
 * reach — another organisation of the territory, another territory, and, for a basic agent,
 * records of another service of their own organisation. Every answer must be 404 (never 403, so
 * ids cannot be probed; never 200, never 500).
 */

/** Ids of one organisation's records, by the path parameter that carries them (and `date`, a day of the week the demo has periods in). */
type IdsByParam = Record<string, number | string>;

async function idsOf(database: TestDatabase, organisationSlug: string, serviceShortName?: string): Promise<IdsByParam> {
  const serviceFilter = serviceShortName === undefined ? sql`true` : sql`s.short_name = ${serviceShortName}`;
  const row = await sql<Record<string, string | number | null>>`
    SELECT o.id AS "organisationId",
      (SELECT p.id FROM places p WHERE p.organisation_id = o.id ORDER BY p.id LIMIT 1) AS "placeId",
      (SELECT ag.id FROM agents ag JOIN agent_roles r ON r.agent_id = ag.id JOIN agent_services asv ON asv.agent_id = ag.id
         JOIN services s ON s.id = asv.service_id WHERE r.organisation_id = o.id AND ${serviceFilter} ORDER BY ag.id LIMIT 1) AS "agentId",
      (SELECT t.id FROM appointment_types t JOIN services s ON s.id = t.service_id WHERE t.organisation_id = o.id AND ${serviceFilter} ORDER BY t.id LIMIT 1) AS "motifId",
      (SELECT a.id FROM appointments a JOIN appointment_types t ON t.id = a.appointment_type_id JOIN services s ON s.id = t.service_id
         WHERE a.organisation_id = o.id AND ${serviceFilter} ORDER BY a.id LIMIT 1) AS "appointmentId",
      (SELECT a.id FROM appointments a JOIN appointment_types t ON t.id = a.appointment_type_id JOIN services s ON s.id = t.service_id
         WHERE a.organisation_id = o.id AND a.is_collective AND ${serviceFilter} ORDER BY a.id LIMIT 1) AS "collectiveId",
      (SELECT op.id FROM opening_periods op JOIN agent_services asv ON asv.agent_id = op.agent_id JOIN services s ON s.id = asv.service_id
         WHERE op.organisation_id = o.id AND ${serviceFilter} ORDER BY op.id LIMIT 1) AS "periodId",
      (SELECT ab.id FROM absences ab JOIN agent_roles r ON r.agent_id = ab.agent_id JOIN agent_services asv ON asv.agent_id = ab.agent_id
         JOIN services s ON s.id = asv.service_id WHERE r.organisation_id = o.id AND ${serviceFilter} ORDER BY ab.id LIMIT 1) AS "absenceId",
      (SELECT t.id FROM teams t WHERE t.territory_id = o.territory_id ORDER BY t.id LIMIT 1) AS "teamId",
      (SELECT pa.user_id FROM participations pa JOIN appointments a ON a.id = pa.appointment_id WHERE a.organisation_id = o.id ORDER BY pa.id LIMIT 1) AS "userId",
      (SELECT n.id FROM notifications n JOIN appointments a ON a.id = n.appointment_id JOIN appointment_types t ON t.id = a.appointment_type_id
         JOIN services s ON s.id = t.service_id WHERE a.organisation_id = o.id AND ${serviceFilter} ORDER BY n.id LIMIT 1) AS "notificationId",
      (SELECT e.public_id FROM exports e JOIN agent_services asv ON asv.agent_id = e.agent_id JOIN services s ON s.id = asv.service_id
         WHERE e.organisation_id = o.id AND ${serviceFilter} ORDER BY e.id LIMIT 1) AS "publicId"
    FROM organisations o WHERE o.slug = ${organisationSlug}`.execute(database.db);
  const ids = row.rows[0];
  if (ids === undefined) throw new Error(`no organisation ${organisationSlug}`);
  return {
    ...Object.fromEntries(Object.entries(ids).map(([key, value]) => [key, key === 'publicId' ? String(value) : Number(value)])),
    date: '2026-11-30',
    // A wizard draft lives in the session of the agent who started it: any other id is unknown.
    draftId: 'brouillon-inconnu-0123456789',
  };
}

/** The route's URL with each `:param` replaced from `ids`; a parameter without an id fails the test (cover it). */
function fill(url: string, ids: IdsByParam): string {
  return url.replace(/:([A-Za-z]+)(\.[a-z]+)?/g, (_match, name: string, suffix: string | undefined) => {
    const id = ids[name];
    if (id === undefined || (typeof id === 'number' && Number.isNaN(id))) throw new Error(`The matrix has no id for :${name} (route ${url}): add it to idsOf()`);
    return `${String(id)}${suffix ?? ''}`;
  });
}

/**
 * Bodies that pass the route schemas, so that authorisation (not the 400 of a malformed body,
 * which answers the same for every id) decides the answer.
 */
const WELL_FORMED_BODIES: readonly { suffix: string; body: Record<string, string> }[] = [
  // Collective appointments (ADR 0022), before the shorter suffixes they end with: a usager of the
  // demo, so that only authorisation decides.
  { suffix: '/collectifs/:collectiveId/participants', body: { usager: '1' } },
  { suffix: '/collectifs/:collectiveId/participants/retrait', body: { usager: '1' } },
  { suffix: '/collectifs/:collectiveId/participants/statut', body: { usager: '1', statut: 'excused' } },
  { suffix: '/collectifs/nouveau', body: { cle: 'matrice-cle-idempotence-0003' } },
  { suffix: '/statut', body: { statut: 'seen' } },
  // « Renvoyer le rappel »: only the CSRF token.
  { suffix: '/rdv/:appointmentId/rappel', body: {} },
  { suffix: '/participants', body: { action: 'continuer' } },
  { suffix: '/rdv/:appointmentId/modifier', body: { cle: 'matrice-cle-idempotence-0001' } },
  { suffix: '/confirmation', body: { cle: 'matrice-cle-idempotence-0002' } },
  { suffix: '/territoire/notifications', body: { fournisseur: 'log', expediteur: 'Matrice' } },
  { suffix: '/territoire/notifications/test-sms', body: { numero: '0612345678' } },
  // The merge's confirmation: the other usager, the key and the comparison's fingerprint.
  { suffix: '/usagers/:userId/fusionner', body: { avec: '1', cle: 'matrice-cle-idempotence-0003', empreinte: '0'.repeat(64) } },
  // The merge's read reason (where the territory asks one): the other usager and the reason.
  { suffix: '/usagers/:userId/fusionner/motif', body: { avec: '1', motif: 'Matrice' } },
  { suffix: '/exports', body: { type: 'rendez-vous' } },
  // Agents administration and teams (ADR 0029): well-formed forms, so that only authorisation decides.
  { suffix: '/agents/:agentId/modifier', body: { niveau: 'basic', services: '1' } },
  { suffix: '/agents/nouvel-intervenant', body: { prenom: 'Matrice', nom: 'Intervenant', services: '1' } },
  { suffix: '/agents/equipes', body: { nom: 'Équipe matrice' } },
  { suffix: '/agents/equipes/:teamId/renommer', body: { nom: 'Équipe matrice' } },
  { suffix: '/agents/equipes/:teamId/membres', body: { agent: '1' } },
];

function bodyFor(url: string): Record<string, string> {
  return WELL_FORMED_BODIES.find((entry) => url.endsWith(entry.suffix))?.body ?? {};
}

interface Attack {
  readonly who: string;
  readonly session: () => InjectSession;
  /** The ids the route is called with. */
  readonly ids: () => IdsByParam;
  /** Only routes with one of these parameters are attacked (the others would be legitimately reachable). */
  readonly onlyWith?: readonly string[];
}

describe('authorisation matrix of the agent workspace: roles × routes × foreign ids → 404', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const sessions = new Map<string, InjectSession>();
  const ids = new Map<string, IdsByParam>();
  /** A usager known to Meaux only (users directory): out of Melun's scope while the territory scopes by organisation. */
  let meauxOnlyUserId = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    // A failed notification per appointment (the seed plans none): the log's « Renvoyer » has ids to attack.
    await sql`INSERT INTO notifications (idempotency_key, event, channel, appointment_id, territory_id, status, not_before)
      SELECT 'matrice:' || a.id, 'reminder', 'sms', a.id, o.territory_id, 'failed', now() FROM appointments a JOIN organisations o ON o.id = a.organisation_id`.execute(database.db);
    // A finished export per agent of each organisation: another agent's file, or another organisation's, is a 404.
    await sql`INSERT INTO exports (agent_id, organisation_id, territory_id, kind, status, file_name, expires_at)
      SELECT r.agent_id, o.id, o.territory_id, 'appointments', 'done', 'rendez-vous-matrice.xlsx', now() + interval '1 day'
        FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id`.execute(database.db);
    app = await buildTestApp(database);
    for (const [name, email] of Object.entries({ nadia: DEMO_AGENT_EMAILS.melunBasic, sophie: DEMO_AGENT_EMAILS.melunAdmin, aicha: DEMO_AGENT_EMAILS.meauxBasic })) {
      const session = await signInAgent(app, email);
      await session.get('/agents/compte'); // a page, for its CSRF token
      sessions.set(name, session);
    }
    ids.set('meaux', await idsOf(database, 'mds-meaux'));
    ids.set('reunion', await idsOf(database, 'solidarites-saint-denis-974'));
    ids.set('melun', await idsOf(database, 'mds-melun'));
    ids.set('melun-pmi', await idsOf(database, 'mds-melun', 'PMI'));
    const meauxOnly = await database.db.insertInto('users').values({ first_name: 'Matrice', last_name: 'Meaux', created_through: 'seed' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('user_profiles').values({ user_id: meauxOnly.id, organisation_id: Number(get(ids, 'meaux').organisationId) }).execute();
    meauxOnlyUserId = meauxOnly.id;
    // Seed and three Argon2 sign-ins: 60 s was too tight on a loaded shared machine.
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  const get = (map: Map<string, IdsByParam>, key: string): IdsByParam => {
    const value = map.get(key);
    if (value === undefined) throw new Error(key);
    return value;
  };
  const session = (name: string) => (): InjectSession => {
    const value = sessions.get(name);
    if (value === undefined) throw new Error(name);
    return value;
  };

  const attacks: Attack[] = [
    { who: 'a basic agent of Melun, with Meaux ids (same territory)', session: session('nadia'), ids: () => get(ids, 'meaux') },
    { who: 'the admin and secretariat of Melun, with Meaux ids', session: session('sophie'), ids: () => get(ids, 'meaux') },
    { who: 'the admin of Melun, with La Réunion ids (another territory)', session: session('sophie'), ids: () => get(ids, 'reunion') },
    { who: 'a basic agent of Meaux, with Melun ids', session: session('aicha'), ids: () => get(ids, 'melun') },
    {
      who: 'the admin of Melun, in Melun, with records of Meaux',
      session: session('sophie'),
      ids: () => ({ ...get(ids, 'meaux'), organisationId: get(ids, 'melun').organisationId ?? 0 }),
      onlyWith: ['placeId', 'agentId', 'motifId', 'appointmentId', 'collectiveId', 'periodId', 'absenceId', 'notificationId', 'publicId'],
    },
    {
      who: 'the admin of Melun, in Melun, with a usager known to Meaux only (users directory)',
      session: session('sophie'),
      ids: () => ({ ...get(ids, 'melun'), userId: meauxOnlyUserId }),
      onlyWith: ['userId'],
    },
    {
      // Teams belong to the territory: a team of La Réunion, and its agents, within Melun (ADR 0029).
      who: 'the admin of Melun, in Melun, with a team and an agent of La Réunion',
      session: session('sophie'),
      ids: () => ({ ...get(ids, 'reunion'), organisationId: get(ids, 'melun').organisationId ?? 0 }),
      onlyWith: ['teamId'],
    },
    {
      who: 'a basic agent of the social service, in Melun, with records of the PMI service',
      session: session('nadia'),
      ids: () => get(ids, 'melun-pmi'),
      onlyWith: ['agentId', 'appointmentId', 'collectiveId', 'periodId', 'absenceId', 'notificationId', 'publicId'],
    },
  ];

  it('covers the agent routes of the catalogue', () => {
    const organisationRoutes = registeredRoutes(app).filter((route) => route.url.startsWith('/agents/organisations/:organisationId'));
    expect(organisationRoutes.length).toBeGreaterThan(0);
  });

  /** Ids given in query strings (selectors and filters), within the agent's own organisation. */
  const queryAttacks: readonly { path: string; query: (foreign: IdsByParam) => string }[] = [
    { path: 'agenda', query: (foreign) => `agents=${String(foreign.agentId)}` },
    { path: 'agenda', query: (foreign) => `vue=jour&lieu=${String(foreign.placeId)}` },
    { path: 'rdv', query: (foreign) => `agent=${String(foreign.agentId)}` },
    { path: 'rdv', query: (foreign) => `lieu=${String(foreign.placeId)}` },
    { path: 'rdv', query: (foreign) => `motif=${String(foreign.motifId)}` },
    { path: 'plages', query: (foreign) => `agent=${String(foreign.agentId)}` },
    { path: 'plages/nouvelle', query: (foreign) => `agent=${String(foreign.agentId)}` },
    { path: 'absences', query: (foreign) => `agent=${String(foreign.agentId)}` },
    { path: 'absences/nouvelle', query: (foreign) => `agent=${String(foreign.agentId)}` },
    { path: 'creneaux', query: (foreign) => `motif=${String(foreign.motifId)}` },
    { path: 'creneaux', query: (foreign) => `agents=${String(foreign.agentId)}` },
    { path: 'creneaux', query: (foreign) => `binome=${String(foreign.agentId)}` },
    { path: 'creneaux', query: (foreign) => `lieux=${String(foreign.placeId)}` },
  ];

  it('ids of another organisation in query strings (agents, place, motif filters) answer 404 too', async () => {
    const answers: string[] = [];
    // Users directory: a relative of a usager outside the scope.
    for (const who of ['sophie', 'nadia'] as const) {
      const url = `/agents/organisations/${String(get(ids, 'melun').organisationId)}/usagers/nouveau?responsable=${String(meauxOnlyUserId)}`;
      answers.push(`${who} ${url} → ${String((await session(who)().get(url)).statusCode)}`);
    }
    for (const [who, foreignKey] of [
      ['sophie', 'meaux'],
      ['nadia', 'meaux'],
      ['sophie', 'reunion'],
    ] as const) {
      const melun = get(ids, 'melun').organisationId;
      for (const attack of queryAttacks) {
        const url = `/agents/organisations/${String(melun)}/${attack.path}?${attack.query(get(ids, foreignKey))}`;
        const response = await session(who)().get(url);
        answers.push(`${who} ${url} → ${String(response.statusCode)}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
  });

  it('the merge and the read journal: usagers and agents of another organisation or territory in query strings and forms answer 404', async () => {
    const melun = Number(get(ids, 'melun').organisationId);
    const meaux = Number(get(ids, 'meaux').organisationId);
    const reunion = Number(get(ids, 'reunion').organisationId);
    /** A usager known to one organisation only (the demo's usagers have a profile everywhere). */
    const usagerOf = async (organisationId: number): Promise<number> => {
      const user = await database.db.insertInto('users').values({ first_name: 'Matrice', last_name: 'Fusion', created_through: 'agent' }).returning('id').executeTakeFirstOrThrow();
      await database.db.insertInto('user_profiles').values({ user_id: user.id, organisation_id: organisationId }).execute();
      return user.id;
    };
    const [melunUser, meauxUser, reunionUser] = [await usagerOf(melun), await usagerOf(meaux), await usagerOf(reunion)];
    const merge = (organisationId: number, keptId: number) => `/agents/organisations/${String(organisationId)}/usagers/${String(keptId)}/fusionner`;
    const answers: string[] = [];
    const check = async (who: string, method: 'GET' | 'POST', url: string, body: Record<string, string> = {}) => {
      if (method === 'POST') await session(who)().get('/agents/compte');
      const response = method === 'GET' ? await session(who)().get(url) : await session(who)().post(url, body);
      answers.push(`${who} ${method} ${url} → ${String(response.statusCode)}`);
    };
    await check('nadia', 'GET', `${merge(melun, melunUser)}?avec=${String(meauxUser)}`);
    await check('sophie', 'GET', `${merge(melun, melunUser)}?avec=${String(reunionUser)}`);
    await check('sophie', 'GET', `${merge(melun, reunionUser)}?avec=${String(melunUser)}`);
    await check('aicha', 'GET', `${merge(meaux, meauxUser)}?avec=${String(melunUser)}`);
    await check('aicha', 'GET', `${merge(meaux, melunUser)}/resultat`);
    await check('nadia', 'POST', merge(melun, melunUser), { avec: String(meauxUser), cle: 'matrice-cle-idempotence-0004', empreinte: '0'.repeat(64) });
    await check('sophie', 'POST', merge(melun, reunionUser), { avec: String(melunUser), cle: 'matrice-cle-idempotence-0005', empreinte: '0'.repeat(64) });
    await check('nadia', 'POST', `${merge(melun, melunUser)}/motif`, { avec: String(meauxUser), motif: 'Matrice' });
    await check('sophie', 'POST', `${merge(melun, reunionUser)}/motif`, { avec: String(melunUser), motif: 'Matrice' });
    await check('sophie', 'GET', `/agents/organisations/${String(melun)}/journal-des-consultations?agent=${String(get(ids, 'reunion').agentId)}`);
    await check('nadia', 'GET', `/agents/organisations/${String(melun)}/journal-des-consultations`);
    await check('aicha', 'GET', `/agents/organisations/${String(meaux)}/journal-des-consultations`);
    expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
  });

  it('the export forms’ filters with ids of another organisation (or a hidden agent) answer 404', async () => {
    const melun = get(ids, 'melun').organisationId;
    const answers: string[] = [];
    for (const [who, foreign] of [
      ['sophie', get(ids, 'meaux')],
      ['nadia', get(ids, 'meaux')],
      ['nadia', get(ids, 'melun-pmi')],
    ] as const) {
      for (const field of who === 'nadia' && foreign === get(ids, 'melun-pmi') ? (['agent'] as const) : (['agent', 'lieu', 'motif'] as const)) {
        const value = String(field === 'agent' ? foreign.agentId : field === 'lieu' ? foreign.placeId : foreign.motifId);
        await session(who)().get('/agents/compte');
        const response = await session(who)().post(`/agents/organisations/${String(melun)}/exports`, { type: 'participations', [field]: value });
        answers.push(`${who} ${field}=${value} → ${String(response.statusCode)}`);
      }
    }
    expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
  });

  for (const attack of attacks) {
    it(`${attack.who}: every route answers 404`, async () => {
      const routes = registeredRoutes(app).filter(
        (route) =>
          route.url.startsWith('/agents/organisations/:organisationId') &&
          (attack.onlyWith === undefined || attack.onlyWith.some((param) => route.url.includes(`:${param}`))),
      );
      const answers: string[] = [];
      for (const route of routes) {
        const url = fill(route.url, attack.ids());
        // A POST carries a valid CSRF token (read from a page of the session), so only authorisation decides.
        if (route.method !== 'GET') await attack.session().get('/agents/compte');
        const response = route.method === 'GET' ? await attack.session().get(url) : await attack.session().post(url, bodyFor(route.url));
        answers.push(`${route.method} ${route.url} → ${String(response.statusCode)}`);
      }
      expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
    });
  }
});

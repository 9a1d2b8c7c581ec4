// SQL of the super admin back office (ADR 0032). Owns agent_second_factors, impersonations (with
// the agents module, which ends them) and impersonation_requests; writes territories,
// organisations, places and territorial roles for the back office's forms.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

type Db = Kysely<Database>;

// ── Second factor ────────────────────────────────────────────────────────────────────────────

export interface SecondFactorRow {
  readonly secretEncrypted: string;
  readonly confirmedAt: Date | null;
  readonly lastUsedStep: number | null;
}

export async function findSecondFactor(db: Db, agentId: number): Promise<SecondFactorRow | undefined> {
  const row = await db.selectFrom('agent_second_factors').select(['secret_encrypted', 'confirmed_at', 'last_used_step']).where('agent_id', '=', agentId).executeTakeFirst();
  return row === undefined ? undefined : { secretEncrypted: row.secret_encrypted, confirmedAt: row.confirmed_at, lastUsedStep: row.last_used_step };
}

/** Stores a secret awaiting its first code, unless one exists already (two tabs): the stored one wins. */
export async function insertPendingSecondFactor(db: Db, request: { agentId: number; secretEncrypted: string; now: Date }): Promise<void> {
  await db
    .insertInto('agent_second_factors')
    .values({ agent_id: request.agentId, secret_encrypted: request.secretEncrypted, created_at: request.now })
    .onConflict((conflict) => conflict.column('agent_id').doNothing())
    .execute();
}

/**
 * Spends a time step: only if it is after the last one used (one statement, so two requests with
 * the same code cannot both pass), confirming the enrolment on its first code. False: replayed.
 */
export async function useTimeStep(db: Db, request: { agentId: number; timeStep: number; now: Date }): Promise<boolean> {
  const row = await db
    .updateTable('agent_second_factors')
    .set((eb) => ({ last_used_step: request.timeStep, confirmed_at: eb.fn.coalesce('confirmed_at', sql<Date>`${request.now}::timestamptz`) }))
    .where('agent_id', '=', request.agentId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', request.timeStep)]))
    .returning('agent_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findAgentIdentity(db: Db, agentId: number): Promise<{ email: string; firstName: string; lastName: string; isSuperAdmin: boolean } | undefined> {
  const row = await db.selectFrom('agents').select(['email', 'first_name', 'last_name', 'is_super_admin']).where('id', '=', agentId).where('deleted_at', 'is', null).executeTakeFirst();
  return row === undefined ? undefined : { email: row.email ?? '', firstName: row.first_name, lastName: row.last_name, isSuperAdmin: row.is_super_admin };
}

// ── Territories ──────────────────────────────────────────────────────────────────────────────

export interface TerritorySummary {
  readonly id: number;
  readonly departementNumber: string;
  readonly name: string;
  readonly organisations: number;
  readonly admins: number;
  readonly createdAt: Date;
}

export async function listTerritories(db: Db): Promise<TerritorySummary[]> {
  const rows = await db
    .selectFrom('territories')
    .select((eb) => [
      'territories.id',
      'territories.departement_number',
      'territories.name',
      'territories.created_at',
      eb.selectFrom('organisations').select(eb.fn.countAll<number>().as('n')).whereRef('organisations.territory_id', '=', 'territories.id').as('organisations'),
      eb
        .selectFrom('agent_territorial_roles')
        .innerJoin('agents', 'agents.id', 'agent_territorial_roles.agent_id')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('agent_territorial_roles.territory_id', '=', 'territories.id')
        .where('agents.deleted_at', 'is', null)
        .as('admins'),
    ])
    .orderBy('territories.departement_number')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    departementNumber: row.departement_number,
    name: row.name,
    organisations: row.organisations ?? 0,
    admins: row.admins ?? 0,
    createdAt: row.created_at,
  }));
}

export async function findTerritory(db: Db, territoryId: number): Promise<{ id: number; departementNumber: string; name: string } | undefined> {
  const row = await db.selectFrom('territories').select(['id', 'departement_number', 'name']).where('id', '=', territoryId).executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, departementNumber: row.departement_number, name: row.name };
}

export async function isDepartementTaken(db: Db, departementNumber: string): Promise<boolean> {
  const row = await db.selectFrom('territories').select('id').where('departement_number', '=', departementNumber).executeTakeFirst();
  return row !== undefined;
}

/** Organisation slugs starting with `base` (to pick a free one). */
export async function slugsStartingWith(db: Db, base: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('organisations')
    .select('slug')
    .where('slug', 'like', `${base.replace(/[\\%_]/g, '\\$&')}%`)
    .execute();
  return new Set(rows.map((row) => row.slug));
}

export async function insertTerritory(db: Db, territory: { departementNumber: string; name: string; holidayRegion: string | null; now: Date }): Promise<number> {
  const row = await db
    .insertInto('territories')
    .values({ departement_number: territory.departementNumber, name: territory.name, holiday_region: territory.holidayRegion, created_at: territory.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertOrganisation(db: Db, organisation: { territoryId: number; name: string; slug: string; timeZone: string; now: Date }): Promise<number> {
  const row = await db
    .insertInto('organisations')
    .values({ territory_id: organisation.territoryId, name: organisation.name, slug: organisation.slug, time_zone: organisation.timeZone, created_at: organisation.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPlace(
  db: Db,
  place: { organisationId: number; name: string; address: string; latitude: number | null; longitude: number | null; timeZone: string; now: Date },
): Promise<number> {
  const row = await db
    .insertInto('places')
    .values({ organisation_id: place.organisationId, name: place.name, address: place.address, latitude: place.latitude, longitude: place.longitude, time_zone: place.timeZone, created_at: place.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ── Agents and territorial admins ────────────────────────────────────────────────────────────

export interface AgentByEmail {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly hasPassword: boolean;
  readonly deleted: boolean;
}

export async function findAgentByEmail(db: Db, email: string): Promise<AgentByEmail | undefined> {
  const row = await db
    .selectFrom('agents')
    .select(['id', 'first_name', 'last_name', 'email', 'password_hash', 'deleted_at'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, firstName: row.first_name, lastName: row.last_name, email: row.email ?? email, hasPassword: row.password_hash !== null, deleted: row.deleted_at !== null };
}

/** Makes the agent an admin of the organisation (keeps a higher level; an intervenant or basic agent becomes admin). */
export async function grantOrganisationAdmin(db: Db, request: { agentId: number; organisationId: number }): Promise<void> {
  await db
    .insertInto('agent_roles')
    .values({ agent_id: request.agentId, organisation_id: request.organisationId, access_level: 'admin' })
    .onConflict((conflict) => conflict.columns(['agent_id', 'organisation_id']).doUpdateSet({ access_level: 'admin' }))
    .execute();
}

/** Adds the territorial role; false when the agent had it already. */
export async function grantTerritorialAdmin(db: Db, request: { agentId: number; territoryId: number }): Promise<boolean> {
  const row = await db
    .insertInto('agent_territorial_roles')
    .values({ agent_id: request.agentId, territory_id: request.territoryId })
    .onConflict((conflict) => conflict.doNothing())
    .returning('agent_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeTerritorialAdmin(db: Db, request: { agentId: number; territoryId: number }): Promise<boolean> {
  const result = await db.deleteFrom('agent_territorial_roles').where('agent_id', '=', request.agentId).where('territory_id', '=', request.territoryId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface TerritorialAdmin {
  readonly agentId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly invitationPending: boolean;
}

export async function listTerritorialAdmins(db: Db, territoryId: number): Promise<TerritorialAdmin[]> {
  const rows = await db
    .selectFrom('agent_territorial_roles')
    .innerJoin('agents', 'agents.id', 'agent_territorial_roles.agent_id')
    .select(['agents.id', 'agents.first_name', 'agents.last_name', 'agents.email', 'agents.password_hash'])
    .where('agent_territorial_roles.territory_id', '=', territoryId)
    .where('agents.deleted_at', 'is', null)
    .orderBy('agents.last_name')
    .orderBy('agents.first_name')
    .orderBy('agents.id')
    .execute();
  return rows.map((row) => ({ agentId: row.id, firstName: row.first_name, lastName: row.last_name, email: row.email ?? '', invitationPending: row.password_hash === null }));
}

/** The territory's first organisation (the oldest): where a newly invited territorial admin gets their admin role. */
export async function findFirstOrganisation(db: Db, territoryId: number): Promise<{ id: number; name: string } | undefined> {
  return db.selectFrom('organisations').select(['id', 'name']).where('territory_id', '=', territoryId).orderBy('id').limit(1).executeTakeFirst();
}

/** Locks the territory's row: two removals at once cannot both leave it without admins unnoticed. */
export async function lockTerritory(db: Db, territoryId: number): Promise<boolean> {
  const row = await db.selectFrom('territories').select('id').where('id', '=', territoryId).forUpdate().executeTakeFirst();
  return row !== undefined;
}

// ── Impersonation ────────────────────────────────────────────────────────────────────────────

export interface AgentSearchResult {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly isSuperAdmin: boolean;
  readonly maySignIn: boolean;
  readonly organisations: string;
}

export const AGENT_SEARCH_LIMIT = 20;

/** Agents whose name or e-mail contains every typed word (case- and accent-insensitive is not needed here: names are typed as shown). */
export async function searchAgents(db: Db, words: readonly string[]): Promise<AgentSearchResult[]> {
  let query = db
    .selectFrom('agents')
    .select((eb) => [
      'agents.id',
      'agents.first_name',
      'agents.last_name',
      'agents.email',
      'agents.is_super_admin',
      eb
        .exists(eb.selectFrom('agent_roles').select('agent_roles.agent_id').whereRef('agent_roles.agent_id', '=', 'agents.id').where('agent_roles.access_level', 'in', ['basic', 'admin']))
        .as('may_sign_in'),
      sql<string | null>`(SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE r.agent_id = agents.id)`.as('organisations'),
    ])
    .where('agents.deleted_at', 'is', null);
  for (const word of words) {
    const pattern = `%${word.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(agents.first_name)`, 'like', pattern), eb(sql<string>`lower(agents.last_name)`, 'like', pattern), eb(sql<string>`lower(coalesce(agents.email, ''))`, 'like', pattern)]),
    );
  }
  const rows = await query.orderBy('agents.last_name').orderBy('agents.first_name').orderBy('agents.id').limit(AGENT_SEARCH_LIMIT).execute();
  return rows.map((row) => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email ?? '',
    isSuperAdmin: row.is_super_admin,
    maySignIn: Boolean(row.may_sign_in),
    organisations: row.organisations ?? '',
  }));
}

export async function findImpersonationTarget(db: Db, agentId: number): Promise<AgentSearchResult | undefined> {
  const row = await db
    .selectFrom('agents')
    .select((eb) => [
      'agents.id',
      'agents.first_name',
      'agents.last_name',
      'agents.email',
      'agents.is_super_admin',
      eb
        .exists(eb.selectFrom('agent_roles').select('agent_roles.agent_id').whereRef('agent_roles.agent_id', '=', 'agents.id').where('agent_roles.access_level', 'in', ['basic', 'admin']))
        .as('may_sign_in'),
      sql<string | null>`(SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE r.agent_id = agents.id)`.as('organisations'),
    ])
    .where('agents.id', '=', agentId)
    .where('agents.deleted_at', 'is', null)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, firstName: row.first_name, lastName: row.last_name, email: row.email ?? '', isSuperAdmin: row.is_super_admin, maySignIn: Boolean(row.may_sign_in), organisations: row.organisations ?? '' };
}

export async function insertImpersonation(db: Db, request: { superAdminAgentId: number; agentId: number; reason: string; now: Date; expiresAt: Date }): Promise<number> {
  const row = await db
    .insertInto('impersonations')
    .values({ super_admin_agent_id: request.superAdminAgentId, agent_id: request.agentId, reason: request.reason, started_at: request.now, expires_at: request.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ImpersonationRecord {
  readonly id: number;
  readonly agentName: string;
  readonly reason: string;
  readonly startedAt: Date;
  readonly expiresAt: Date;
  readonly endedAt: Date | null;
  readonly endReason: string | null;
  readonly requests: number;
}

/** The super admin's latest impersonations, for the back office's journal. */
export async function listImpersonations(db: Db, superAdminAgentId: number, limit = 20): Promise<ImpersonationRecord[]> {
  const rows = await db
    .selectFrom('impersonations')
    .innerJoin('agents', 'agents.id', 'impersonations.agent_id')
    .select((eb) => [
      'impersonations.id',
      'impersonations.reason',
      'impersonations.started_at',
      'impersonations.expires_at',
      'impersonations.ended_at',
      'impersonations.end_reason',
      'agents.first_name',
      'agents.last_name',
      eb.selectFrom('impersonation_requests').select(eb.fn.countAll<number>().as('n')).whereRef('impersonation_requests.impersonation_id', '=', 'impersonations.id').as('requests'),
    ])
    .where('impersonations.super_admin_agent_id', '=', superAdminAgentId)
    .orderBy('impersonations.started_at', 'desc')
    .orderBy('impersonations.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    agentName: `${row.first_name} ${row.last_name}`,
    reason: row.reason,
    startedAt: row.started_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    requests: row.requests ?? 0,
  }));
}

// ── Background jobs ──────────────────────────────────────────────────────────────────────────

export interface QueueSummary {
  readonly name: string;
  readonly policy: string | null;
  readonly created: number;
  readonly active: number;
  readonly failed: number;
  readonly completed: number;
}

export interface FailedJob {
  readonly id: string;
  readonly name: string;
  readonly failedAt: Date | null;
  readonly retryCount: number;
  readonly output: unknown;
  /** Moved to `pgboss.archive` by pg-boss (older than its archiving delay). */
  readonly archived: boolean;
}

/** Whether pg-boss created its tables in this database (it does at its first start). */
export async function hasJobTables(db: Db): Promise<boolean> {
  const result = await sql<{ present: boolean }>`SELECT to_regclass('pgboss.job') IS NOT NULL AND to_regclass('pgboss.queue') IS NOT NULL AS present`.execute(db);
  return result.rows[0]?.present === true;
}

export async function listQueues(db: Db): Promise<QueueSummary[]> {
  const result = await sql<{ name: string; policy: string | null; created: number; active: number; failed: number; completed: number }>`
    SELECT q.name, q.policy,
      count(j.id) FILTER (WHERE j.state IN ('created', 'retry'))::int AS created,
      count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
      count(j.id) FILTER (WHERE j.state = 'failed')::int AS failed,
      count(j.id) FILTER (WHERE j.state = 'completed')::int AS completed
    FROM pgboss.queue q
    LEFT JOIN pgboss.job j ON j.name = q.name
    GROUP BY q.name, q.policy
    ORDER BY q.name`.execute(db);
  return result.rows;
}

/**
 * The latest failed jobs, archived ones included: pg-boss moves a failed job to `pgboss.archive`
 * after `archiveFailedAfterSeconds` (7 days by default) and deletes it from there later, so the
 * view would otherwise forget a week-old failure the day it matters. `archived` tells them apart.
 */
export async function listFailedJobs(db: Db, limit = 50): Promise<FailedJob[]> {
  const archive = await sql<{ present: boolean }>`SELECT to_regclass('pgboss.archive') IS NOT NULL AS present`.execute(db);
  const fromArchive = archive.rows[0]?.present === true;
  const result = await sql<{ id: string; name: string; completed_on: Date | null; retry_count: number; output: unknown; archived: boolean }>`
    SELECT id, name, completed_on, retry_count, output, archived FROM (
      SELECT id::text AS id, name, completed_on, retry_count, output, false AS archived FROM pgboss.job WHERE state = 'failed'
      ${fromArchive ? sql`UNION ALL SELECT id::text, name, completed_on, retry_count, output, true FROM pgboss.archive WHERE state = 'failed'` : sql``}
    ) AS failed
    ORDER BY completed_on DESC NULLS LAST, id
    LIMIT ${limit}`.execute(db);
  return result.rows.map((row) => ({ id: row.id, name: row.name, failedAt: row.completed_on, retryCount: row.retry_count, output: row.output, archived: row.archived }));
}

export async function countFailures(db: Db): Promise<{ notifications: number; exports: number }> {
  const [notifications, exports] = await Promise.all([
    db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow(),
    db.selectFrom('exports').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow(),
  ]);
  return { notifications: notifications.n, exports: exports.n };
}

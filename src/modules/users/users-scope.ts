/**
 * Which usagers an agent may find and open (ADR 0019): those known to the agent's organisation
 * (a profile there: booking, an agent's appointment or an import adds one), or to any
 * organisation of the territory when the territory's `users_search_scope` is `territory`.
 * Every query of the directory, the merge and the exports goes through `knownUsersCondition`;
 * a usager outside the scope is a 404, like any foreign id.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { canAccessOrganisation, roleIn, type AgentPrincipal } from '../agents/index.js';

export interface UsersScope {
  /** The organisation the agent works in (pages, journal). */
  readonly organisationId: number;
  readonly territoryId: number;
  /** The organisations whose usagers the agent may see: theirs, or the whole territory's. */
  readonly organisationIds: readonly number[];
  readonly territoryWide: boolean;
  /** Whether the territory asks for a reason before a user page or an export. */
  readonly reasonRequired: boolean;
}

/** The agent's scope in the organisation, or undefined when they may not work there (→ 404). */
export async function usersScopeOf(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number): Promise<UsersScope | undefined> {
  if (!canAccessOrganisation(principal, organisationId)) return undefined;
  const role = roleIn(principal, organisationId);
  if (role === undefined) return undefined;
  const territory = await db
    .selectFrom('territories')
    .select(['users_search_scope', 'read_reason_required'])
    .where('id', '=', role.territoryId)
    .executeTakeFirst();
  if (territory === undefined) return undefined;
  const territoryWide = territory.users_search_scope === 'territory';
  const organisationIds = territoryWide
    ? (await db.selectFrom('organisations').select('id').where('territory_id', '=', role.territoryId).orderBy('id').execute()).map((row) => row.id)
    : [organisationId];
  return { organisationId, territoryId: role.territoryId, organisationIds, territoryWide, reasonRequired: territory.read_reason_required };
}

/**
 * The agent's scope narrowed to the organisation, whatever the territory allows: for a picker
 * whose choice is then checked against the organisation alone (the appointment wizard offers
 * only the organisation's usagers). Undefined when the agent may not work there (→ 404).
 */
export async function organisationUsersScopeOf(db: Kysely<Database>, principal: AgentPrincipal, organisationId: number): Promise<UsersScope | undefined> {
  const scope = await usersScopeOf(db, principal, organisationId);
  return scope === undefined ? undefined : { ...scope, organisationIds: [organisationId], territoryWide: false };
}

/**
 * The scope as a WHERE condition on a `users` row aliased `u`: not erased, and with a profile in
 * one of the scope's organisations.
 *
 * Written as a scalar subquery, not `EXISTS`: PostgreSQL turns an `EXISTS` into a semi-join and,
 * misjudging how few usagers a name matches, hashes every profile of the organisation first
 * (70 000 rows in the users benchmark: 60–130 ms per search). A scalar subquery stays a probe of
 * the profiles' primary key per candidate (2–13 ms for a full name; bench/README.md).
 */
export function knownUsersCondition(scope: UsersScope): Expression<SqlBool> {
  const organisationIds = scope.organisationIds.length === 0 ? [0] : scope.organisationIds;
  return sql<SqlBool>`(u.deleted_at IS NULL AND (SELECT 1 FROM user_profiles up WHERE up.user_id = u.id AND up.organisation_id IN (${sql.join(organisationIds)}) LIMIT 1) IS NOT NULL)`;
}

/** Whether this usager is in the scope (a single id: pages, merge, forms). */
export async function isKnownUser(db: Kysely<Database>, scope: UsersScope, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users as u').select('u.id').where('u.id', '=', userId).where(knownUsersCondition(scope)).executeTakeFirst();
  return row !== undefined;
}

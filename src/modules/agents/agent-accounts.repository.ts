// SQL of agent invitations, password resets and the organisation's list of agents (tables agents,
// agent_roles, agent_services, agent_tokens; migrations/0001 and 0008). The checks that make a link
// single-use are the WHERE clause of the one UPDATE that spends it.
import { sql, type Kysely } from 'kysely';
import type { AgentTokenPurpose, Database } from '../../platform/db/schema.js';
import type { InvitedAccessLevel } from './domain/agent-account-forms.js';
import type { ExistingAgentFacts } from './domain/invitation-decision.js';
import type { AccessLevel } from './domain/principal.js';

type Db = Kysely<Database>;

/** One agent of an organisation, as its admin sees them in the list. */
export interface OrganisationAgent {
  readonly agentId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly accessLevel: AccessLevel;
  readonly serviceNames: readonly string[];
  /** Invited, with an address, and no password chosen yet. */
  readonly invitationPending: boolean;
}

/** The agents holding a role in the organisation (deleted ones left out), by last then first name. */
export async function listOrganisationAgents(db: Db, organisationId: number): Promise<OrganisationAgent[]> {
  const agents = await db
    .selectFrom('agent_roles')
    .innerJoin('agents', 'agents.id', 'agent_roles.agent_id')
    .select(['agents.id', 'agents.first_name', 'agents.last_name', 'agents.email', 'agents.password_hash', 'agent_roles.access_level'])
    .where('agent_roles.organisation_id', '=', organisationId)
    .where('agents.deleted_at', 'is', null)
    .orderBy('agents.last_name')
    .orderBy('agents.first_name')
    .orderBy('agents.id')
    .execute();
  if (agents.length === 0) return [];
  const services = await db
    .selectFrom('agent_services')
    .innerJoin('services', 'services.id', 'agent_services.service_id')
    .select(['agent_services.agent_id', 'services.name'])
    .where(
      'agent_services.agent_id',
      'in',
      agents.map((agent) => agent.id),
    )
    .orderBy('services.name')
    .execute();
  return agents.map((agent) => ({
    agentId: agent.id,
    firstName: agent.first_name,
    lastName: agent.last_name,
    email: agent.email,
    accessLevel: agent.access_level,
    serviceNames: services.filter((service) => service.agent_id === agent.id).map((service) => service.name),
    invitationPending: agent.email !== null && agent.password_hash === null && agent.access_level !== 'intervenant',
  }));
}

/** The services offered in the organisation's territory (the invitation form's choices), by name. */
export async function listTerritoryServicesOf(db: Db, organisationId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('organisations')
    .innerJoin('territory_services', 'territory_services.territory_id', 'organisations.territory_id')
    .innerJoin('services', 'services.id', 'territory_services.service_id')
    .select(['services.id', 'services.name'])
    .where('organisations.id', '=', organisationId)
    .orderBy('services.name')
    .execute();
}

/** What an invitation must know of the agent who already holds this address (any case), if any. */
export async function findExistingAgentFacts(db: Db, request: { email: string; organisationId: number }): Promise<ExistingAgentFacts | undefined> {
  const row = await db
    .selectFrom('agents')
    .select((eb) => [
      'agents.id',
      'agents.deleted_at',
      'agents.password_hash',
      eb
        .selectFrom('agent_roles')
        .select('agent_roles.access_level')
        .whereRef('agent_roles.agent_id', '=', 'agents.id')
        .where('agent_roles.organisation_id', '=', request.organisationId)
        .as('access_level_here'),
      eb
        .or([
          eb.exists(
            eb
              .selectFrom('agent_roles')
              .innerJoin('organisations as theirs', 'theirs.id', 'agent_roles.organisation_id')
              .innerJoin('organisations as ours', 'ours.territory_id', 'theirs.territory_id')
              .select('agent_roles.agent_id')
              .whereRef('agent_roles.agent_id', '=', 'agents.id')
              .where('ours.id', '=', request.organisationId),
          ),
          eb.exists(
            eb
              .selectFrom('agent_territorial_roles')
              .innerJoin('organisations as ours', 'ours.territory_id', 'agent_territorial_roles.territory_id')
              .select('agent_territorial_roles.agent_id')
              .whereRef('agent_territorial_roles.agent_id', '=', 'agents.id')
              .where('ours.id', '=', request.organisationId),
          ),
        ])
        .as('belongs_to_territory'),
    ])
    .where(sql<string>`lower(agents.email)`, '=', request.email.toLowerCase())
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    agentId: row.id,
    isDeleted: row.deleted_at !== null,
    hasPassword: row.password_hash !== null,
    accessLevelHere: row.access_level_here ?? undefined,
    belongsToTerritory: Boolean(row.belongs_to_territory),
  };
}

/** Creates an invited agent: no password until the invitation is accepted. Returns the id. */
export async function insertInvitedAgent(db: Db, agent: { firstName: string; lastName: string; email: string }): Promise<number> {
  const row = await db
    .insertInto('agents')
    .values({ first_name: agent.firstName, last_name: agent.lastName, email: agent.email, password_hash: null, invitation_accepted_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Gives the agent this access level in the organisation (a new role, or the level of the existing one) and the service. */
export async function grantRoleAndService(db: Db, grant: { agentId: number; organisationId: number; accessLevel: InvitedAccessLevel; serviceId: number }): Promise<void> {
  await db
    .insertInto('agent_roles')
    .values({ agent_id: grant.agentId, organisation_id: grant.organisationId, access_level: grant.accessLevel })
    .onConflict((conflict) => conflict.columns(['agent_id', 'organisation_id']).doUpdateSet({ access_level: grant.accessLevel }))
    .execute();
  await db
    .insertInto('agent_services')
    .values({ agent_id: grant.agentId, service_id: grant.serviceId })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** Gives an agent without an address (an intervenant given access) this one; the unique index refuses an address already taken. */
export async function setMissingAgentEmail(db: Db, request: { agentId: number; email: string }): Promise<void> {
  await db.updateTable('agents').set({ email: request.email }).where('id', '=', request.agentId).where('email', 'is', null).where('deleted_at', 'is', null).execute();
}

/**
 * An agent of the organisation whose invitation is pending (an address, a level that signs in
 * there, no password yet, not deleted), with their role row locked (FOR UPDATE) until the end of
 * the transaction.
 */
export async function findPendingInvitee(db: Db, request: { agentId: number; organisationId: number }): Promise<{ agentId: number; firstName: string; email: string } | undefined> {
  const row = await db
    .selectFrom('agent_roles')
    .innerJoin('agents', 'agents.id', 'agent_roles.agent_id')
    .select(['agents.id', 'agents.first_name', 'agents.email'])
    .where('agent_roles.agent_id', '=', request.agentId)
    .where('agent_roles.organisation_id', '=', request.organisationId)
    .where('agent_roles.access_level', 'in', ['basic', 'admin'])
    .where('agents.email', 'is not', null)
    .where('agents.password_hash', 'is', null)
    .where('agents.deleted_at', 'is', null)
    .forUpdate('agent_roles')
    .executeTakeFirst();
  return row === undefined || row.email === null ? undefined : { agentId: row.id, firstName: row.first_name, email: row.email };
}

/** Names of an agent, for the e-mails. */
export async function findAgentNames(db: Db, agentId: number): Promise<{ firstName: string; lastName: string; email: string | null } | undefined> {
  const row = await db.selectFrom('agents').select(['first_name', 'last_name', 'email']).where('id', '=', agentId).where('deleted_at', 'is', null).executeTakeFirst();
  return row === undefined ? undefined : { firstName: row.first_name, lastName: row.last_name, email: row.email };
}

/** Journals a change of an agent's account (who, when, what: ids and levels only). */
export async function insertAgentAuditEntry(
  db: Db,
  entry: { actorAgentId: number; action: 'create' | 'update'; agentId: number; organisationId: number; territoryId: number; details: Record<string, string | number | boolean | null> },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: 'agent',
      actor_id: entry.actorAgentId,
      action: entry.action,
      subject_type: 'agent',
      subject_id: entry.agentId,
      territory_id: entry.territoryId,
      details: JSON.stringify({ organisationId: entry.organisationId, ...entry.details }),
    })
    .execute();
}

/** Stores a new link token (its SHA-256 only). */
export async function insertAgentToken(
  db: Db,
  token: { agentId: number; purpose: AgentTokenPurpose; tokenHash: string; createdByAgentId: number | null; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('agent_tokens')
    .values({
      agent_id: token.agentId,
      purpose: token.purpose,
      token_hash: token.tokenHash,
      created_by_agent_id: token.createdByAgentId,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** Revokes the agent's links not used yet (of one purpose, or all). Returns how many. */
export async function revokePendingAgentTokens(db: Db, request: { agentId: number; now: Date; purpose?: AgentTokenPurpose }): Promise<number> {
  let query = db
    .updateTable('agent_tokens')
    .set({ revoked_at: request.now })
    .where('agent_id', '=', request.agentId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null);
  if (request.purpose !== undefined) query = query.where('purpose', '=', request.purpose);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The agent a usable link belongs to (not used, not revoked, not expired, agent not deleted); nothing is spent. */
export async function findUsableAgentToken(
  db: Db,
  request: { tokenHash: string; purpose: AgentTokenPurpose; now: Date },
): Promise<{ agentId: number; email: string | null; firstName: string; lastName: string } | undefined> {
  const row = await db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .select(['agents.id', 'agents.email', 'agents.first_name', 'agents.last_name'])
    .where('agent_tokens.token_hash', '=', request.tokenHash)
    .where('agent_tokens.purpose', '=', request.purpose)
    .where('agent_tokens.used_at', 'is', null)
    .where('agent_tokens.revoked_at', 'is', null)
    .where('agent_tokens.expires_at', '>', request.now)
    .where('agents.deleted_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { agentId: row.id, email: row.email, firstName: row.first_name, lastName: row.last_name };
}

/** Spends a link: one UPDATE that only matches a usable token, so two concurrent uses cannot both succeed. */
export async function consumeAgentToken(db: Db, request: { tokenHash: string; purpose: AgentTokenPurpose; now: Date }): Promise<number | undefined> {
  const row = await db
    .updateTable('agent_tokens')
    .set({ used_at: request.now })
    .where('token_hash', '=', request.tokenHash)
    .where('purpose', '=', request.purpose)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', request.now)
    .returning('agent_id')
    .executeTakeFirst();
  return row?.agent_id;
}

/**
 * Sets the agent's password and raises the session generation (every session opened before ends);
 * an accepted invitation is dated. Returns the new generation, or undefined for a deleted agent.
 */
export async function setAgentPassword(db: Db, request: { agentId: number; passwordHash: string; now: Date; acceptsInvitation: boolean }): Promise<number | undefined> {
  const row = await db
    .updateTable('agents')
    .set((eb) => ({
      password_hash: request.passwordHash,
      session_generation: eb('session_generation', '+', 1),
      ...(request.acceptsInvitation ? { invitation_accepted_at: eb.fn.coalesce('invitation_accepted_at', eb.val(request.now)) } : {}),
    }))
    .where('id', '=', request.agentId)
    .where('deleted_at', 'is', null)
    .returning('session_generation')
    .executeTakeFirst();
  return row?.session_generation;
}

import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, ImpersonationEndReason } from '../../platform/db/schema.js';
import type { AppointmentScope } from './domain/policies.js';
import type { AgentPrincipal } from './domain/principal.js';

/** An agent able to sign in with a password, found by e-mail (case-insensitive). */
export interface AgentCredentials {
  readonly id: number;
  readonly passwordHash: string | null;
  /** Whether one of the agent's roles allows signing in (not only `intervenant`). */
  readonly maySignIn: boolean;
  readonly sessionGeneration: number;
}

export async function findAgentCredentials(db: Kysely<Database>, email: string): Promise<AgentCredentials | undefined> {
  const row = await db
    .selectFrom('agents')
    .select((eb) => [
      'agents.id',
      'agents.password_hash',
      'agents.session_generation',
      eb
        .or([
          eb.exists(eb.selectFrom('agent_roles').select('agent_roles.agent_id').whereRef('agent_roles.agent_id', '=', 'agents.id').where('agent_roles.access_level', 'in', ['basic', 'admin'])),
          // A super admin needs no organisation: the back office is their workspace (ADR 0032).
          eb('agents.is_super_admin', '=', true),
        ])
        .as('may_sign_in'),
    ])
    .where(sql<string>`lower(agents.email)`, '=', email.toLowerCase())
    .where('agents.deleted_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, passwordHash: row.password_hash, maySignIn: Boolean(row.may_sign_in), sessionGeneration: row.session_generation };
}

export async function updateAgentPasswordHash(db: Kysely<Database>, agentId: number, passwordHash: string): Promise<void> {
  await db.updateTable('agents').set({ password_hash: passwordHash }).where('id', '=', agentId).execute();
}

/** The agent's current session generation, or undefined for an unknown or deleted agent. */
export async function findSessionGeneration(db: Kysely<Database>, agentId: number): Promise<number | undefined> {
  const row = await db.selectFrom('agents').select('session_generation').where('id', '=', agentId).where('deleted_at', 'is', null).executeTakeFirst();
  return row?.session_generation;
}

/** Revokes every session of the agent opened so far (sign-out everywhere, new password). */
export async function revokeAgentSessions(db: Kysely<Database>, agentId: number): Promise<void> {
  await db
    .updateTable('agents')
    .set((eb) => ({ session_generation: eb('session_generation', '+', 1) }))
    .where('id', '=', agentId)
    .execute();
}

/**
 * The principal of a signed-in agent: identity, roles with their organisation, services and
 * territorial roles, in three small indexed queries. Undefined for an unknown or deleted agent.
 */
export async function loadAgentPrincipal(db: Kysely<Database>, agentId: number): Promise<AgentPrincipal | undefined> {
  const agent = await db
    .selectFrom('agents')
    .select(['id', 'first_name', 'last_name', 'email', 'is_super_admin'])
    .where('id', '=', agentId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (agent === undefined) return undefined;
  const [roles, services, territories] = await Promise.all([
    db
      .selectFrom('agent_roles')
      .innerJoin('organisations', 'organisations.id', 'agent_roles.organisation_id')
      .select(['agent_roles.organisation_id', 'agent_roles.access_level', 'organisations.territory_id', 'organisations.name', 'organisations.time_zone'])
      .where('agent_roles.agent_id', '=', agentId)
      .orderBy('organisations.name')
      .execute(),
    db
      .selectFrom('agent_services')
      .innerJoin('services', 'services.id', 'agent_services.service_id')
      .select(['services.id', 'services.is_secretariat'])
      .where('agent_services.agent_id', '=', agentId)
      .execute(),
    db.selectFrom('agent_territorial_roles').select('territory_id').where('agent_id', '=', agentId).execute(),
  ]);
  return {
    agentId: agent.id,
    firstName: agent.first_name,
    lastName: agent.last_name,
    email: agent.email ?? '',
    roles: roles.map((role) => ({
      organisationId: role.organisation_id,
      territoryId: role.territory_id,
      organisationName: role.name,
      timeZone: role.time_zone,
      accessLevel: role.access_level,
    })),
    serviceIds: new Set(services.map((service) => service.id)),
    isSecretariat: services.some((service) => service.is_secretariat),
    territorialAdminOf: new Set(territories.map((territory) => territory.territory_id)),
    isSuperAdmin: agent.is_super_admin,
  };
}

/** Whether the agent is a super admin (who must give a second factor before their session starts). */
export async function isSuperAdminAgent(db: Kysely<Database>, agentId: number): Promise<boolean> {
  const row = await db.selectFrom('agents').select('is_super_admin').where('id', '=', agentId).where('deleted_at', 'is', null).executeTakeFirst();
  return row?.is_super_admin === true;
}

/** An impersonation still open (not ended), with the names of its super admin. */
export interface OpenImpersonation {
  readonly id: number;
  readonly superAdminAgentId: number;
  readonly superAdminFirstName: string;
  readonly superAdminLastName: string;
  readonly agentId: number;
  readonly reason: string;
  readonly expiresAt: Date;
}

export async function findOpenImpersonation(db: Kysely<Database>, request: { impersonationId: number; superAdminAgentId: number }): Promise<OpenImpersonation | undefined> {
  const row = await db
    .selectFrom('impersonations')
    .innerJoin('agents', 'agents.id', 'impersonations.super_admin_agent_id')
    .select(['impersonations.id', 'impersonations.super_admin_agent_id', 'impersonations.agent_id', 'impersonations.reason', 'impersonations.expires_at', 'agents.first_name', 'agents.last_name'])
    .where('impersonations.id', '=', request.impersonationId)
    .where('impersonations.super_admin_agent_id', '=', request.superAdminAgentId)
    .where('impersonations.ended_at', 'is', null)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        id: row.id,
        superAdminAgentId: row.super_admin_agent_id,
        superAdminFirstName: row.first_name,
        superAdminLastName: row.last_name,
        agentId: row.agent_id,
        reason: row.reason,
        expiresAt: row.expires_at,
      };
}

/**
 * Ends an open impersonation and writes its `impersonate` audit entry (the super admin as the
 * actor, the agent as the subject), in the caller's transaction. False if it was already ended.
 */
export async function closeImpersonation(db: Kysely<Database>, request: { impersonationId: number; endReason: ImpersonationEndReason; now: Date }): Promise<boolean> {
  const ended = await db
    .updateTable('impersonations')
    .set({ ended_at: request.now, end_reason: request.endReason })
    .where('id', '=', request.impersonationId)
    .where('ended_at', 'is', null)
    .returning(['super_admin_agent_id', 'agent_id'])
    .executeTakeFirst();
  if (ended === undefined) return false;
  await db
    .insertInto('audit_log')
    .values({
      occurred_at: request.now,
      actor_type: 'agent',
      actor_id: ended.super_admin_agent_id,
      action: 'impersonate',
      subject_type: 'agent',
      subject_id: ended.agent_id,
      territory_id: null,
      details: JSON.stringify({ event: 'end', impersonationId: request.impersonationId, endReason: request.endReason }),
    })
    .execute();
  return true;
}

/** One request made during an impersonation (its path without the query string). */
export async function recordImpersonationRequest(db: Kysely<Database>, request: { impersonationId: number; method: string; path: string; now: Date }): Promise<void> {
  await db.insertInto('impersonation_requests').values({ impersonation_id: request.impersonationId, method: request.method, path: request.path.slice(0, 1024), occurred_at: request.now }).execute();
}

/**
 * `visibleAppointmentsScope` as a WHERE condition. The query must name the tables `appointments`
 * and `appointment_types` (joined on the motif) without aliases.
 */
export function appointmentScopeCondition(scope: AppointmentScope): Expression<SqlBool> {
  switch (scope.kind) {
    case 'none':
      return sql<SqlBool>`false`;
    case 'organisation':
      return sql<SqlBool>`appointments.organisation_id = ${scope.organisationId}`;
    case 'services_or_own': {
      const services = scope.serviceIds.length === 0 ? sql`false` : sql`appointment_types.service_id IN (${sql.join(scope.serviceIds)})`;
      return sql<SqlBool>`appointments.organisation_id = ${scope.organisationId} AND (${services} OR EXISTS (
        SELECT 1 FROM appointment_agents own WHERE own.appointment_id = appointments.id AND own.agent_id = ${scope.agentId}))`;
    }
  }
}

import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
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
        .exists(eb.selectFrom('agent_roles').select('agent_roles.agent_id').whereRef('agent_roles.agent_id', '=', 'agents.id').where('agent_roles.access_level', 'in', ['basic', 'admin']))
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

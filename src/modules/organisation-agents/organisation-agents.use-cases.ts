// Use cases of agents administration (ADR 0029). Each owns its transaction and writes its audit
// entries in it; role changes of one organisation are serialised by an advisory lock (the
// last-admin rule), and the agent's role row is locked FOR UPDATE before anything is decided
// about it (the removal against concurrent bookings: migrations/0016).
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { inviteAgent, resendAgentInvitation, roleIn, type AgentAccountMailServices, type AgentPrincipal } from '../agents/index.js';
import { leavesNoAdmin, servicesAfterEdit, type AgentAccessForm, type IntervenantForm } from './domain/agent-admin-rules.js';
import {
  agentServiceIds,
  countOtherAdmins,
  deactivateAgent,
  deleteRoleAndSchedules,
  deleteTeamMembershipsIn,
  futureAppointmentsOf,
  insertAdminAuditEntry,
  insertIntervenant,
  lockAgentRole,
  lockOrganisationRoles,
  remainingRoles,
  replaceAgentServices,
  setAccessLevel,
  type BlockingAppointment,
} from './organisation-agents.repository.js';

type Db = Kysely<Database>;

function territoryOf(principal: AgentPrincipal, organisationId: number): number {
  const role = roleIn(principal, organisationId);
  if (role === undefined) throw new Error('organisation-agents: the principal has no role in the organisation');
  return role.territoryId;
}

/** Creates an intervenant of the organisation (no address, no sign-in) with their services. */
export async function createIntervenant(db: Db, request: { principal: AgentPrincipal; organisationId: number; form: IntervenantForm }): Promise<{ agentId: number }> {
  const territoryId = territoryOf(request.principal, request.organisationId);
  return db.transaction().execute(async (trx) => {
    const agentId = await insertIntervenant(trx, { ...request.form, organisationId: request.organisationId });
    await insertAdminAuditEntry(trx, {
      actorAgentId: request.principal.agentId,
      action: 'create',
      subjectType: 'agent',
      subjectId: agentId,
      territoryId,
      details: { organisationId: request.organisationId, event: 'intervenant_created', accessLevel: 'intervenant', serviceIds: request.form.serviceIds.join(',') },
    });
    return { agentId };
  });
}

export type UpdateAccessResult =
  | { readonly ok: true; readonly invitation: 'none' | 'sent' | 'added' }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'LAST_ADMIN' | 'EMAIL_TAKEN' | 'CHANGED_MEANWHILE' };

/** A refusal found inside the invitation's transaction: rolls it back, then becomes data again. */
class AccessRefusal extends Error {
  constructor(readonly reason: 'NOT_FOUND' | 'LAST_ADMIN' | 'CHANGED_MEANWHILE') {
    super(reason);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/**
 * Changes the agent's level and services in the organisation. An intervenant given a level that
 * signs in goes through the agents module's invitation (their address set, a link e-mailed), in
 * the same transaction as the services and the audit entry. The last admin keeps their level.
 */
export async function updateAgentAccess(
  db: Db,
  mail: AgentAccountMailServices,
  request: { principal: AgentPrincipal; organisationId: number; agentId: number; form: AgentAccessForm; territoryServiceIds: readonly number[]; now: Date },
): Promise<UpdateAccessResult> {
  const { principal, organisationId, agentId, form } = request;
  const territoryId = territoryOf(principal, organisationId);

  /** Locks, checks the rules, writes the services and the audit entry; the level too unless the invitation sets it. */
  async function write(trx: Db, expected: { promotion: boolean }): Promise<void> {
    await lockOrganisationRoles(trx, organisationId);
    const role = await lockAgentRole(trx, organisationId, agentId);
    if (role === undefined) throw new AccessRefusal('NOT_FOUND');
    // The form was checked against what the page showed: an intervenant given an address meanwhile is another case.
    if ((role.accessLevel === 'intervenant' && form.accessLevel !== 'intervenant') !== expected.promotion) throw new AccessRefusal('CHANGED_MEANWHILE');
    if (role.accessLevel !== 'intervenant' && form.accessLevel === 'intervenant') throw new AccessRefusal('CHANGED_MEANWHILE');
    if (leavesNoAdmin({ currentLevel: role.accessLevel, newLevel: form.accessLevel, otherAdmins: await countOtherAdmins(trx, organisationId, agentId) })) throw new AccessRefusal('LAST_ADMIN');
    const before = await agentServiceIds(trx, agentId);
    const after = servicesAfterEdit(before, form.serviceIds, request.territoryServiceIds);
    if (after.join(',') !== before.join(',')) await replaceAgentServices(trx, agentId, after);
    if (!expected.promotion && role.accessLevel !== form.accessLevel) await setAccessLevel(trx, organisationId, agentId, form.accessLevel);
    await insertAdminAuditEntry(trx, {
      actorAgentId: principal.agentId,
      action: 'update',
      subjectType: 'agent',
      subjectId: agentId,
      territoryId,
      details: { organisationId, event: 'access_changed', accessLevelBefore: role.accessLevel, accessLevel: form.accessLevel, serviceIdsBefore: before.join(','), serviceIds: after.join(',') },
    });
  }

  const promotion = form.accessLevel !== 'intervenant' && (await currentLevel(db, organisationId, agentId)) === 'intervenant';
  try {
    if (!promotion) {
      await db.transaction().execute((trx) => write(trx, { promotion: false }));
      return { ok: true, invitation: 'none' };
    }
    const names = await db.selectFrom('agents').select(['first_name', 'last_name', 'email']).where('id', '=', agentId).executeTakeFirst();
    const email = names?.email ?? form.email;
    if (names === undefined || email === null) return { ok: false, reason: names === undefined ? 'NOT_FOUND' : 'CHANGED_MEANWHILE' };
    const invited = await inviteAgent(mail, {
      principal,
      organisationId,
      now: request.now,
      promoteAgentId: agentId,
      // The invitation grants the level and one service (already among `after`); ours writes the rest.
      form: { firstName: names.first_name, lastName: names.last_name, email, accessLevel: form.accessLevel, serviceId: form.serviceIds[0] ?? 0 },
      alsoWrite: (trx) => write(trx, { promotion: true }),
    });
    if (!invited.ok) return { ok: false, reason: 'EMAIL_TAKEN' };
    return { ok: true, invitation: invited.outcome === 'INVITED' ? 'sent' : 'added' };
  } catch (error) {
    if (error instanceof AccessRefusal) return { ok: false, reason: error.reason };
    // The address was taken by another agent between the check and the write.
    if (isUniqueViolation(error)) return { ok: false, reason: 'EMAIL_TAKEN' };
    throw error;
  }
}

async function currentLevel(db: Db, organisationId: number, agentId: number): Promise<string | undefined> {
  const row = await db.selectFrom('agent_roles').select('access_level').where('organisation_id', '=', organisationId).where('agent_id', '=', agentId).executeTakeFirst();
  return row?.access_level;
}

/** Sends a pending invitation again (the agents module's use case); NOT_PENDING when there is none. */
export async function resendInvitation(mail: AgentAccountMailServices, request: { principal: AgentPrincipal; organisationId: number; agentId: number; now: Date }): Promise<boolean> {
  const result = await resendAgentInvitation(mail, request);
  return result.ok;
}

export type RemovalResult =
  | { readonly ok: true; readonly deactivated: boolean }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'LAST_ADMIN' }
  | { readonly ok: false; readonly reason: 'FUTURE_APPOINTMENTS'; readonly appointments: readonly BlockingAppointment[] };

/**
 * Removes the agent from the organisation, in one transaction: the organisation's roles locked
 * (advisory), the agent's role row locked FOR UPDATE (a concurrent booking waits, or has to be
 * seen), refused for the last admin or while the agent has appointments there that are not over
 * and not cancelled (listed); else the role, the opening periods, absences and agent-level sector
 * attributions of the organisation are deleted, the team memberships of a territory where no role
 * is left too, and an agent with no role left anywhere is deactivated (sessions end). Audited.
 */
export async function removeAgentFromOrganisation(db: Db, request: { principal: AgentPrincipal; organisationId: number; agentId: number; now: Date }): Promise<RemovalResult> {
  const { principal, organisationId, agentId, now } = request;
  const territoryId = territoryOf(principal, organisationId);
  return db.transaction().execute(async (trx): Promise<RemovalResult> => {
    await lockOrganisationRoles(trx, organisationId);
    const role = await lockAgentRole(trx, organisationId, agentId);
    if (role === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (leavesNoAdmin({ currentLevel: role.accessLevel, newLevel: null, otherAdmins: await countOtherAdmins(trx, organisationId, agentId) })) return { ok: false, reason: 'LAST_ADMIN' };
    // Read after the lock: under READ COMMITTED this statement sees every booking that committed while we waited.
    const appointments = await futureAppointmentsOf(trx, organisationId, agentId, now);
    if (appointments.length > 0) return { ok: false, reason: 'FUTURE_APPOINTMENTS', appointments };
    const counts = await deleteRoleAndSchedules(trx, organisationId, agentId);
    const left = await remainingRoles(trx, agentId, territoryId);
    const deactivated = left.anywhere === 0;
    const memberships = deactivated ? await deleteTeamMembershipsIn(trx, agentId, 'all') : left.inTerritory === 0 ? await deleteTeamMembershipsIn(trx, agentId, territoryId) : 0;
    await insertAdminAuditEntry(trx, {
      actorAgentId: principal.agentId,
      action: 'delete',
      subjectType: 'agent',
      subjectId: agentId,
      territoryId,
      details: {
        organisationId,
        event: 'removed_from_organisation',
        accessLevel: role.accessLevel,
        openingPeriodsDeleted: counts.openingPeriods,
        absencesDeleted: counts.absences,
        sectorAttributionsDeleted: counts.sectorAttributions,
        teamMembershipsDeleted: memberships,
      },
    });
    if (deactivated) {
      await deactivateAgent(trx, agentId, now);
      await insertAdminAuditEntry(trx, {
        actorAgentId: principal.agentId,
        action: 'update',
        subjectType: 'agent',
        subjectId: agentId,
        territoryId,
        details: { organisationId, event: 'deactivated', sessionsEnded: true },
      });
    }
    return { ok: true, deactivated };
  });
}

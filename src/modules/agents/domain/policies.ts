/**
 * Authorisation as pure functions of the principal and of the facts of what is asked for
 * (ADR 0015). Routes call them on every request, and repositories apply the same rules in their
 * WHERE clauses (`visibleAppointmentsScope`) so that a list never holds what a page would refuse.
 * A refusal is always answered 404 by the routes, never 403: ids cannot be probed.
 *
 * The rules (RDV-Service-Public's, made explicit):
 * - an agent acts only in the organisations where they hold a role (`basic` or `admin`;
 *   `intervenant` agents have agendas but no sign-in);
 * - `basic`: the agendas of the agents who share a service with them in that organisation, the
 *   appointments of their services there, and every appointment they take part in;
 * - a member of a secretariat service: every agenda and appointment of their organisations;
 * - `admin`: everything of their organisation, and its management;
 * - territorial admin: the territory's settings (administration issue); in an organisation they
 *   act with the role they hold there.
 */
import type { AgentPrincipal } from './principal.js';
import { roleIn } from './principal.js';

/** Whether an agent with this access level may sign in at all (intervenants may not). */
export function accessLevelMaySignIn(accessLevel: string): boolean {
  return accessLevel === 'basic' || accessLevel === 'admin';
}

/** Whether the principal may act in the organisation (any role that signs in). */
export function canAccessOrganisation(principal: AgentPrincipal, organisationId: number): boolean {
  const role = roleIn(principal, organisationId);
  return role !== undefined && accessLevelMaySignIn(role.accessLevel);
}

/** Whether the principal sees every agenda and appointment of the organisation (admin or secretariat). */
export function seesWholeOrganisation(principal: AgentPrincipal, organisationId: number): boolean {
  const role = roleIn(principal, organisationId);
  if (role === undefined || !accessLevelMaySignIn(role.accessLevel)) return false;
  return role.accessLevel === 'admin' || principal.isSecretariat;
}

/** Whether the principal manages the organisation (places, motifs, agents: admin only). */
export function canManageOrganisation(principal: AgentPrincipal, organisationId: number): boolean {
  return roleIn(principal, organisationId)?.accessLevel === 'admin';
}

/** Whether the principal administers the territory. */
export function canManageTerritory(principal: AgentPrincipal, territoryId: number): boolean {
  return principal.territorialAdminOf.has(territoryId);
}

/** What is known of an agent whose agenda is asked for, in one organisation. */
export interface AgendaOwnerFacts {
  readonly agentId: number;
  /** Whether the agent holds a role (any level, intervenants included) in the organisation. */
  readonly belongsToOrganisation: boolean;
  readonly serviceIds: ReadonlySet<number> | readonly number[];
}

function sharesAService(principal: AgentPrincipal, serviceIds: ReadonlySet<number> | readonly number[]): boolean {
  for (const serviceId of serviceIds) if (principal.serviceIds.has(serviceId)) return true;
  return false;
}

/** Whether the principal may see (and work in) this agent's agenda in the organisation. */
export function canSeeAgenda(principal: AgentPrincipal, organisationId: number, owner: AgendaOwnerFacts): boolean {
  if (!canAccessOrganisation(principal, organisationId) || !owner.belongsToOrganisation) return false;
  if (owner.agentId === principal.agentId) return true;
  if (seesWholeOrganisation(principal, organisationId)) return true;
  return sharesAService(principal, owner.serviceIds);
}

/** What is known of an appointment when deciding who sees it. */
export interface AppointmentFacts {
  readonly organisationId: number;
  /** The service of its motif. */
  readonly serviceId: number;
  readonly agentIds: readonly number[];
}

/** Whether the principal may see the appointment (and its participants). */
export function canSeeAppointment(principal: AgentPrincipal, appointment: AppointmentFacts): boolean {
  if (!canAccessOrganisation(principal, appointment.organisationId)) return false;
  if (seesWholeOrganisation(principal, appointment.organisationId)) return true;
  return principal.serviceIds.has(appointment.serviceId) || appointment.agentIds.includes(principal.agentId);
}

/**
 * Whether the principal may change the appointment (time, place, agents, participants, status).
 * The same as seeing it: RDV-Service-Public lets every agent who sees an appointment work on it.
 */
export function canChangeAppointment(principal: AgentPrincipal, appointment: AppointmentFacts): boolean {
  return canSeeAppointment(principal, appointment);
}

/**
 * Whether the principal may manage the opening periods and absences of this agent in the
 * organisation: their own, or anyone's when they see the whole organisation (admin, secretariat).
 */
export function canManageScheduleOf(principal: AgentPrincipal, organisationId: number, owner: AgendaOwnerFacts): boolean {
  if (!canAccessOrganisation(principal, organisationId) || !owner.belongsToOrganisation) return false;
  return owner.agentId === principal.agentId || seesWholeOrganisation(principal, organisationId);
}

/** Whether the principal may book with this motif (a motif of their services, or anything when seeing the whole organisation). */
export function canUseMotif(principal: AgentPrincipal, motif: { readonly organisationId: number; readonly serviceId: number }): boolean {
  if (!canAccessOrganisation(principal, motif.organisationId)) return false;
  return seesWholeOrganisation(principal, motif.organisationId) || principal.serviceIds.has(motif.serviceId);
}

/**
 * The same rule as `canSeeAppointment`, as data for a WHERE clause: in this organisation, either
 * everything, or the appointments of these services plus those of this agent.
 */
export type AppointmentScope =
  | { readonly kind: 'none' }
  | { readonly kind: 'organisation'; readonly organisationId: number }
  | { readonly kind: 'services_or_own'; readonly organisationId: number; readonly serviceIds: readonly number[]; readonly agentId: number };

export function visibleAppointmentsScope(principal: AgentPrincipal, organisationId: number): AppointmentScope {
  if (!canAccessOrganisation(principal, organisationId)) return { kind: 'none' };
  if (seesWholeOrganisation(principal, organisationId)) return { kind: 'organisation', organisationId };
  return { kind: 'services_or_own', organisationId, serviceIds: [...principal.serviceIds], agentId: principal.agentId };
}

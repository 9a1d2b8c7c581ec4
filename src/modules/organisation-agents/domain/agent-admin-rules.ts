// What an organisation admin types when creating an intervenant or changing an agent's access
// (ADR 0029), with French messages (422, input kept), and the rule that keeps an admin in every
// organisation. Pure: the use cases call these with what they read under their locks.
import { cleanPersonName, MAX_PERSON_NAME_LENGTH } from '../../../shared/text/free-text.js';
import { cleanAgentEmail, type AccessLevel } from '../../agents/index.js';

export type FieldErrors = Record<string, string>;
export type FormCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

export const ACCESS_LEVELS: readonly AccessLevel[] = ['basic', 'admin', 'intervenant'];

function personName(value: string | undefined, label: string): { ok: true; value: string } | { ok: false; message: string } {
  const cleaned = cleanPersonName(value ?? '');
  if (cleaned.ok) return cleaned;
  switch (cleaned.problem) {
    case 'EMPTY':
      return { ok: false, message: `Saisissez le ${label} de l’intervenant.` };
    case 'TOO_LONG':
      return { ok: false, message: `Le ${label} est trop long (${String(MAX_PERSON_NAME_LENGTH)} caractères au plus).` };
    case 'INVALID':
      return { ok: false, message: `Le ${label} ne peut contenir que des lettres, des espaces, des apostrophes et des tirets.` };
  }
}

/** Services chosen among those offered (the territory's): at least one, each known. */
function chosenServices(chosen: readonly number[], offered: readonly number[]): { ok: true; value: number[] } | { ok: false; message: string } {
  if (chosen.length === 0) return { ok: false, message: 'Choisissez au moins un service.' };
  if (chosen.some((id) => !offered.includes(id))) return { ok: false, message: 'Choisissez les services dans la liste.' };
  return { ok: true, value: [...new Set(chosen)].sort((a, b) => a - b) };
}

export interface IntervenantForm {
  readonly firstName: string;
  readonly lastName: string;
  readonly serviceIds: readonly number[];
}

/** A new intervenant: first and last names (the one rule for names) and their services. */
export function checkIntervenantForm(input: { prenom?: string; nom?: string; services: readonly number[] }, offeredServiceIds: readonly number[]): FormCheck<IntervenantForm> {
  const errors: FieldErrors = {};
  const firstName = personName(input.prenom, 'prénom');
  if (!firstName.ok) errors.prenom = firstName.message;
  const lastName = personName(input.nom, 'nom');
  if (!lastName.ok) errors.nom = lastName.message;
  const services = chosenServices(input.services, offeredServiceIds);
  if (!services.ok) errors.services = services.message;
  if (!firstName.ok || !lastName.ok || !services.ok) return { ok: false, errors };
  return { ok: true, value: { firstName: firstName.value, lastName: lastName.value, serviceIds: services.value } };
}

/** What is known of the agent whose access is edited. */
export interface EditedAgentFacts {
  readonly accessLevel: AccessLevel;
  /** Whether the agent has an e-mail address (an account, or an invitation). */
  readonly hasEmail: boolean;
}

export interface AgentAccessForm {
  readonly accessLevel: AccessLevel;
  readonly serviceIds: readonly number[];
  /** The address given to an intervenant who is given access; null otherwise. */
  readonly email: string | null;
}

/** The levels the form offers: an agent who signs in keeps an account, so never becomes an intervenant again. */
export function levelsOffered(agent: EditedAgentFacts): readonly AccessLevel[] {
  return agent.accessLevel === 'intervenant' ? ACCESS_LEVELS : ['basic', 'admin'];
}

/**
 * The agent's access in the organisation: a level among those offered, services among the
 * territory's, and an e-mail address when an intervenant without one is given a level that signs in.
 */
export function checkAgentAccessForm(
  input: { niveau?: string; services: readonly number[]; email?: string },
  agent: EditedAgentFacts,
  offeredServiceIds: readonly number[],
): FormCheck<AgentAccessForm> {
  const errors: FieldErrors = {};
  const offered = levelsOffered(agent);
  const accessLevel = offered.find((level) => level === input.niveau);
  if (accessLevel === undefined) {
    errors.niveau = offered.includes('intervenant') ? 'Choisissez le niveau d’accès de l’agent.' : 'Choisissez le niveau d’accès de l’agent : un agent qui a un compte ne peut pas devenir intervenant.';
  }
  const services = chosenServices(input.services, offeredServiceIds);
  if (!services.ok) errors.services = services.message;
  let email: string | null = null;
  const needsEmail = accessLevel !== undefined && accessLevel !== 'intervenant' && !agent.hasEmail;
  if (needsEmail) {
    const cleaned = cleanAgentEmail(input.email);
    if (cleaned.ok) email = cleaned.value;
    else errors.email = (input.email ?? '').trim() === '' ? 'Pour donner accès à Créneau à un intervenant, saisissez son adresse e-mail professionnelle : il recevra une invitation.' : cleaned.message;
  }
  if (accessLevel === undefined || !services.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { accessLevel, serviceIds: services.value, email } };
}

/**
 * Whether a change would leave the organisation without an admin: the agent is an admin, loses
 * that level (another level, or no role at all: `null`), and no other admin remains.
 */
export function leavesNoAdmin(change: { currentLevel: AccessLevel; newLevel: AccessLevel | null; otherAdmins: number }): boolean {
  return change.currentLevel === 'admin' && change.newLevel !== 'admin' && change.otherAdmins === 0;
}

export const LAST_ADMIN_MESSAGE = 'Cet agent est le dernier administrateur de l’organisation : nommez d’abord un autre administrateur.';

/**
 * The services an agent keeps after an edit: services are the agent's (every organisation), so
 * the admin's choice replaces only the services of their territory; the others stay.
 */
export function servicesAfterEdit(current: readonly number[], chosen: readonly number[], territoryServiceIds: readonly number[]): number[] {
  const kept = current.filter((id) => !territoryServiceIds.includes(id));
  return [...new Set([...kept, ...chosen])].sort((a, b) => a - b);
}

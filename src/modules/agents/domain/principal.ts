/**
 * The signed-in agent as every policy sees it: who they are, and their roles. Loaded once per
 * request by `requireAgent` (agents.repository.ts); pure data, so policies are pure functions.
 */
/** The access levels of agent_roles. */
export type AccessLevel = 'admin' | 'basic' | 'intervenant';

export interface OrganisationRole {
  readonly organisationId: number;
  readonly territoryId: number;
  readonly organisationName: string;
  /** The organisation's time zone (the agenda's default zone). */
  readonly timeZone: string;
  readonly accessLevel: AccessLevel;
}

export interface AgentPrincipal {
  readonly agentId: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** One entry per organisation the agent belongs to, sorted by name. */
  readonly roles: readonly OrganisationRole[];
  /** The services the agent belongs to (PMI, Service social, Secrétariat…). */
  readonly serviceIds: ReadonlySet<number>;
  /** Whether one of those services is a secretariat (sees every agenda of the organisations). */
  readonly isSecretariat: boolean;
  /** Territories the agent administers (territorial admin). */
  readonly territorialAdminOf: ReadonlySet<number>;
  readonly isSuperAdmin: boolean;
}

/** The agent's role in one organisation, if any. */
export function roleIn(principal: AgentPrincipal, organisationId: number): OrganisationRole | undefined {
  return principal.roles.find((role) => role.organisationId === organisationId);
}

/** "Prénom Nom", for headers and histories. */
export function agentDisplayName(agent: { readonly firstName: string; readonly lastName: string }): string {
  return `${agent.firstName} ${agent.lastName}`;
}

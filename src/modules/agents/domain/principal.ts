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
  /**
   * A super admin of the platform. Their session starts only once their second factor is given
   * (ADR 0032): a principal with `isSuperAdmin` comes from a TOTP-verified session.
   */
  readonly isSuperAdmin: boolean;
  /**
   * Set while a super admin acts as this agent (« se connecter en tant que », ADR 0032): every
   * page shows a banner, audit entries name the super admin too, and the back office is out of
   * reach.
   */
  readonly impersonation?: Impersonation;
}

/** A super admin acting as the principal's agent, until `endsAt`. */
export interface Impersonation {
  readonly impersonationId: number;
  readonly superAdmin: { readonly agentId: number; readonly firstName: string; readonly lastName: string };
  readonly reason: string;
  readonly endsAt: Date;
}

/** A super admin acting as themselves (TOTP-verified session, no impersonation): the back office is theirs. */
export function actsAsSuperAdmin(principal: AgentPrincipal): boolean {
  return principal.isSuperAdmin && principal.impersonation === undefined;
}

/** The agent's role in one organisation, if any. */
export function roleIn(principal: AgentPrincipal, organisationId: number): OrganisationRole | undefined {
  return principal.roles.find((role) => role.organisationId === organisationId);
}

/** "Prénom Nom", for headers and histories. */
export function agentDisplayName(agent: { readonly firstName: string; readonly lastName: string }): string {
  return `${agent.firstName} ${agent.lastName}`;
}

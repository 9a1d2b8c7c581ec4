// Public API of the agents module: agent accounts (sign-in, sessions, guards), the signed-in
// agent's principal, the authorisation policies every agent route applies, and the workspace layout.
export { agentsPlugin } from './agents.plugin.js';
export { agentGuards, agentOf, startAgentSession, type AgentGuards } from './agent-session.js';
export { appointmentScopeCondition, loadAgentPrincipal } from './agents.repository.js';
export { organisationParams } from './agents.schemas.js';
export * from './domain/policies.js';
export { agentDisplayName, roleIn, type AgentPrincipal, type OrganisationRole } from './domain/principal.js';
export { AgentLayout, type AgentLayoutProps, type AgentSection } from './views/agent-layout.js';
// Invitations, for the territory administration (a territorial admin invites into any organisation of the territory).
export { checkInvitationForm } from './domain/agent-account-forms.js';
export { invitationBody } from './agents.schemas.js';
export { passwordIdentityProvider, type AgentIdentification, type AgentIdentityProvider, type PasswordProof } from './agent-identity.js';
// Agents administration (organisation-agents, ADR 0029) and territory administration: the invitation
// use case (also to give an intervenant access), re-sending a pending invitation, the services of a territory, the e-mail rule.
export {
  inviteAgent,
  issueInvitationLink,
  resendAgentInvitation,
  type AgentAccountMailServices,
  type InviteAgentRequest,
  type InviteAgentResult,
  type ResendInvitationResult,
} from './agent-accounts.use-cases.js';
export { listTerritoryServicesOf } from './agent-accounts.repository.js';
export { cleanAgentEmail, type InvitationForm, type InvitedAccessLevel } from './domain/agent-account-forms.js';
export type { AccessLevel } from './domain/principal.js';
// Super admin back office (ADR 0032): the second factor's half-signed-in state, impersonation sessions.
export {
  completeSecondFactor,
  endImpersonation,
  endImpersonationSession,
  pendingSecondFactorOf,
  startImpersonationSession,
  IMPERSONATION_EXPIRED_PATH,
  SECOND_FACTOR_WAIT_MS,
} from './agent-session.js';
export { actsAsSuperAdmin, type Impersonation } from './domain/principal.js';
export { agentSignInThrottleKey } from './agents.use-cases.js';
// The invitation's building blocks, for the back office's territory creation (one transaction of its own).
export { insertAgentAuditEntry, insertInvitedAgent } from './agent-accounts.repository.js';
export { agentAddedMail, agentInvitationMail, type AgentMail } from './domain/agent-mails.js';

// Agent invitations and password resets (ADR 0015). Rules:
// - an admin invites into their organisation: a new agent without a password, or a role (and a
//   service) for an agent of the same territory; another territory's agent is never touched;
// - the invitee proves the mailbox by using the link (7 days, once) and chooses a password; a new
//   invitation revokes the earlier links;
// - a reset link (1 hour, once) goes only to agents who may sign in and have a password; the form
//   answers the same for every address, and e-mails to one address are capped per hour;
// - choosing a password spends the link in one UPDATE, revokes every other pending link of the
//   agent, raises the session generation (every other session ends) and clears the sign-in throttle.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { MailQueue } from '../../platform/mailer/index.js';
import { clearSignInThrottle, countHit, hashPassword, throttleKey } from '../../platform/security/index.js';
import { checkPassword } from '../auth/index.js';
import {
  consumeAgentToken,
  findAgentNames,
  findExistingAgentFacts,
  findUsableAgentToken,
  grantRoleAndService,
  insertAgentAuditEntry,
  insertAgentToken,
  insertInvitedAgent,
  revokePendingAgentTokens,
  setAgentPassword,
  setMissingAgentEmail,
  findPendingInvitee,
} from './agent-accounts.repository.js';
import { hashAgentToken, newAgentToken } from './agent-tokens.js';
import { findAgentCredentials } from './agents.repository.js';
import { agentSignInThrottleKey } from './agents.use-cases.js';
import type { FieldErrors, InvitationForm } from './domain/agent-account-forms.js';
import { agentAddedMail, agentInvitationMail, agentPasswordResetMail, INVITATION_VALIDITY_DAYS, PASSWORD_RESET_VALIDITY_MINUTES, type AgentMail } from './domain/agent-mails.js';
import { decideInvitation } from './domain/invitation-decision.js';
import { agentDisplayName, roleIn, type AgentPrincipal } from './domain/principal.js';

/** E-mails (password resets) sent to one agent address per hour. */
export const AGENT_MAILS_PER_ADDRESS_PER_HOUR = 5;

export interface AgentAccountMailServices {
  readonly db: Kysely<Database>;
  readonly mail: MailQueue;
  /** SESSION_SECRET: keys the HMACs under which addresses are counted. */
  readonly sessionSecret: string;
  /** BASE_URL, for the links in e-mails. */
  readonly baseUrl: string;
}

function send(services: AgentAccountMailServices, to: string, mail: AgentMail, kind: string): void {
  services.mail.enqueue({ to, subject: mail.subject, text: mail.text }, kind);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

export type InviteAgentResult =
  | { readonly ok: true; readonly outcome: 'INVITED' | 'ADDED' }
  | { readonly ok: false; readonly reason: 'ALREADY_MEMBER' | 'ADDRESS_TAKEN_ELSEWHERE' };

export interface InviteAgentRequest {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly form: InvitationForm;
  readonly now: Date;
  /** The organisation when the principal holds no role in it (a territorial admin inviting into an organisation of their territory). */
  readonly organisation?: { readonly organisationName: string; readonly territoryId: number };
  /**
   * An intervenant of the organisation given access (organisation-agents, ADR 0029): without an
   * address yet, they receive `form.email` in the invitation's transaction; an address that is
   * another agent's is refused (`ADDRESS_TAKEN_ELSEWHERE`).
   */
  readonly promoteAgentId?: number;
  /** Written first, in the invitation's transaction (the caller's own changes and audit entries); a throw rolls everything back. */
  readonly alsoWrite?: (trx: Kysely<Database>) => Promise<void>;
}

/** The decision for an intervenant who is given access with this address (see `promoteAgentId`). */
async function decidePromotion(db: Kysely<Database>, request: InviteAgentRequest & { promoteAgentId: number }): Promise<ReturnType<typeof decideInvitation>> {
  const holder = await findExistingAgentFacts(db, { email: request.form.email, organisationId: request.organisationId });
  if (holder !== undefined && holder.agentId !== request.promoteAgentId) return { ok: false, reason: 'ADDRESS_TAKEN_ELSEWHERE' };
  if (holder !== undefined) return decideInvitation(holder);
  const intervenant = await findAgentNames(db, request.promoteAgentId);
  // An agent with another address keeps it: the form offers no address field to agents who have one.
  if (intervenant === undefined || intervenant.email !== null) return { ok: false, reason: 'ADDRESS_TAKEN_ELSEWHERE' };
  return { ok: true, kind: 'ADD_ROLE', agentId: request.promoteAgentId, sendInvitationLink: true };
}

/**
 * Invites an agent into the organisation (the caller checked `canManageOrganisation`, or
 * `canManageTerritory` for an organisation of the territory, which it then names in
 * `organisation`). The change, its audit entry and the link are written in one transaction; the
 * e-mail is queued after.
 */
export async function inviteAgent(services: AgentAccountMailServices, request: InviteAgentRequest, attempt = 1): Promise<InviteAgentResult> {
  const organisation = request.organisation ?? roleIn(request.principal, request.organisationId);
  if (organisation === undefined) throw new Error('inviteAgent() called for an organisation the principal has no role in');
  const { form, now } = request;
  const promoteAgentId = request.promoteAgentId;
  const decision =
    promoteAgentId === undefined
      ? decideInvitation(await findExistingAgentFacts(services.db, { email: form.email, organisationId: request.organisationId }))
      : await decidePromotion(services.db, { ...request, promoteAgentId });
  if (!decision.ok) return decision;
  let written: { agentId: number; invitationLink: string | undefined };
  try {
    written = await services.db.transaction().execute(async (trx) => {
      if (request.alsoWrite !== undefined) await request.alsoWrite(trx);
      if (promoteAgentId !== undefined) await setMissingAgentEmail(trx, { agentId: promoteAgentId, email: form.email });
      const agentId = decision.kind === 'CREATE_AGENT' ? await insertInvitedAgent(trx, form) : decision.agentId;
      const sendInvitationLink = decision.kind === 'CREATE_AGENT' || decision.sendInvitationLink;
      await grantRoleAndService(trx, { agentId, organisationId: request.organisationId, accessLevel: form.accessLevel, serviceId: form.serviceId });
      await insertAgentAuditEntry(trx, {
        actorAgentId: request.principal.agentId,
        action: decision.kind === 'CREATE_AGENT' ? 'create' : 'update',
        agentId,
        organisationId: request.organisationId,
        territoryId: organisation.territoryId,
        details: { event: 'invitation', accessLevel: form.accessLevel, serviceId: form.serviceId },
      });
      const invitationLink = sendInvitationLink ? await issueInvitationLink(trx, { agentId, createdByAgentId: request.principal.agentId, baseUrl: services.baseUrl, now }) : undefined;
      return { agentId, invitationLink };
    });
  } catch (error) {
    // Two invitations of one new address at once: the second sees the first's agent and decides again.
    if (isUniqueViolation(error) && attempt === 1) return inviteAgent(services, request, 2);
    throw error;
  }
  const invitee = await findAgentNames(services.db, written.agentId);
  const to = invitee?.email ?? form.email;
  const firstName = invitee?.firstName ?? form.firstName;
  const invitedBy = agentDisplayName(request.principal);
  if (written.invitationLink !== undefined) {
    const mail = agentInvitationMail({ firstName, organisationName: organisation.organisationName, invitedBy, link: written.invitationLink });
    send(services, to, mail, 'agent-invitation');
    return { ok: true, outcome: 'INVITED' };
  }
  send(services, to, agentAddedMail({ firstName, organisationName: organisation.organisationName, invitedBy, signInLink: `${services.baseUrl}/agents/connexion` }), 'agent-added');
  return { ok: true, outcome: 'ADDED' };
}

export type ResendInvitationResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'NOT_PENDING' };

/**
 * Sends a pending invitation again (organisation-agents, ADR 0029): an agent of the organisation
 * with an address, a level that signs in there and no password yet gets a new link; the earlier
 * links stop working. The link and its audit entry are written in one transaction, the e-mail is
 * queued after. The caller checked `canManageOrganisation`.
 */
export async function resendAgentInvitation(
  services: AgentAccountMailServices,
  request: { principal: AgentPrincipal; organisationId: number; agentId: number; now: Date },
): Promise<ResendInvitationResult> {
  const organisation = roleIn(request.principal, request.organisationId);
  if (organisation === undefined) throw new Error('resendAgentInvitation() called for an organisation the principal has no role in');
  const { now } = request;
  const invitee = await services.db.transaction().execute(async (trx) => {
    const pending = await findPendingInvitee(trx, { agentId: request.agentId, organisationId: request.organisationId });
    if (pending === undefined) return undefined;
    const link = await issueInvitationLink(trx, { agentId: pending.agentId, createdByAgentId: request.principal.agentId, baseUrl: services.baseUrl, now });
    await insertAgentAuditEntry(trx, {
      actorAgentId: request.principal.agentId,
      action: 'update',
      agentId: pending.agentId,
      organisationId: request.organisationId,
      territoryId: organisation.territoryId,
      details: { event: 'invitation_resent' },
    });
    return { ...pending, link };
  });
  if (invitee === undefined) return { ok: false, reason: 'NOT_PENDING' };
  const mail = agentInvitationMail({
    firstName: invitee.firstName,
    organisationName: organisation.organisationName,
    invitedBy: agentDisplayName(request.principal),
    link: invitee.link,
  });
  send(services, invitee.email, mail, 'agent-invitation');
  return { ok: true };
}

/**
 * A new invitation link for the agent, in the caller's transaction: the links still pending are
 * revoked and the new one stored (valid INVITATION_VALIDITY_DAYS). Returns the URL to send.
 */
export async function issueInvitationLink(db: Kysely<Database>, request: { agentId: number; createdByAgentId: number | null; baseUrl: string; now: Date }): Promise<string> {
  const link = newAgentToken();
  await revokePendingAgentTokens(db, { agentId: request.agentId, purpose: 'invitation', now: request.now });
  await insertAgentToken(db, {
    agentId: request.agentId,
    purpose: 'invitation',
    tokenHash: link.tokenHash,
    createdByAgentId: request.createdByAgentId,
    createdAt: request.now,
    expiresAt: new Date(request.now.getTime() + INVITATION_VALIDITY_DAYS * 86_400_000),
  });
  return `${request.baseUrl}/agents/invitation?jeton=${link.token}`;
}

export type AgentLinkPurpose = 'invitation' | 'password_reset';

/** Who an e-mailed link is for, while it can still be used (to show its page; nothing is spent). */
export async function usableAgentLink(db: Kysely<Database>, request: { token: string; purpose: AgentLinkPurpose; now: Date }): Promise<{ firstName: string; email: string | null } | undefined> {
  const found = await findUsableAgentToken(db, { tokenHash: hashAgentToken(request.token), purpose: request.purpose, now: request.now });
  return found === undefined ? undefined : { firstName: found.firstName, email: found.email };
}

export type ChoosePasswordResult =
  | { readonly ok: true; readonly agentId: number; readonly sessionGeneration: number }
  | { readonly ok: false; readonly reason: 'INVALID_LINK' }
  | { readonly ok: false; readonly reason: 'WEAK_PASSWORD'; readonly errors: FieldErrors };

/**
 * Chooses a password through an e-mailed link (invitation or reset): the policy is checked
 * against the agent, then — in one transaction — the link is spent (single use), the password set,
 * the session generation raised, every other pending link revoked and the sign-in throttle cleared.
 */
export async function choosePasswordWithLink(
  services: Pick<AgentAccountMailServices, 'db' | 'sessionSecret'>,
  request: { token: string; purpose: AgentLinkPurpose; password: string; now: Date },
): Promise<ChoosePasswordResult> {
  const tokenHash = hashAgentToken(request.token);
  const agent = await findUsableAgentToken(services.db, { tokenHash, purpose: request.purpose, now: request.now });
  if (agent === undefined) return { ok: false, reason: 'INVALID_LINK' };
  const check = checkPassword(request.password, { email: agent.email, firstName: agent.firstName, lastName: agent.lastName });
  if (!check.ok) return { ok: false, reason: 'WEAK_PASSWORD', errors: { motDePasse: check.violations.map((violation) => violation.message).join(' ') } };
  const passwordHash = await hashPassword(request.password);
  return services.db.transaction().execute(async (trx): Promise<ChoosePasswordResult> => {
    const agentId = await consumeAgentToken(trx, { tokenHash, purpose: request.purpose, now: request.now });
    if (agentId !== agent.agentId) return { ok: false, reason: 'INVALID_LINK' };
    const sessionGeneration = await setAgentPassword(trx, { agentId, passwordHash, now: request.now, acceptsInvitation: request.purpose === 'invitation' });
    if (sessionGeneration === undefined) return { ok: false, reason: 'INVALID_LINK' };
    await revokePendingAgentTokens(trx, { agentId, now: request.now });
    if (agent.email !== null) await clearSignInThrottle(trx, agentSignInThrottleKey(services.sessionSecret, agent.email));
    return { ok: true, agentId, sessionGeneration };
  });
}

/** Counts one e-mail to this agent address (known or not: same work) and says whether the hourly cap allows it. */
async function mayMailAgent(services: AgentAccountMailServices, email: string, now: Date): Promise<boolean> {
  const hits = await countHit(services.db, { keyHash: throttleKey(services.sessionSecret, 'agent-mails-to', email.toLowerCase()), windowMs: 3_600_000, now });
  return hits <= AGENT_MAILS_PER_ADDRESS_PER_HOUR;
}

/**
 * E-mails a reset link (1 hour, once) if the address belongs to an agent who may sign in and has
 * a password, within the hourly cap; silent otherwise. Intervenants and pending invitees (no
 * password yet: their invitation is the way in) never get one.
 */
export async function requestAgentPasswordReset(services: AgentAccountMailServices, request: { email: string; now: Date }): Promise<void> {
  const allowed = await mayMailAgent(services, request.email, request.now);
  const agent = await findAgentCredentials(services.db, request.email);
  if (!allowed || agent === undefined || !agent.maySignIn || agent.passwordHash === null) return;
  const names = await findAgentNames(services.db, agent.id);
  if (names === undefined || names.email === null) return;
  const link = newAgentToken();
  await insertAgentToken(services.db, {
    agentId: agent.id,
    purpose: 'password_reset',
    tokenHash: link.tokenHash,
    createdByAgentId: null,
    createdAt: request.now,
    expiresAt: new Date(request.now.getTime() + PASSWORD_RESET_VALIDITY_MINUTES * 60_000),
  });
  send(services, names.email, agentPasswordResetMail(`${services.baseUrl}/agents/mot-de-passe/nouveau?jeton=${link.token}`), 'agent-password-reset');
}

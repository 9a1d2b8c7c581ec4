// The agent's session (ADR 0015): who is signed in, and the guards every agent route uses.
// A session holds either a usager (`userId`) or an agent (`agentId`), never both: each sign-in
// regenerates the session and keeps nothing of the other kind.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { markImpersonation } from '../../platform/audit/impersonation-context.js';
import type { ImpersonationEndReason } from '../../platform/db/schema.js';
import { regenerateSession } from '../../platform/security/index.js';
import { closeImpersonation, findOpenImpersonation, isSuperAdminAgent, loadAgentPrincipal, recordImpersonationRequest } from './agents.repository.js';
import { isAgentSessionValid } from './agents.use-cases.js';
import { canAccessOrganisation } from './domain/policies.js';
import type { AgentPrincipal } from './domain/principal.js';

declare module 'fastify' {
  interface Session {
    /** The signed-in agent. */
    agentId?: number;
    /** When the agent signed in (ms since the epoch): the absolute lifetime counts from it. */
    agentSignedInAt?: number;
    /** The agent's session generation at sign-in: a raised generation ends the session. */
    agentSessionGeneration?: number;
    /** The session's own idle timeout, read by the session store. */
    idleTimeoutMinutes?: number;
    /**
     * A super admin whose password was right and who still owes their second factor (ADR 0032):
     * half signed in — no principal is loaded and no agent page opens until the code is given.
     */
    pendingAgentId?: number;
    pendingAgentSessionGeneration?: number;
    /** When the password step succeeded (ms): the code must follow within 10 minutes. */
    pendingSince?: number;
    /** Set when the session's super admin gave their second factor. */
    agentSecondFactorAt?: number;
    /** The open impersonation of the session's super admin (« se connecter en tant que »). */
    impersonationId?: number;
  }
}

/** How long a half-signed-in super admin has to give their code. */
export const SECOND_FACTOR_WAIT_MS = 10 * 60_000;

const principals = new WeakMap<FastifyRequest, AgentPrincipal>();

/** The signed-in agent of a request that went through `requireAgent`. */
export function agentOf(request: FastifyRequest): AgentPrincipal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error('agentOf() called on a route without the requireAgent guard');
  return principal;
}

/**
 * Starts an agent session: a new id (no fixation), no usager left in it, the agent's idle timeout.
 * A super admin is only half signed in (`SECOND_FACTOR_REQUIRED`): the session remembers who gave
 * the right password, and `completeSecondFactor` starts the real session once the TOTP code is
 * right. `secondFactorDone` is the seam for ProConnect: a provider whose assertion already proves
 * a second factor (an `amr` with `mfa`, an eIDAS substantial `acr`) passes it and skips the code.
 */
export async function startAgentSession(
  request: FastifyRequest,
  context: AppContext,
  agent: { agentId: number; sessionGeneration: number },
  options: { secondFactorDone?: boolean } = {},
): Promise<'SIGNED_IN' | 'SECOND_FACTOR_REQUIRED'> {
  await regenerateSession(request, []);
  request.session.set('idleTimeoutMinutes', context.config.agentSessionIdleMinutes);
  const superAdmin = await isSuperAdminAgent(context.db, agent.agentId);
  if (superAdmin && options.secondFactorDone !== true) {
    request.session.set('pendingAgentId', agent.agentId);
    request.session.set('pendingAgentSessionGeneration', agent.sessionGeneration);
    request.session.set('pendingSince', context.now().getTime());
    return 'SECOND_FACTOR_REQUIRED';
  }
  request.session.set('agentId', agent.agentId);
  request.session.set('agentSessionGeneration', agent.sessionGeneration);
  request.session.set('agentSignedInAt', context.now().getTime());
  if (superAdmin) request.session.set('agentSecondFactorAt', context.now().getTime());
  return 'SIGNED_IN';
}

/** The half-signed-in super admin of the session, while their 10 minutes last. */
export function pendingSecondFactorOf(request: FastifyRequest, context: AppContext): { agentId: number; sessionGeneration: number } | undefined {
  const agentId = request.session.get('pendingAgentId');
  const sessionGeneration = request.session.get('pendingAgentSessionGeneration');
  const since = request.session.get('pendingSince');
  if (agentId === undefined || sessionGeneration === undefined || since === undefined) return undefined;
  if (context.now().getTime() - since >= SECOND_FACTOR_WAIT_MS) return undefined;
  return { agentId, sessionGeneration };
}

/** The second factor was right: the super admin's real session starts (a new id again). */
export async function completeSecondFactor(request: FastifyRequest, context: AppContext, agent: { agentId: number; sessionGeneration: number }): Promise<void> {
  await regenerateSession(request, []);
  request.session.set('agentId', agent.agentId);
  request.session.set('agentSessionGeneration', agent.sessionGeneration);
  request.session.set('agentSignedInAt', context.now().getTime());
  request.session.set('agentSecondFactorAt', context.now().getTime());
  request.session.set('idleTimeoutMinutes', context.config.agentSessionIdleMinutes);
}

/** The super admin now acts as an agent (the impersonation row is written by the caller). */
export function startImpersonationSession(request: FastifyRequest, impersonationId: number): void {
  request.session.set('impersonationId', impersonationId);
}

/** Back to the super admin's own session. */
export function endImpersonationSession(request: FastifyRequest): void {
  request.session.set('impersonationId', undefined);
}

/** Ends an open impersonation (row and audit entry, one transaction). */
export async function endImpersonation(db: AppContext['db'], request: { impersonationId: number; endReason: ImpersonationEndReason; now: Date }): Promise<boolean> {
  return db.transaction().execute((trx) => closeImpersonation(trx, request));
}

/** Where an expired impersonation lands: the super admin's back office, with a notice. */
export const IMPERSONATION_EXPIRED_PATH = '/super-admin?fin=expiree';

export interface AgentGuards {
  /** preHandler: a valid agent session, else the agent sign-in page (GET comes back afterwards). */
  requireAgent: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** preHandler after requireAgent: the `:organisationId` of the path is one of the agent's, else 404. */
  requireOrganisation: (request: FastifyRequest) => Promise<void>;
}

/** A local path to come back to after signing in (printable ASCII, under /agents). */
function agentReturnTo(url: string): string | undefined {
  return /^\/agents(\/[\x21-\x7e]*)?(\?[\x20-\x7e]*)?$/.test(url) && !url.startsWith('/agents//') && url.length <= 1024 ? url : undefined;
}

export function agentGuards(context: AppContext): AgentGuards {
  const maxAgeMs = context.config.agentSessionMaxHours * 3_600_000;

  /**
   * The principal a super admin acts with during an impersonation: the agent's, with the
   * impersonation attached; the request is journaled and its audit entries name the super admin.
   * An expired impersonation (or an agent who can no longer be impersonated) ends here, and the
   * super admin is sent back to the back office in their own session.
   */
  async function impersonatedPrincipal(request: FastifyRequest, reply: FastifyReply, superAdmin: AgentPrincipal, impersonationId: number): Promise<AgentPrincipal | 'ANSWERED'> {
    const now = context.now();
    const open = await findOpenImpersonation(context.db, { impersonationId, superAdminAgentId: superAdmin.agentId });
    const agent = open === undefined ? undefined : await loadAgentPrincipal(context.db, open.agentId);
    const usable = agent !== undefined && !agent.isSuperAdmin && agent.roles.some((role) => role.accessLevel !== 'intervenant');
    if (open === undefined || !usable || now.getTime() >= open.expiresAt.getTime()) {
      if (open !== undefined) await endImpersonation(context.db, { impersonationId, endReason: usable ? 'expired' : 'agent_unavailable', now });
      endImpersonationSession(request);
      await reply.redirect(IMPERSONATION_EXPIRED_PATH, 303);
      return 'ANSWERED';
    }
    markImpersonation(superAdmin.agentId);
    await recordImpersonationRequest(context.db, { impersonationId, method: request.method, path: request.url.split('?')[0] ?? '', now });
    return {
      ...agent,
      impersonation: {
        impersonationId,
        superAdmin: { agentId: superAdmin.agentId, firstName: superAdmin.firstName, lastName: superAdmin.lastName },
        reason: open.reason,
        endsAt: open.expiresAt,
      },
    };
  }

  return {
    async requireAgent(request, reply) {
      const agentId = request.session.get('agentId');
      const signedInAt = request.session.get('agentSignedInAt');
      const generation = request.session.get('agentSessionGeneration');
      if (agentId !== undefined && signedInAt !== undefined && generation !== undefined) {
        const valid = await isAgentSessionValid(context.db, { agentId, signedInAt, generation, now: context.now(), maxAgeMs });
        const principal = valid ? await loadAgentPrincipal(context.db, agentId) : undefined;
        // A super admin's session counts only with its second factor (a flag raised after sign-in does not open the back office).
        const secondFactorOk = principal?.isSuperAdmin !== true || request.session.get('agentSecondFactorAt') !== undefined;
        if (principal !== undefined && secondFactorOk && (principal.isSuperAdmin || principal.roles.some((role) => role.accessLevel !== 'intervenant'))) {
          const impersonationId = request.session.get('impersonationId');
          if (impersonationId === undefined || !principal.isSuperAdmin) {
            principals.set(request, principal);
            return;
          }
          const acting = await impersonatedPrincipal(request, reply, principal, impersonationId);
          if (acting === 'ANSWERED') return;
          principals.set(request, acting);
          return;
        }
        await request.session.destroy();
      } else if (pendingSecondFactorOf(request, context) !== undefined) {
        // A super admin between the password and the code (never with an agentId: the two are exclusive).
        await reply.redirect('/agents/connexion/code', 303);
        return;
      }
      const returnTo = request.method === 'GET' ? agentReturnTo(request.url) : undefined;
      await reply.redirect(returnTo === undefined ? '/agents/connexion' : `/agents/connexion?retour=${encodeURIComponent(returnTo)}`, 303);
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- a preHandler; async so Fastify awaits it
    async requireOrganisation(request) {
      const params = request.params as { organisationId?: unknown };
      const organisationId = typeof params.organisationId === 'number' ? params.organisationId : Number(params.organisationId);
      if (!Number.isInteger(organisationId) || !canAccessOrganisation(agentOf(request), organisationId)) throw new NotFoundError();
    },
  };
}

export { agentReturnTo };

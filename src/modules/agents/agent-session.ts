// The agent's session (ADR 0015): who is signed in, and the guards every agent route uses.
// A session holds either a usager (`userId`) or an agent (`agentId`), never both: each sign-in
// regenerates the session and keeps nothing of the other kind.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import { regenerateSession } from '../../platform/security/index.js';
import { loadAgentPrincipal } from './agents.repository.js';
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
  }
}

const principals = new WeakMap<FastifyRequest, AgentPrincipal>();

/** The signed-in agent of a request that went through `requireAgent`. */
export function agentOf(request: FastifyRequest): AgentPrincipal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error('agentOf() called on a route without the requireAgent guard');
  return principal;
}

/** Starts an agent session: a new id (no fixation), no usager left in it, the agent's idle timeout. */
export async function startAgentSession(request: FastifyRequest, context: AppContext, agent: { agentId: number; sessionGeneration: number }): Promise<void> {
  await regenerateSession(request, []);
  request.session.set('agentId', agent.agentId);
  request.session.set('agentSessionGeneration', agent.sessionGeneration);
  request.session.set('agentSignedInAt', context.now().getTime());
  request.session.set('idleTimeoutMinutes', context.config.agentSessionIdleMinutes);
}

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
  return {
    async requireAgent(request, reply) {
      const agentId = request.session.get('agentId');
      const signedInAt = request.session.get('agentSignedInAt');
      const generation = request.session.get('agentSessionGeneration');
      if (agentId !== undefined && signedInAt !== undefined && generation !== undefined) {
        const valid = await isAgentSessionValid(context.db, { agentId, signedInAt, generation, now: context.now(), maxAgeMs });
        const principal = valid ? await loadAgentPrincipal(context.db, agentId) : undefined;
        if (principal !== undefined && principal.roles.some((role) => role.accessLevel !== 'intervenant')) {
          principals.set(request, principal);
          return;
        }
        await request.session.destroy();
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

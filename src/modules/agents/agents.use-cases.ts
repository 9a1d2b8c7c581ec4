// Agent sign-in (ADR 0015). The same rules as usager accounts, under their own throttle scope:
// every attempt is counted for the address before the password is checked (delay after 5
// failures, 15-minute lock after 10), unknown addresses and intervenants do the same hashing work
// and get the same answer.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { claimSignInAttempt, clearSignInThrottle, hashPassword, passwordHashNeedsRehash, throttleKey, verifyPassword } from '../../platform/security/index.js';
import { findAgentCredentials, findSessionGeneration, revokeAgentSessions, updateAgentPasswordHash } from './agents.repository.js';

export interface AgentAccountServices {
  readonly db: Kysely<Database>;
  /** SESSION_SECRET: keys the HMACs under which addresses are counted. */
  readonly sessionSecret: string;
}

export type AgentSignInResult =
  | { readonly ok: true; readonly agentId: number; readonly sessionGeneration: number }
  | { readonly ok: false; readonly reason: 'INVALID_CREDENTIALS' }
  | { readonly ok: false; readonly reason: 'THROTTLED'; readonly retryAfterMs: number; readonly locked: boolean };

/** The throttle key of an agent address: a scope of its own, so usager and agent failures never add up. */
export function agentSignInThrottleKey(sessionSecret: string, email: string): string {
  return throttleKey(sessionSecret, 'agent-sign-in', email.toLowerCase());
}

/** Signs an agent in with e-mail and password. Intervenants, deleted agents and pending invitees (no password) are refused like a wrong password. */
export async function signInAgent(services: AgentAccountServices, request: { email: string; password: string; now: Date }): Promise<AgentSignInResult> {
  const key = agentSignInThrottleKey(services.sessionSecret, request.email);
  const decision = await claimSignInAttempt(services.db, { keyHash: key, now: request.now });
  if (!decision.allowed) return { ok: false, reason: 'THROTTLED', retryAfterMs: decision.retryAfterMs, locked: decision.locked };
  const agent = await findAgentCredentials(services.db, request.email);
  const passwordHash = agent?.maySignIn === true ? agent.passwordHash : null;
  // verifyPassword(null) does the same work as a real check: no timing difference.
  if (agent === undefined || passwordHash === null || !(await verifyPassword(passwordHash, request.password))) {
    return { ok: false, reason: 'INVALID_CREDENTIALS' };
  }
  await clearSignInThrottle(services.db, key);
  if (passwordHashNeedsRehash(passwordHash)) await updateAgentPasswordHash(services.db, agent.id, await hashPassword(request.password));
  return { ok: true, agentId: agent.id, sessionGeneration: agent.sessionGeneration };
}

/** Whether a session is still valid for the agent: not deleted, not revoked since (same generation), within the absolute lifetime. */
export async function isAgentSessionValid(
  db: Kysely<Database>,
  request: { agentId: number; signedInAt: number; generation: number; now: Date; maxAgeMs: number },
): Promise<boolean> {
  if (request.now.getTime() - request.signedInAt >= request.maxAgeMs) return false;
  return (await findSessionGeneration(db, request.agentId)) === request.generation;
}

/** Signs the agent out of every browser (every session opened so far stops working). */
export async function signOutEverywhere(db: Kysely<Database>, agentId: number): Promise<void> {
  await revokeAgentSessions(db, agentId);
}

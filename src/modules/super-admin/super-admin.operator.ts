// What only the instance's operator does, from a shell (ADR 0032, amendment of 2026-12-02): name a
// super admin — the first one of a fresh instance included — and reset a super admin's second
// factor after a lost phone. Shell access is the root of trust: the invitation link is printed
// on the operator's terminal, never e-mailed or logged, and every change is audited as the system.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { cleanPersonName } from '../../shared/text/free-text.js';
import { cleanAgentEmail, insertInvitedAgent, issueInvitationLink } from '../agents/index.js';

type Db = Kysely<Database>;

export type AppointSuperAdminResult =
  | {
      readonly ok: true;
      readonly agentId: number;
      readonly created: boolean;
      /** For an agent who has no password yet: the link to choose one (then the TOTP enrolment). */
      readonly invitationLink: string | undefined;
    }
  | { readonly ok: false; readonly message: string };

/** An audit entry of the system (the operator's shell) about an agent. */
async function auditAgent(db: Db, request: { agentId: number; action: 'create' | 'update'; details: Record<string, string | boolean>; now: Date }): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ occurred_at: request.now, actor_type: 'system', actor_id: null, action: request.action, subject_type: 'agent', subject_id: request.agentId, territory_id: null, details: JSON.stringify(request.details) })
    .execute();
}

/** Updates the agent (when `set` has something) and raises their session generation: every session opened before ends. */
async function endSessions(db: Db, agentId: number, set: { is_super_admin?: true } = {}): Promise<void> {
  await db
    .updateTable('agents')
    .set((eb) => ({ ...set, session_generation: eb('session_generation', '+', 1) }))
    .where('id', '=', agentId)
    .execute();
}

/**
 * Makes `email` a super admin: an existing agent gets the flag (their sessions end, so that the next
 * sign-in asks for the second factor); an unknown address needs a first and last name and is
 * created. Whoever has no password yet gets a fresh invitation link (earlier ones are revoked).
 * Refused: an invalid address, missing or invalid names for a new agent, a deleted account.
 */
export async function appointSuperAdmin(
  db: Db,
  request: { email: string; names: { firstName: string; lastName: string } | undefined; baseUrl: string; now: Date },
): Promise<AppointSuperAdminResult> {
  const email = cleanAgentEmail(request.email);
  if (!email.ok) return { ok: false, message: email.message };
  return db.transaction().execute(async (trx): Promise<AppointSuperAdminResult> => {
    const existing = await trx.selectFrom('agents').select(['id', 'password_hash', 'deleted_at']).where('email', '=', email.value).forUpdate().executeTakeFirst();
    if (existing?.deleted_at !== undefined && existing.deleted_at !== null) return { ok: false, message: 'Cette adresse appartient à un compte agent supprimé.' };
    let agentId: number;
    if (existing === undefined) {
      if (request.names === undefined) return { ok: false, message: 'Cette adresse n’a pas de compte : donnez aussi le prénom et le nom.' };
      const firstName = cleanPersonName(request.names.firstName);
      const lastName = cleanPersonName(request.names.lastName);
      if (!firstName.ok || !lastName.ok) return { ok: false, message: 'Le prénom et le nom ne peuvent contenir que des lettres, des espaces, des apostrophes et des tirets.' };
      agentId = await insertInvitedAgent(trx, { firstName: firstName.value, lastName: lastName.value, email: email.value });
    } else {
      agentId = existing.id;
    }
    await endSessions(trx, agentId, { is_super_admin: true });
    const invitationLink =
      existing === undefined || existing.password_hash === null ? await issueInvitationLink(trx, { agentId, createdByAgentId: null, baseUrl: request.baseUrl, now: request.now }) : undefined;
    await auditAgent(trx, { agentId, action: existing === undefined ? 'create' : 'update', details: { event: 'super_admin_appointed', invited: invitationLink !== undefined }, now: request.now });
    return { ok: true, agentId, created: existing === undefined, invitationLink };
  });
}

/**
 * Forgets a super admin's second factor (a lost or replaced phone, once the operator has checked
 * who is asking): the next sign-in enrols a new secret. Their sessions end.
 */
export async function resetSecondFactor(db: Db, request: { email: string; now: Date }): Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }> {
  const email = cleanAgentEmail(request.email);
  if (!email.ok) return { ok: false, message: email.message };
  return db.transaction().execute(async (trx) => {
    const agent = await trx.selectFrom('agents').select('id').where('email', '=', email.value).where('is_super_admin', '=', true).where('deleted_at', 'is', null).executeTakeFirst();
    if (agent === undefined) return { ok: false, message: 'Aucun super admin n’a cette adresse.' } as const;
    await trx.deleteFrom('agent_second_factors').where('agent_id', '=', agent.id).execute();
    await endSessions(trx, agent.id);
    await auditAgent(trx, { agentId: agent.id, action: 'update', details: { event: 'second_factor_reset' }, now: request.now });
    return { ok: true } as const;
  });
}

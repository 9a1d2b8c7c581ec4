// The read reason (ADR 0019): where the territory has `read_reason_required`, an agent says why
// before a usager's record is shown. The reason is remembered in the agent's session for that
// usager for 30 minutes and written with each journal row of the views it allows. The user page
// and the merge comparison (user-merge) share these helpers.
import type { FastifyRequest } from 'fastify';

/** How long a reason given for a usager's page is remembered in the agent's session. */
export const READ_REASON_TTL_MS = 30 * 60 * 1000;
const MAX_REMEMBERED_REASONS = 50;
export const MAX_READ_REASON_LENGTH = 500;
// eslint-disable-next-line no-control-regex -- a reason is one line of text
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

declare module 'fastify' {
  interface Session {
    /** Reasons given for usagers' pages, by "organisationId:userId", until an epoch millisecond. */
    usersReadReasons?: Record<string, { reason: string; until: number }>;
  }
}

const keyOf = (organisationId: number, userId: number): string => `${String(organisationId)}:${String(userId)}`;

/** The reason given for this usager in this organisation, while it is still valid. */
export function rememberedReadReason(request: FastifyRequest, now: Date, organisationId: number, userId: number): string | undefined {
  const entry = request.session.get('usersReadReasons')?.[keyOf(organisationId, userId)];
  return entry !== undefined && entry.until > now.getTime() ? entry.reason : undefined;
}

/** Remembers the reason for these usagers (the newest 50 entries are kept). */
export function rememberReadReason(request: FastifyRequest, now: Date, organisationId: number, userIds: readonly number[], reason: string): void {
  const at = now.getTime();
  const kept = Object.entries(request.session.get('usersReadReasons') ?? {})
    .filter(([key, entry]) => entry.until > at && !userIds.some((userId) => keyOf(organisationId, userId) === key))
    .sort(([, a], [, b]) => b.until - a.until)
    .slice(0, Math.max(0, MAX_REMEMBERED_REASONS - userIds.length));
  const added = userIds.map((userId) => [keyOf(organisationId, userId), { reason, until: at + READ_REASON_TTL_MS }] as const);
  request.session.set('usersReadReasons', { ...Object.fromEntries(kept), ...Object.fromEntries(added) });
}

/** The typed reason on one line, or the French message of the form. */
export function checkReadReason(typed: string): { ok: true; reason: string } | { ok: false; error: string } {
  const reason = typed.trim().replace(/\s+/g, ' ');
  if (reason === '') return { ok: false, error: 'Indiquez le motif de la consultation.' };
  if (reason.length > MAX_READ_REASON_LENGTH || CONTROL_CHARACTERS.test(typed.replace(/[\r\n\t]/g, ' '))) {
    return { ok: false, error: `Motif invalide : ${String(MAX_READ_REASON_LENGTH)} caractères au plus, sur une ligne.` };
  }
  return { ok: true, reason };
}

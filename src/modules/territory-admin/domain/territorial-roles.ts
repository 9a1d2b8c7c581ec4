// Rules of the territory's own roles (ADR 0030), pure: a territory always keeps a territorial
// admin, and an admin who removes their own role confirms it first (they lose these pages).

export type RevocationDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'NOT_ADMIN' | 'LAST_ADMIN' | 'NEEDS_CONFIRMATION' };

/** Whether `actorId` may remove the territorial admin role of `targetId`, given the territory's admins. */
export function decideRevocation(request: { actorId: number; targetId: number; adminIds: readonly number[]; confirmed: boolean }): RevocationDecision {
  if (!request.adminIds.includes(request.targetId)) return { ok: false, reason: 'NOT_ADMIN' };
  if (request.adminIds.length <= 1) return { ok: false, reason: 'LAST_ADMIN' };
  if (request.targetId === request.actorId && !request.confirmed) return { ok: false, reason: 'NEEDS_CONFIRMATION' };
  return { ok: true };
}

/** The access levels of agent_roles, as the territory's forms name them. */
export const ACCESS_LEVEL_LABELS = { admin: 'Administrateur', basic: 'Agent', intervenant: 'Intervenant (sans compte)' } as const;
export type AccessLevelChoice = keyof typeof ACCESS_LEVEL_LABELS;

export function isAccessLevel(value: string | undefined): value is AccessLevelChoice {
  return value !== undefined && Object.hasOwn(ACCESS_LEVEL_LABELS, value);
}

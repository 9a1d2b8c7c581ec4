/**
 * What inviting an address into an organisation does, decided from what is known of the address
 * (ADR 0015). Agent e-mail addresses are unique across the platform, so an address may already
 * belong to an agent — of this organisation, of another organisation of the same territory, or of
 * another territory.
 */
import type { AccessLevel } from './principal.js';

/** What is known of the agent who already holds the address, if any. */
export interface ExistingAgentFacts {
  readonly agentId: number;
  readonly isDeleted: boolean;
  /** Whether the agent chose a password (accepted an invitation, or was created with one). */
  readonly hasPassword: boolean;
  /** The agent's role in the inviting organisation, if any. */
  readonly accessLevelHere: AccessLevel | undefined;
  /** Whether the agent holds a role in an organisation of the inviting organisation's territory, or administers it. */
  readonly belongsToTerritory: boolean;
}

export type InvitationDecision =
  /** A new agent, without a password, who gets an invitation link. */
  | { readonly ok: true; readonly kind: 'CREATE_AGENT' }
  /**
   * The agent gets (or keeps) a role here and the service. Without a password yet, a new invitation
   * link replaces the earlier ones; with one, an e-mail tells them of their new organisation.
   */
  | { readonly ok: true; readonly kind: 'ADD_ROLE'; readonly agentId: number; readonly sendInvitationLink: boolean }
  | { readonly ok: false; readonly reason: 'ALREADY_MEMBER' }
  /** Another territory's agent, or a deactivated one: never changed from here, nor described. */
  | { readonly ok: false; readonly reason: 'ADDRESS_TAKEN_ELSEWHERE' };

/** Decides what an invitation does with an address (pure). */
export function decideInvitation(existing: ExistingAgentFacts | undefined): InvitationDecision {
  if (existing === undefined) return { ok: true, kind: 'CREATE_AGENT' };
  if (existing.isDeleted || !existing.belongsToTerritory) return { ok: false, reason: 'ADDRESS_TAKEN_ELSEWHERE' };
  const signsInHere = existing.accessLevelHere === 'basic' || existing.accessLevelHere === 'admin';
  if (signsInHere && existing.hasPassword) return { ok: false, reason: 'ALREADY_MEMBER' };
  return { ok: true, kind: 'ADD_ROLE', agentId: existing.agentId, sendInvitationLink: !existing.hasPassword };
}

// Duplicate usagers on save (ADR 0020), as RDV-Service-Public's DuplicateUsersFinderService but
// pure and explicit: the repository fetches the few candidates through indexes, this decides.
//   - the same e-mail (any case) as another account holder BLOCKS: an e-mail is one account
//     (the database's unique index on lower(email) says so too);
//   - the same names (accents and case ignored) and birth date, or the same phone number (E.164),
//     WARNS: the agent must tick a confirmation naming exactly the usagers shown.
import { foldText } from './fold.js';

export interface DuplicateCandidateFacts {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumberE164: string | null;
  /** A relative (managed by a responsible): their e-mail is not an account's. */
  readonly responsibleId: number | null;
}

export interface UserIdentity {
  /** The usager being edited (never their own duplicate); null on creation. */
  readonly id: number | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumberE164: string | null;
  readonly responsibleId: number | null;
}

export type DuplicateReason = 'same_email' | 'same_identity' | 'same_phone';

export interface Duplicate {
  readonly userId: number;
  readonly reasons: readonly DuplicateReason[];
}

export interface DuplicateVerdict {
  /** Usagers with the same e-mail: saving is refused. */
  readonly blocking: readonly Duplicate[];
  /** Usagers that look like the same person: saving needs a confirmation. */
  readonly warnings: readonly Duplicate[];
}

/** Whether two names are the same once accents, case and punctuation are ignored. */
export function sameFoldedName(a: string, b: string): boolean {
  return foldText(a) === foldText(b);
}

/** Sorts the candidates into blocking and warning duplicates of `identity`. */
export function findDuplicates(identity: UserIdentity, candidates: readonly DuplicateCandidateFacts[]): DuplicateVerdict {
  const blocking: Duplicate[] = [];
  const warnings: Duplicate[] = [];
  const seen = new Set<number>();
  for (const candidate of candidates) {
    if (candidate.id === identity.id || seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    const sameEmail =
      identity.email !== null &&
      candidate.email !== null &&
      identity.responsibleId === null &&
      candidate.responsibleId === null &&
      identity.email.toLowerCase() === candidate.email.toLowerCase();
    if (sameEmail) {
      blocking.push({ userId: candidate.id, reasons: ['same_email'] });
      continue;
    }
    const reasons: DuplicateReason[] = [];
    if (
      identity.birthDate !== null &&
      identity.birthDate === candidate.birthDate &&
      sameFoldedName(identity.lastName, candidate.lastName) &&
      sameFoldedName(identity.firstName, candidate.firstName)
    ) {
      reasons.push('same_identity');
    }
    if (identity.phoneNumberE164 !== null && identity.phoneNumberE164 === candidate.phoneNumberE164) reasons.push('same_phone');
    if (reasons.length > 0) warnings.push({ userId: candidate.id, reasons });
  }
  const byId = (a: Duplicate, b: Duplicate): number => a.userId - b.userId;
  return { blocking: blocking.sort(byId), warnings: warnings.sort(byId) };
}

/**
 * Whether the agent's confirmation covers every warning: they ticked the box for exactly the
 * usagers shown. A duplicate created meanwhile (another agent, a double submit) asks again.
 */
export function warningsAcknowledged(warnings: readonly Duplicate[], acknowledgedIds: readonly number[]): boolean {
  const acknowledged = new Set(acknowledgedIds);
  return warnings.every((warning) => acknowledged.has(warning.userId));
}

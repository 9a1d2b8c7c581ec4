/**
 * Merging two usagers (ADR 0021), as pure decisions: whether the merge is allowed, which fields
 * differ and which of them the agent chooses, which values the kept usager takes from the merged
 * one, which participation survives when both take part in the same appointment, how the notes
 * of a shared organisation are joined. The use case loads the facts under lock, calls these, and
 * writes the outcome in one transaction.
 *
 * The rules:
 * - the two usagers are different, and neither is the other's responsible (a parent is not their
 *   child's duplicate);
 * - an online account (a password or a confirmed e-mail) is an identity someone proved: the
 *   usager who holds it is the one kept, and its sign-in e-mail does not change (nobody who has
 *   not read a mailbox can set it, SECURITY.md). Two accounts are never merged here: the usager
 *   closes one first;
 * - a relative (a usager with a responsible) keeps its responsible: the kept usager must be the
 *   relative when only one is, both must have the same responsible when both are, and a relative
 *   cannot receive the merged usager's own relatives;
 * - each differing field is chosen by the agent; fields the territory does not show are not
 *   asked: the kept value wins, unless it is empty and the merged one is not.
 */

/** The fields compared, in the order of the page. */
export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'birthName',
  'birthDate',
  'email',
  'phone',
  'address',
  'notifyBySms',
  'notifyByEmail',
  'caisseAffiliation',
  'affiliationNumber',
  'familySituation',
  'numberOfChildren',
  'housing',
  'caseNumber',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** The optional social fields, by their key in `territories.user_fields`. */
export const SOCIAL_FIELD_KEYS: Readonly<Partial<Record<MergeField, string>>> = {
  caisseAffiliation: 'caisse_affiliation',
  affiliationNumber: 'affiliation_number',
  familySituation: 'family_situation',
  numberOfChildren: 'number_of_children',
  housing: 'housing',
  caseNumber: 'case_number',
};

export type FieldValue = string | number | boolean | null;

/** What the decision needs to know of one usager. */
export interface MergeUserFacts {
  readonly id: number;
  readonly responsibleId: number | null;
  /** A password or a confirmed e-mail: an online account. */
  readonly hasAccount: boolean;
  /** How many usagers have this one as their responsible. */
  readonly relativesCount: number;
  readonly values: Readonly<Record<MergeField, FieldValue>>;
}

export type MergeRefusal =
  | 'SAME_USER'
  | 'RELATIVE_OF_EACH_OTHER'
  | 'BOTH_ACCOUNTS'
  | 'ACCOUNT_ON_MERGED'
  | 'KEEP_THE_RELATIVE'
  | 'RESPONSIBLES_DIFFER'
  | 'RELATIVE_CANNOT_TAKE_RELATIVES';

/** Whether `merged` may be merged into `kept`; a refusal says why (the page explains it in French). */
export function checkMergeAllowed(kept: MergeUserFacts, merged: MergeUserFacts): { ok: true } | { ok: false; reason: MergeRefusal } {
  if (kept.id === merged.id) return { ok: false, reason: 'SAME_USER' };
  if (kept.responsibleId === merged.id || merged.responsibleId === kept.id) return { ok: false, reason: 'RELATIVE_OF_EACH_OTHER' };
  if (kept.hasAccount && merged.hasAccount) return { ok: false, reason: 'BOTH_ACCOUNTS' };
  if (merged.hasAccount) return { ok: false, reason: 'ACCOUNT_ON_MERGED' };
  if (merged.responsibleId !== null && kept.responsibleId === null) return { ok: false, reason: 'KEEP_THE_RELATIVE' };
  if (merged.responsibleId !== null && kept.responsibleId !== merged.responsibleId) return { ok: false, reason: 'RESPONSIBLES_DIFFER' };
  if (kept.responsibleId !== null && merged.relativesCount > 0) return { ok: false, reason: 'RELATIVE_CANNOT_TAKE_RELATIVES' };
  return { ok: true };
}

function isEmpty(value: FieldValue): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Values compare as typed; text without its surrounding spaces, but with its case and accents
 * (« LEFEVRE » and « Lefèvre » differ: the agent chooses the spelling kept).
 */
export function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return a === b;
}

export type Source = 'kept' | 'merged';

export interface FieldComparison {
  readonly field: MergeField;
  readonly kept: FieldValue;
  readonly merged: FieldValue;
  /** Whether the agent chooses (else `fixedSource` applies without asking). */
  readonly choosable: boolean;
  /** The choice checked by default, or the one applied when the field is not asked. */
  readonly defaultSource: Source;
  /** Why a differing field is not asked, when it is not. */
  readonly fixedBecause?: 'ACCOUNT_EMAIL' | 'HIDDEN_FIELD';
}

/**
 * The differing fields, in the page's order. `shownSocialFields` are the keys the territory
 * enables (`territories.user_fields`).
 */
export function compareUsers(kept: MergeUserFacts, merged: MergeUserFacts, shownSocialFields: readonly string[]): FieldComparison[] {
  const comparisons: FieldComparison[] = [];
  for (const field of MERGE_FIELDS) {
    const keptValue = kept.values[field];
    const mergedValue = merged.values[field];
    if (sameValue(keptValue, mergedValue)) continue;
    const defaultSource: Source = isEmpty(keptValue) && !isEmpty(mergedValue) ? 'merged' : 'kept';
    const socialKey = SOCIAL_FIELD_KEYS[field];
    if (field === 'email' && kept.hasAccount) {
      comparisons.push({ field, kept: keptValue, merged: mergedValue, choosable: false, defaultSource: 'kept', fixedBecause: 'ACCOUNT_EMAIL' });
    } else if (socialKey !== undefined && !shownSocialFields.includes(socialKey)) {
      comparisons.push({ field, kept: keptValue, merged: mergedValue, choosable: false, defaultSource, fixedBecause: 'HIDDEN_FIELD' });
    } else {
      comparisons.push({ field, kept: keptValue, merged: mergedValue, choosable: true, defaultSource });
    }
  }
  return comparisons;
}

export type MergeChoices = Readonly<Partial<Record<MergeField, Source>>>;

export type MergePlan =
  | { readonly ok: true; readonly takeFromMerged: readonly MergeField[] }
  | { readonly ok: false; readonly reason: MergeRefusal }
  | { readonly ok: false; readonly reason: 'MISSING_CHOICES'; readonly fields: readonly MergeField[] };

/**
 * The fields the kept usager takes from the merged one: the agent's choice for each choosable
 * differing field (each must be chosen), the fixed rule for the others. A choice for a field that
 * is equal or not choosable is ignored.
 */
export function planMerge(kept: MergeUserFacts, merged: MergeUserFacts, shownSocialFields: readonly string[], choices: MergeChoices): MergePlan {
  const allowed = checkMergeAllowed(kept, merged);
  if (!allowed.ok) return allowed;
  const comparisons = compareUsers(kept, merged, shownSocialFields);
  const missing = comparisons.filter((comparison) => comparison.choosable && choices[comparison.field] === undefined).map((comparison) => comparison.field);
  if (missing.length > 0) return { ok: false, reason: 'MISSING_CHOICES', fields: missing };
  const takeFromMerged = comparisons
    .filter((comparison) => (comparison.choosable ? choices[comparison.field] : comparison.defaultSource) === 'merged')
    .map((comparison) => comparison.field);
  return { ok: true, takeFromMerged };
}

export type ParticipationStatus = 'unknown' | 'seen' | 'excused' | 'revoked' | 'noshow';

/**
 * From best to worst: came (`seen`), still expected (`unknown`), did not come (`noshow`),
 * cancelled by the usager (`excused`), cancelled by the service (`revoked`). The best says the
 * most about what happened: when both usagers take part in one appointment, the participation
 * kept is the one with the best status (the kept usager's on a tie).
 */
const STATUS_RANK: Readonly<Record<ParticipationStatus, number>> = { seen: 0, unknown: 1, noshow: 2, excused: 3, revoked: 4 };

/** Which of two participations in the same appointment survives the merge. */
export function participationToKeep(keptStatus: ParticipationStatus, mergedStatus: ParticipationStatus): Source {
  return STATUS_RANK[mergedStatus] < STATUS_RANK[keptStatus] ? 'merged' : 'kept';
}

/** The notes of a profile both usagers have in one organisation: both texts, kept first, once each. */
export function mergeNotes(keptNotes: string | null, mergedNotes: string | null): string | null {
  const parts = [keptNotes, mergedNotes].map((note) => note?.trim() ?? '').filter((note) => note !== '');
  if (parts.length === 2 && parts[0] === parts[1]) return parts[0] ?? null;
  return parts.length === 0 ? null : parts.join('\n\n');
}

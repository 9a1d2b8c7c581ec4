// The merge of two usagers (ADR 0021): the comparison the agent reads, and the merge itself, in
// one transaction that locks both usagers, decides with the pure plan, moves every row, erases
// the merged usager and writes the audit entry.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import type { AgentPrincipal } from '../agents/index.js';
import { recordRead } from '../read-journal/index.js';
import { isKnownUser, searchAndJournalUsers, type UsersScope } from '../users/index.js';
import { compareUsers, mergeNotes, MERGE_FIELDS, participationToKeep, planMerge, type FieldComparison, type MergeChoices, type MergeRefusal, type MergeUserFacts } from './domain/merge-plan.js';
import {
  eraseMergedUser,
  FIELD_COLUMNS,
  findMergeByKey,
  loadKnownUser,
  lockedFacts,
  lockUsers,
  moveRows,
  sharedParticipations,
  sharedProfiles,
  shownSocialFields,
  usageCounts,
  type CandidateUser,
  type MovedRows,
  type UserRow,
} from './user-merge.repository.js';

/** A digest of both usagers' compared values: the form carries it, the merge refuses a stale one. */
export function comparisonFingerprint(kept: MergeUserFacts, merged: MergeUserFacts): string {
  const canonical = JSON.stringify([kept.id, merged.id, kept.hasAccount, merged.hasAccount, kept.responsibleId, merged.responsibleId, ...MERGE_FIELDS.map((field) => [kept.values[field], merged.values[field]])]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface MergeSide {
  readonly facts: MergeUserFacts;
  readonly counts: { appointments: number; relatives: number; organisations: number };
}

export interface Comparison {
  readonly kept: MergeSide;
  readonly merged: MergeSide;
  readonly fields: readonly FieldComparison[];
  readonly refusal: MergeRefusal | undefined;
  readonly fingerprint: string;
  /** The social fields the territory shows (the others are not displayed). */
  readonly shownSocialFields: readonly string[];
}

/** Whether both usagers are in the scope and differ (the reason form shows nothing else). */
export async function arePairInScope(db: Kysely<Database>, scope: UsersScope, keptId: number, mergedId: number): Promise<boolean> {
  return keptId !== mergedId && (await isKnownUser(db, scope, keptId)) && (await isKnownUser(db, scope, mergedId));
}

/**
 * Both usagers of the scope, compared; undefined when either is outside it or they are the same
 * (→ 404). The page shows both records: it is journaled as a view of both (ADR 0019), with the
 * merge as its purpose in the entry's details and the reason given where the territory asks one.
 */
export async function loadComparison(
  db: Kysely<Database>,
  scope: UsersScope,
  agentId: number,
  keptId: number,
  mergedId: number,
  /** The reason the agent gave, where the territory asks for one (written with the journal row). */
  reason: string | null = null,
): Promise<Comparison | undefined> {
  if (keptId === mergedId) return undefined;
  const [kept, merged] = await Promise.all([loadKnownUser(db, scope, keptId), loadKnownUser(db, scope, mergedId)]);
  if (kept === undefined || merged === undefined) return undefined;
  const shown = await shownSocialFields(db, scope.territoryId);
  const plan = planMerge(kept.facts, merged.facts, shown, Object.fromEntries(MERGE_FIELDS.map((field) => [field, 'kept'])));
  await recordRead(db, { territoryId: scope.territoryId, organisationId: scope.organisationId, agentId, kind: 'user_view', userIds: [keptId, mergedId], reason, details: { purpose: 'merge' } });
  return {
    kept: { facts: kept.facts, counts: await usageCounts(db, keptId) },
    merged: { facts: merged.facts, counts: await usageCounts(db, mergedId) },
    fields: compareUsers(kept.facts, merged.facts, shown),
    refusal: plan.ok || plan.reason === 'MISSING_CHOICES' ? undefined : plan.reason,
    fingerprint: comparisonFingerprint(kept.facts, merged.facts),
    shownSocialFields: shown,
  };
}

export interface MergeRequest {
  readonly scope: UsersScope;
  readonly agentId: number;
  readonly keptId: number;
  readonly mergedId: number;
  readonly choices: MergeChoices;
  /** The comparison's fingerprint as shown to the agent. */
  readonly fingerprint: string;
  /** The form's confirmation key: a replayed POST answers as the first one did. */
  readonly confirmationKey: string;
  readonly now: Date;
}

export type MergeResult =
  | { readonly ok: true; readonly replayed: boolean; readonly takenFromMerged: readonly string[]; readonly moved: MovedRows | null }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'STALE' | 'ALREADY_MERGED' | MergeRefusal }
  | { readonly ok: false; readonly reason: 'MISSING_CHOICES'; readonly fields: readonly string[] };

function setFrom(row: UserRow, fields: readonly (typeof MERGE_FIELDS)[number][]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) for (const column of FIELD_COLUMNS[field]) values[column] = row[column];
  return values;
}

/**
 * Merges `mergedId` into `keptId`. Both must be in the agent's scope; their rows are locked in id
 * order, so a concurrent merge of the same pair (or its reverse) waits, then finds the merged
 * usager erased: the same confirmation key replays the success, another gets ALREADY_MERGED.
 */
export async function mergeUsers(db: Kysely<Database>, request: MergeRequest): Promise<MergeResult> {
  const { keptId, mergedId, scope, now } = request;
  if (keptId === mergedId) return { ok: false, reason: 'NOT_FOUND' };
  return db.transaction().execute(async (trx): Promise<MergeResult> => {
    const rows = await lockUsers(trx, [keptId, mergedId]);
    const keptRow = rows.get(keptId);
    const mergedRow = rows.get(mergedId);
    if (keptRow === undefined || mergedRow === undefined) return { ok: false, reason: 'NOT_FOUND' };
    if (mergedRow.deleted_at !== null || keptRow.deleted_at !== null) {
      if (keptRow.deleted_at === null && (await findMergeByKey(trx, keptId, mergedId, request.confirmationKey))) {
        return { ok: true, replayed: true, takenFromMerged: [], moved: null };
      }
      return { ok: false, reason: keptRow.deleted_at === null && (await isKnownUser(trx, scope, keptId)) ? 'ALREADY_MERGED' : 'NOT_FOUND' };
    }
    // The scope, read again under lock (a profile could have gone since the page).
    if (!(await isKnownUser(trx, scope, keptId)) || !(await isKnownUser(trx, scope, mergedId))) return { ok: false, reason: 'NOT_FOUND' };
    const kept = await lockedFacts(trx, keptRow);
    const merged = await lockedFacts(trx, mergedRow);
    if (comparisonFingerprint(kept, merged) !== request.fingerprint) return { ok: false, reason: 'STALE' };
    const plan = planMerge(kept, merged, await shownSocialFields(trx, scope.territoryId), request.choices);
    if (!plan.ok) return plan;

    const shared = await sharedParticipations(trx, keptId, mergedId);
    const participationToDrop = shared.map((pair) =>
      participationToKeep(pair.keptStatus, pair.mergedStatus) === 'kept'
        ? { dropId: pair.mergedParticipationId, keepId: pair.keptParticipationId, setUserOnKept: false }
        : { dropId: pair.keptParticipationId, keepId: pair.mergedParticipationId, setUserOnKept: true },
    );
    const notes = await sharedProfiles(trx, keptId, mergedId);
    const moved = await moveRows(trx, { keptId, mergedId, now, participationToDrop });
    for (const profile of notes) {
      const joined = mergeNotes(profile.keptNotes, profile.mergedNotes);
      if (joined !== profile.keptNotes) {
        await trx.updateTable('user_profiles').set({ notes: joined }).where('user_id', '=', keptId).where('organisation_id', '=', profile.organisationId).execute();
      }
    }
    // The merged usager is erased first: the kept one may then take its e-mail (unique among account holders).
    await eraseMergedUser(trx, mergedId, now);
    const values = setFrom(mergedRow, plan.takeFromMerged);
    if (Object.keys(values).length > 0) await trx.updateTable('users').set(values).where('id', '=', keptId).execute();
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: request.agentId },
      action: 'update',
      subjectType: 'user',
      subjectId: keptId,
      territoryId: scope.territoryId,
      details: {
        operation: 'merge',
        keptUserId: keptId,
        mergedUserId: mergedId,
        fieldsTakenFromMerged: plan.takeFromMerged.join(','),
        participationsMoved: moved.participations,
        participationsDropped: moved.participationsDropped,
        confirmationKey: request.confirmationKey,
      },
    });
    return { ok: true, replayed: false, takenFromMerged: plan.takeFromMerged, moved };
  });
}

/** Candidates shown for one search. */
export const CANDIDATE_SEARCH_LIMIT = 20;

/**
 * The visible usagers matching the text (the users module's indexed search in the directory's
 * scope: names and birth name by prefix, accents and typos aside, phone, e-mail, n°), the kept
 * one excluded, at most 20; journaled when any is shown (`purpose: 'merge'`, never the text).
 */
export async function searchMergeCandidates(db: Kysely<Database>, input: { scope: UsersScope; principal: AgentPrincipal; keptId: number; text: string }): Promise<CandidateUser[]> {
  const { results } = await searchAndJournalUsers(db, input.principal, input.scope, input.text, {
    limit: CANDIDATE_SEARCH_LIMIT,
    excludeUserId: input.keptId,
    details: { purpose: 'merge' },
  });
  return results.map((user) => ({ id: user.id, firstName: user.firstName, lastName: user.lastName, birthDate: user.birthDate }));
}

/** The kept usager of the pages, in the scope (else undefined → 404). */
export async function loadKeptUser(db: Kysely<Database>, scope: UsersScope, userId: number): Promise<MergeUserFacts | undefined> {
  return (await loadKnownUser(db, scope, userId))?.facts;
}

// Use cases of the users directory (ADR 0020): each read of usagers writes its read-journal
// entry in the transaction that reads; each write its audit entry in the transaction that writes.
import { sql, type Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import type { AgentPrincipal } from '../agents/index.js';
import { recordRead } from '../read-journal/index.js';
import { findDuplicates, warningsAcknowledged, type Duplicate } from './domain/duplicates.js';
import { parseUserSearch, type UserSearchQuery } from './domain/search-query.js';
import type { UserFormValue } from './domain/user-form.js';
import {
  findDuplicateCandidates,
  findUserRecord,
  futureAppointmentsIn,
  loadUserRelations,
  SEARCH_LIMIT,
  searchUsers,
  type DuplicateCandidate,
  type UserRecord,
  type UserRelations,
  type UserSearchResult,
} from './users.repository.js';
import { isKnownUser, type UsersScope } from './users-scope.js';

type Db = Kysely<Database>;

/** What a page that searches usagers asks of `searchAndJournalUsers` besides the text. */
export interface UserSearchOptions {
  /** At most this many usagers (the directory shows SEARCH_LIMIT; the pickers 20). */
  readonly limit?: number;
  /** A usager never returned, nor journaled (the merge's kept usager). */
  readonly excludeUserId?: number;
  /** Said in the journal row besides the count: the page that searched (ids and words, never the text). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The one search of usagers of every page (the directory and the pickers, ADR 0027 amendment):
 * the text read as an id, a phone, an e-mail or names (prefixes, accents aside, a typo or two),
 * the scope's usagers only, and one `user_search` journal row with the ids returned, in the
 * transaction that reads (ADR 0019) — never the text typed.
 */
export async function searchAndJournalUsers(
  db: Db,
  principal: AgentPrincipal,
  scope: UsersScope,
  text: string,
  options: UserSearchOptions = {},
): Promise<{ query: UserSearchQuery; results: UserSearchResult[] }> {
  // Control characters separate words like spaces: PostgreSQL refuses a NUL byte in a parameter,
  // and not every page's schema refuses them (the merge's does not).
  // eslint-disable-next-line no-control-regex -- replacing them is the point
  const query = parseUserSearch(text.replace(/[\u0000-\u001f\u007f]/g, ' '));
  if (query.kind === 'empty' || query.kind === 'too_short') return { query, results: [] };
  const limit = options.limit ?? SEARCH_LIMIT;
  const { excludeUserId } = options;
  const searchAndJournal = async (trx: Db): Promise<UserSearchResult[]> => {
    // One more when a usager is left out, so that the page still holds `limit` others.
    const found = (await searchUsers(trx, scope, query, excludeUserId === undefined ? limit : limit + 1)).filter((user) => user.id !== excludeUserId).slice(0, limit);
    if (found.length > 0) {
      await recordRead(trx, {
        territoryId: scope.territoryId,
        organisationId: scope.organisationId,
        agentId: principal.agentId,
        kind: 'user_search',
        userIds: found.map((user) => user.id),
        details: { ...options.details, results: found.length },
      });
    }
    return found;
  };
  const results = db.isTransaction ? await searchAndJournal(db) : await db.transaction().execute(searchAndJournal);
  return { query, results };
}

/** The user page's data, journalled with the reason given; undefined outside the scope (404). */
export async function openUserRecord(
  db: Db,
  principal: AgentPrincipal,
  scope: UsersScope,
  userId: number,
  reason: string | null,
): Promise<{ user: UserRecord; relations: UserRelations } | undefined> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserRecord(trx, scope, userId);
    if (user === undefined) return undefined;
    const relations = await loadUserRelations(trx, scope, principal, user);
    await recordRead(trx, { territoryId: scope.territoryId, organisationId: scope.organisationId, agentId: principal.agentId, kind: 'user_view', userIds: [user.id], reason });
    return { user, relations };
  });
}

export type SaveUserResult =
  | { readonly ok: true; readonly userId: number }
  | { readonly ok: false; readonly reason: 'BLOCKED'; readonly duplicates: readonly DuplicateView[] }
  | { readonly ok: false; readonly reason: 'DUPLICATE_WARNING'; readonly duplicates: readonly DuplicateView[] }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' };

/** A duplicate as the form shows it: a link when the agent may open the usager. */
export interface DuplicateView extends Duplicate {
  readonly known: boolean;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
}

function views(duplicates: readonly Duplicate[], candidates: readonly DuplicateCandidate[]): DuplicateView[] {
  return duplicates.flatMap((duplicate) => {
    const candidate = candidates.find((item) => item.id === duplicate.userId);
    return candidate === undefined ? [] : [{ ...duplicate, known: candidate.known, firstName: candidate.firstName, lastName: candidate.lastName, birthDate: candidate.birthDate }];
  });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** Serialises the directory's creations and edits: duplicate checks see each other's rows. */
async function lockDirectoryWrites(trx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('creneau.users.directory'))`.execute(trx);
}

function userColumns(value: UserFormValue) {
  return {
    first_name: value.firstName,
    last_name: value.lastName,
    birth_name: value.birthName,
    birth_date: value.birthDate,
    email: value.email,
    phone_number: value.phoneNumber,
    phone_number_e164: value.phoneNumberE164,
    address: value.address,
    notify_by_sms: value.notifyBySms,
    notify_by_email: value.notifyByEmail,
    ...value.social,
  };
}

async function checkDuplicates(trx: Db, scope: UsersScope, identity: Parameters<typeof findDuplicates>[0], acknowledged: readonly number[]): Promise<SaveUserResult | null> {
  const candidates = await findDuplicateCandidates(trx, scope, identity);
  const verdict = findDuplicates(identity, candidates);
  if (verdict.blocking.length > 0) return { ok: false, reason: 'BLOCKED', duplicates: views(verdict.blocking, candidates) };
  if (!warningsAcknowledged(verdict.warnings, acknowledged)) return { ok: false, reason: 'DUPLICATE_WARNING', duplicates: views(verdict.warnings, candidates) };
  return null;
}

/** Creates a usager known to the organisation (a profile there), after the duplicate checks. */
export async function createDirectoryUser(
  db: Db,
  principal: AgentPrincipal,
  scope: UsersScope,
  input: { value: UserFormValue; responsibleId: number | null; acknowledgedDuplicates: readonly number[] },
): Promise<SaveUserResult> {
  const { value } = input;
  try {
    return await db.transaction().execute(async (trx): Promise<SaveUserResult> => {
      if (input.responsibleId !== null && !(await isKnownUser(trx, scope, input.responsibleId))) return { ok: false, reason: 'NOT_FOUND' };
      await lockDirectoryWrites(trx);
      const identity = { id: null, firstName: value.firstName, lastName: value.lastName, birthDate: value.birthDate, email: value.email, phoneNumberE164: value.phoneNumberE164, responsibleId: input.responsibleId };
      const refused = await checkDuplicates(trx, scope, identity, input.acknowledgedDuplicates);
      if (refused !== null) return refused;
      const user = await trx
        .insertInto('users')
        .values({ ...userColumns(value), responsible_id: input.responsibleId, created_through: 'agent' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('user_profiles').values({ user_id: user.id, organisation_id: scope.organisationId, notes: value.notes ?? null }).execute();
      await insertAuditEntry(trx, {
        actor: { type: 'agent', agentId: principal.agentId },
        action: 'create',
        subjectType: 'user',
        subjectId: user.id,
        territoryId: scope.territoryId,
        details: { organisationId: scope.organisationId, responsibleId: input.responsibleId, duplicatesConfirmed: input.acknowledgedDuplicates.length },
      });
      return { ok: true, userId: user.id };
    });
  } catch (error) {
    // The unique e-mail index: an account was created with this e-mail meanwhile.
    if (isUniqueViolation(error)) return { ok: false, reason: 'BLOCKED', duplicates: [] };
    throw error;
  }
}

/** Updates a usager of the scope; the organisation's notes go to its profile (created if need be). */
export async function updateDirectoryUser(
  db: Db,
  principal: AgentPrincipal,
  scope: UsersScope,
  input: { userId: number; value: UserFormValue; acknowledgedDuplicates: readonly number[] },
): Promise<SaveUserResult> {
  const { value } = input;
  try {
    return await db.transaction().execute(async (trx): Promise<SaveUserResult> => {
      await lockDirectoryWrites(trx);
      const current = await findUserRecord(trx, scope, input.userId);
      if (current === undefined) return { ok: false, reason: 'NOT_FOUND' };
      const identity = { id: current.id, firstName: value.firstName, lastName: value.lastName, birthDate: value.birthDate, email: value.email, phoneNumberE164: value.phoneNumberE164, responsibleId: current.responsibleId };
      const refused = await checkDuplicates(trx, scope, identity, input.acknowledgedDuplicates);
      if (refused !== null) return refused;
      const columns = userColumns(value);
      const before: Record<string, unknown> = {
        first_name: current.firstName,
        last_name: current.lastName,
        birth_name: current.birthName,
        birth_date: current.birthDate,
        email: current.email,
        phone_number: current.phoneNumber,
        phone_number_e164: current.phoneNumberE164,
        address: current.address,
        notify_by_sms: current.notifyBySms,
        notify_by_email: current.notifyByEmail,
        ...current.social,
      };
      const changed = Object.entries(columns)
        .filter(([key, next]) => before[key] !== next)
        .map(([key]) => key);
      if (changed.length > 0) await trx.updateTable('users').set(columns).where('id', '=', current.id).execute();
      if (value.notes !== undefined && (current.profile?.notes ?? null) !== value.notes) {
        await trx
          .insertInto('user_profiles')
          .values({ user_id: current.id, organisation_id: scope.organisationId, notes: value.notes })
          .onConflict((oc) => oc.columns(['user_id', 'organisation_id']).doUpdateSet({ notes: value.notes ?? null }))
          .execute();
        changed.push('notes');
      }
      if (changed.length > 0) {
        await insertAuditEntry(trx, {
          actor: { type: 'agent', agentId: principal.agentId },
          action: 'update',
          subjectType: 'user',
          subjectId: current.id,
          territoryId: scope.territoryId,
          details: { organisationId: scope.organisationId, fields: changed.sort().join(',') },
        });
      }
      return { ok: true, userId: current.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'BLOCKED', duplicates: [] };
    throw error;
  }
}

export type RemovalResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' }
  | { readonly ok: false; readonly reason: 'FUTURE_APPOINTMENTS'; readonly appointments: Awaited<ReturnType<typeof futureAppointmentsIn>> };

/**
 * Removes the usager from the organisation (deletes its profile there: the account and the other
 * organisations' profiles stay). Refused while the usager or a relative they are responsible for
 * has a future appointment in the organisation.
 */
export async function removeFromOrganisation(db: Db, principal: AgentPrincipal, scope: UsersScope, userId: number, now: Date): Promise<RemovalResult> {
  return db.transaction().execute(async (trx): Promise<RemovalResult> => {
    const profile = await trx
      .selectFrom('user_profiles as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select('p.user_id')
      .where('p.user_id', '=', userId)
      .where('p.organisation_id', '=', scope.organisationId)
      .where('u.deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (profile === undefined) return { ok: false, reason: 'NOT_FOUND' };
    const relatives = await trx.selectFrom('users').select('id').where('responsible_id', '=', userId).where('deleted_at', 'is', null).execute();
    const appointments = await futureAppointmentsIn(trx, scope.organisationId, [userId, ...relatives.map((row) => row.id)], now, principal);
    if (appointments.length > 0) return { ok: false, reason: 'FUTURE_APPOINTMENTS', appointments };
    await trx.deleteFrom('user_profiles').where('user_id', '=', userId).where('organisation_id', '=', scope.organisationId).execute();
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: principal.agentId },
      action: 'delete',
      subjectType: 'user',
      subjectId: userId,
      territoryId: scope.territoryId,
      details: { organisationId: scope.organisationId, removed: 'organisation_profile' },
    });
    return { ok: true };
  });
}

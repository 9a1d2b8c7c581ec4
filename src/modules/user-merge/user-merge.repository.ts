// SQL of the merge (ADR 0021): the candidates an agent may pick, the facts of two usagers (under
// lock inside the merge's transaction), and the moves of every row that points to a usager.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UsersTable } from '../../platform/db/schema.js';
import { knownUsersCondition, type UsersScope } from '../users/index.js';
import type { FieldValue, MergeField, MergeUserFacts, ParticipationStatus } from './domain/merge-plan.js';

/** A usager as listed among the candidates (names and birth date only; the users module's search finds them). */
export interface CandidateUser {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
}

export type UserRow = Selectable<UsersTable>;

/** The usager's compared values, by field. */
export function valuesOf(row: UserRow): Record<MergeField, FieldValue> {
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    birthName: row.birth_name,
    birthDate: row.birth_date,
    email: row.email,
    phone: row.phone_number,
    address: row.address,
    notifyBySms: row.notify_by_sms,
    notifyByEmail: row.notify_by_email,
    caisseAffiliation: row.caisse_affiliation,
    affiliationNumber: row.affiliation_number,
    familySituation: row.family_situation,
    numberOfChildren: row.number_of_children,
    housing: row.housing,
    caseNumber: row.case_number,
  };
}

/** The columns each field carries (the phone moves with its E.164 form). */
export const FIELD_COLUMNS: Readonly<Record<MergeField, readonly (keyof UsersTable)[]>> = {
  firstName: ['first_name'],
  lastName: ['last_name'],
  birthName: ['birth_name'],
  birthDate: ['birth_date'],
  email: ['email'],
  phone: ['phone_number', 'phone_number_e164'],
  address: ['address'],
  notifyBySms: ['notify_by_sms'],
  notifyByEmail: ['notify_by_email'],
  caisseAffiliation: ['caisse_affiliation'],
  affiliationNumber: ['affiliation_number'],
  familySituation: ['family_situation'],
  numberOfChildren: ['number_of_children'],
  housing: ['housing'],
  caseNumber: ['case_number'],
};

/** One usager of the scope, with what the merge decision needs; undefined when outside it (→ 404). */
export async function loadKnownUser(db: Kysely<Database>, scope: UsersScope, userId: number): Promise<{ row: UserRow; facts: MergeUserFacts } | undefined> {
  const row = await db.selectFrom('users as u').selectAll('u').where('u.id', '=', userId).where(knownUsersCondition(scope)).executeTakeFirst();
  if (row === undefined) return undefined;
  return { row, facts: await factsOf(db, row) };
}

async function factsOf(db: Kysely<Database>, row: UserRow): Promise<MergeUserFacts> {
  const relatives = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('responsible_id', '=', row.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    responsibleId: row.responsible_id,
    hasAccount: row.password_hash !== null || row.confirmed_at !== null,
    relativesCount: Number(relatives.count),
    values: valuesOf(row),
  };
}

/**
 * Locks both usagers' rows in id order (FOR UPDATE), so that two merges of the same pair, or of
 * the pair and its reverse, run one after the other; returns them as they are now (erased ones
 * included: the caller decides).
 */
export async function lockUsers(trx: Kysely<Database>, ids: readonly [number, number]): Promise<Map<number, UserRow>> {
  const ordered = [...ids].sort((a, b) => a - b);
  const rows = await trx.selectFrom('users').selectAll().where('id', 'in', ordered).orderBy('id').forUpdate().execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** The facts of a locked row. */
export function lockedFacts(trx: Kysely<Database>, row: UserRow): Promise<MergeUserFacts> {
  return factsOf(trx, row);
}

/** Counts of the rows a merge moved, for the notice and the tests. */
export interface MovedRows {
  participations: number;
  participationsDropped: number;
  relatives: number;
  referents: number;
  profiles: number;
  waitlistEntries: number;
  accessTokens: number;
  accessTokensRevoked: number;
  notifications: number;
  notificationsCancelled: number;
}

/**
 * Moves every row that points to the merged usager onto the kept one, in the caller's
 * transaction. Order matters: duplicates are resolved before the moves that would break a
 * unique constraint.
 */
export async function moveRows(
  trx: Kysely<Database>,
  input: { readonly keptId: number; readonly mergedId: number; readonly now: Date; readonly participationToDrop: readonly { readonly dropId: number; readonly keepId: number; readonly setUserOnKept: boolean }[] },
): Promise<MovedRows> {
  const { keptId, mergedId, now } = input;
  const moved: MovedRows = {
    participations: 0,
    participationsDropped: 0,
    relatives: 0,
    referents: 0,
    profiles: 0,
    waitlistEntries: 0,
    accessTokens: 0,
    accessTokensRevoked: 0,
    notifications: 0,
    notificationsCancelled: 0,
  };

  // Participations: in an appointment both take part in, the best one stays (the plan chose it);
  // the links sent for the other one now open the one that stays.
  for (const pair of input.participationToDrop) {
    await trx.updateTable('access_tokens').set({ participation_id: pair.keepId, user_id: keptId }).where('participation_id', '=', pair.dropId).execute();
    await trx.deleteFrom('participations').where('id', '=', pair.dropId).execute();
    if (pair.setUserOnKept) await trx.updateTable('participations').set({ user_id: keptId }).where('id', '=', pair.keepId).execute();
    moved.participationsDropped += 1;
  }
  moved.participations = Number((await trx.updateTable('participations').set({ user_id: keptId }).where('user_id', '=', mergedId).executeTakeFirst()).numUpdatedRows);
  await trx.updateTable('participations').set({ created_by_user_id: keptId }).where('created_by_user_id', '=', mergedId).execute();
  await trx.updateTable('appointments').set({ created_by_user_id: keptId }).where('created_by_user_id', '=', mergedId).execute();

  // Relatives follow their responsible.
  moved.relatives = Number((await trx.updateTable('users').set({ responsible_id: keptId }).where('responsible_id', '=', mergedId).executeTakeFirst()).numUpdatedRows);

  // Referents: the union.
  const referents = await sql<{ agent_id: number }>`
    INSERT INTO referent_assignations (user_id, agent_id)
    SELECT ${keptId}, agent_id FROM referent_assignations WHERE user_id = ${mergedId}
    ON CONFLICT DO NOTHING RETURNING agent_id`.execute(trx);
  moved.referents = referents.rows.length;
  await trx.deleteFrom('referent_assignations').where('user_id', '=', mergedId).execute();

  // Profiles: the union; where both have one, the notes are joined (by the caller's plan).
  const profiles = await sql<{ organisation_id: number }>`
    INSERT INTO user_profiles (user_id, organisation_id, notes, created_at)
    SELECT ${keptId}, organisation_id, notes, created_at FROM user_profiles WHERE user_id = ${mergedId}
    ON CONFLICT DO NOTHING RETURNING organisation_id`.execute(trx);
  moved.profiles = profiles.rows.length;

  // Waitlist: the kept usager's entry stays where both wait for the same appointment.
  await sql`DELETE FROM waitlist_entries w WHERE w.user_id = ${mergedId}
    AND EXISTS (SELECT 1 FROM waitlist_entries k WHERE k.user_id = ${keptId} AND k.appointment_id = w.appointment_id)`.execute(trx);
  moved.waitlistEntries = Number((await trx.updateTable('waitlist_entries').set({ user_id: keptId }).where('user_id', '=', mergedId).executeTakeFirst()).numUpdatedRows);

  // Links: those proving a mailbox or setting a password (sign-in, confirmation, reset) were sent
  // to the merged usager's address: they stop working. Appointment links and partners'
  // invitations follow the person.
  moved.accessTokensRevoked = Number(
    (
      await trx
        .updateTable('access_tokens')
        .set({ used_at: now, pending_password_hash: null })
        .where('user_id', '=', mergedId)
        .where('purpose', 'in', ['passwordless_sign_in', 'email_confirmation', 'password_reset'])
        .where('used_at', 'is', null)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
  moved.accessTokens = Number((await trx.updateTable('access_tokens').set({ user_id: keptId }).where('user_id', '=', mergedId).executeTakeFirst()).numUpdatedRows);
  await trx.updateTable('booking_idempotency_keys').set({ user_id: keptId }).where('user_id', '=', mergedId).execute();

  // Notifications: pending account e-mails of the merged usager are cancelled (they carry links
  // to a mailbox the kept usager may not own), and so are pending messages the kept usager
  // already has (the same key with the kept usager as recipient); the others, and the history,
  // follow the person, so that reminders of the moved appointments reach the kept contact.
  const mergedKey = `:u${String(mergedId)}:`;
  const keptKey = `:u${String(keptId)}:`;
  moved.notificationsCancelled = Number(
    (
      await sql`UPDATE notifications n SET status = 'cancelled', last_error = 'usager fusionné'
        WHERE n.user_id = ${mergedId} AND n.status = 'pending'
          AND (n.event = 'account' OR EXISTS (
            SELECT 1 FROM notifications k WHERE k.idempotency_key = replace(n.idempotency_key, ${mergedKey}, ${keptKey}) AND k.status IN ('pending', 'sending', 'sent')))`.execute(trx)
    ).numAffectedRows ?? 0,
  );
  moved.notifications = Number((await trx.updateTable('notifications').set({ user_id: keptId }).where('user_id', '=', mergedId).executeTakeFirst()).numUpdatedRows);
  await trx.updateTable('notification_receipts').set({ user_id: keptId }).where('user_id', '=', mergedId).execute();
  return moved;
}

/** The participations of two usagers in the same appointments: (appointment, both ids and statuses). */
export async function sharedParticipations(
  trx: Kysely<Database>,
  keptId: number,
  mergedId: number,
): Promise<{ keptParticipationId: number; keptStatus: ParticipationStatus; mergedParticipationId: number; mergedStatus: ParticipationStatus }[]> {
  const rows = await trx
    .selectFrom('participations as k')
    .innerJoin('participations as m', 'm.appointment_id', 'k.appointment_id')
    .select(['k.id as kept_id', 'k.status as kept_status', 'm.id as merged_id', 'm.status as merged_status'])
    .where('k.user_id', '=', keptId)
    .where('m.user_id', '=', mergedId)
    .orderBy('k.id')
    .execute();
  return rows.map((row) => ({
    keptParticipationId: row.kept_id,
    keptStatus: row.kept_status,
    mergedParticipationId: row.merged_id,
    mergedStatus: row.merged_status,
  }));
}

/** The notes of the organisations where both usagers have a profile. */
export async function sharedProfiles(trx: Kysely<Database>, keptId: number, mergedId: number): Promise<{ organisationId: number; keptNotes: string | null; mergedNotes: string | null }[]> {
  const rows = await trx
    .selectFrom('user_profiles as k')
    .innerJoin('user_profiles as m', 'm.organisation_id', 'k.organisation_id')
    .select(['k.organisation_id', 'k.notes as kept_notes', 'm.notes as merged_notes'])
    .where('k.user_id', '=', keptId)
    .where('m.user_id', '=', mergedId)
    .execute();
  return rows.map((row) => ({ organisationId: row.organisation_id, keptNotes: row.kept_notes, mergedNotes: row.merged_notes }));
}

/**
 * Erases the merged usager: the row stays (the audit log, the read journal and the notification
 * history name its id), marked deleted, with every personal field cleared and no profile left.
 */
export async function eraseMergedUser(trx: Kysely<Database>, mergedId: number, now: Date): Promise<void> {
  await trx.deleteFrom('user_profiles').where('user_id', '=', mergedId).execute();
  await trx
    .updateTable('users')
    .set({
      deleted_at: now,
      responsible_id: null,
      first_name: 'Usager',
      last_name: 'fusionné',
      birth_name: null,
      birth_date: null,
      email: null,
      phone_number: null,
      phone_number_e164: null,
      address: null,
      password_hash: null,
      confirmed_at: null,
      caisse_affiliation: null,
      affiliation_number: null,
      family_situation: null,
      number_of_children: null,
      housing: null,
      case_number: null,
    })
    .where('id', '=', mergedId)
    .execute();
}

/** Whether a merge with this confirmation key already put `mergedId` into `keptId` (a replayed POST). */
export async function findMergeByKey(db: Kysely<Database>, keptId: number, mergedId: number, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('subject_type', '=', 'user')
    .where('subject_id', '=', keptId)
    .where('action', '=', 'update')
    .where(sql<boolean>`details->>'operation' = 'merge' AND details->>'mergedUserId' = ${String(mergedId)} AND details->>'confirmationKey' = ${key}`)
    .executeTakeFirst();
  return row !== undefined;
}

/** The territory's shown social fields (`territories.user_fields`). */
export async function shownSocialFields(db: Kysely<Database>, territoryId: number): Promise<string[]> {
  const row = await db.selectFrom('territories').select('user_fields').where('id', '=', territoryId).executeTakeFirst();
  return row?.user_fields ?? [];
}

/** A few counts shown on the comparison page, per usager. */
export async function usageCounts(db: Kysely<Database>, userId: number): Promise<{ appointments: number; relatives: number; organisations: number }> {
  const row = await sql<{ appointments: string; relatives: string; organisations: string }>`
    SELECT (SELECT count(*) FROM participations WHERE user_id = ${userId}) AS appointments,
           (SELECT count(*) FROM users WHERE responsible_id = ${userId} AND deleted_at IS NULL) AS relatives,
           (SELECT count(*) FROM user_profiles WHERE user_id = ${userId}) AS organisations`.execute(db);
  const counts = row.rows[0];
  return { appointments: Number(counts?.appointments ?? 0), relatives: Number(counts?.relatives ?? 0), organisations: Number(counts?.organisations ?? 0) };
}

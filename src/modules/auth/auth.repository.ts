// SQL of usager accounts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface AccountRow {
  readonly id: number;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly confirmedAt: Date | null;
  readonly firstName: string;
  readonly lastName: string;
}

/** The account holder (not a relative, not deleted) with this e-mail, case-insensitive. */
export async function findAccountByEmail(db: Kysely<Database>, email: string): Promise<AccountRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash', 'confirmed_at', 'first_name', 'last_name'])
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('responsible_id', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (row?.email === undefined || row.email === null) return undefined;
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    confirmedAt: row.confirmed_at,
    firstName: row.first_name,
    lastName: row.last_name,
  };
}

/** Creates an unconfirmed account. */
export async function insertAccount(
  db: Kysely<Database>,
  account: { firstName: string; lastName: string; email: string; passwordHash: string },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      first_name: account.firstName,
      last_name: account.lastName,
      email: account.email,
      password_hash: account.passwordHash,
      created_through: 'user_sign_up',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Replaces an unconfirmed account's names and password (a second sign-up before confirming). */
export async function updateUnconfirmedAccount(
  db: Kysely<Database>,
  userId: number,
  account: { firstName: string; lastName: string; passwordHash: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ first_name: account.firstName, last_name: account.lastName, password_hash: account.passwordHash })
    .where('id', '=', userId)
    .where('confirmed_at', 'is', null)
    .execute();
}

/** Marks the e-mail as confirmed (first time only). */
export async function confirmAccount(db: Kysely<Database>, userId: number, now: Date): Promise<void> {
  await db.updateTable('users').set({ confirmed_at: now }).where('id', '=', userId).where('confirmed_at', 'is', null).execute();
}

/** First and last name of a user, for the header. */
export async function findUserName(db: Kysely<Database>, userId: number): Promise<{ firstName: string; lastName: string } | undefined> {
  const row = await db.selectFrom('users').select(['first_name', 'last_name']).where('id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
  return row === undefined ? undefined : { firstName: row.first_name, lastName: row.last_name };
}

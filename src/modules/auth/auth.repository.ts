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

/**
 * Creates an unconfirmed account without a password: the password chosen at sign-up waits on the
 * confirmation link (access_tokens.pending_password_hash) until the mailbox is proven.
 */
export async function insertUnconfirmedAccount(db: Kysely<Database>, account: { firstName: string; lastName: string; email: string }): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ first_name: account.firstName, last_name: account.lastName, email: account.email, password_hash: null, created_through: 'user_sign_up' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Records that the owner of the account's mailbox was proven (a link was used): the account is
 * confirmed, and its password becomes `password` when given. Otherwise a password set while the
 * account was unconfirmed is dropped, since nobody proved they own it.
 */
export async function markMailboxProven(db: Kysely<Database>, request: { userId: number; now: Date; password: string | null }): Promise<void> {
  await db
    .updateTable('users')
    .set({
      confirmed_at: sql<Date>`COALESCE(confirmed_at, ${request.now})`,
      password_hash: request.password ?? sql<string | null>`CASE WHEN confirmed_at IS NULL THEN NULL ELSE password_hash END`,
    })
    .where('id', '=', request.userId)
    .execute();
}

/** The account holder with this id (for the password policy of a reset). */
export async function findAccountById(db: Kysely<Database>, userId: number): Promise<AccountRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash', 'confirmed_at', 'first_name', 'last_name'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (row?.email === undefined || row.email === null) return undefined;
  return { id: row.id, email: row.email, passwordHash: row.password_hash, confirmedAt: row.confirmed_at, firstName: row.first_name, lastName: row.last_name };
}

/** Replaces a password hash after a successful sign-in with outdated Argon2 parameters. */
export async function updatePasswordHash(db: Kysely<Database>, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** First and last name of a user, for the header. */
export async function findUserName(db: Kysely<Database>, userId: number): Promise<{ firstName: string; lastName: string } | undefined> {
  const row = await db.selectFrom('users').select(['first_name', 'last_name']).where('id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
  return row === undefined ? undefined : { firstName: row.first_name, lastName: row.last_name };
}

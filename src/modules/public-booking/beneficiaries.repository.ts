// SQL of prescripteur beneficiaries: find a usager by phone, or create one.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

interface UserRow {
  readonly id: number;
  readonly responsibleId: number | null;
  readonly firstName: string;
  readonly lastName: string;
}

/** Serialises the creation of beneficiaries sharing a phone number (two prescripteurs at once). */
export async function lockPhoneNumber(db: Kysely<Database>, phoneE164: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`beneficiary:${phoneE164}`}))`.execute(db);
}

export async function findUsersByPhone(db: Kysely<Database>, phoneE164: string): Promise<(UserRow & { birthDate: string | null })[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'responsible_id', 'first_name', 'last_name', 'birth_date'])
    .where('phone_number_e164', '=', phoneE164)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    responsibleId: row.responsible_id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthDate: row.birth_date,
  }));
}

export async function isEmailTakenByAccountHolder(db: Kysely<Database>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('responsible_id', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBeneficiary(
  db: Kysely<Database>,
  user: { firstName: string; lastName: string; phoneE164: string; birthDate: string | null; email: string | null },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      first_name: user.firstName,
      last_name: user.lastName,
      phone_number: user.phoneE164,
      phone_number_e164: user.phoneE164,
      birth_date: user.birthDate,
      email: user.email,
      created_through: 'prescripteur',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// Usagers for the tests of the pages that search them (the directory's search and its pickers).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import { parseFrenchPhone } from '../../src/shared/text/phone.js';

/**
 * A usager known to the organisations given (one profile each, as a booking or an agent would
 * create it), with a French number when given; `erased` erases them afterwards, as a merge does.
 */
export async function createKnownUsager(
  db: Kysely<Database>,
  values: { firstName: string; lastName: string; phone?: string; organisationIds: readonly number[]; erased?: boolean },
): Promise<number> {
  const phone = values.phone === undefined ? null : parseFrenchPhone(values.phone);
  if (values.phone !== undefined && phone === null) throw new Error(`not a French phone number: ${values.phone}`);
  const row = await db
    .insertInto('users')
    .values({ first_name: values.firstName, last_name: values.lastName, phone_number: values.phone ?? null, phone_number_e164: phone?.e164 ?? null, created_through: 'agent' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const organisationId of values.organisationIds) await db.insertInto('user_profiles').values({ user_id: row.id, organisation_id: organisationId }).execute();
  if (values.erased === true) await db.updateTable('users').set({ deleted_at: new Date('2026-11-20T09:00:00Z') }).where('id', '=', row.id).execute();
  return row.id;
}

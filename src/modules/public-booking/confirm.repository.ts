// SQL of the funnel's last steps: the usager's details, their relatives, the confirmation page.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface UserDetails {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly address: string | null;
}

/** The usager and the relatives they are responsible for. */
export async function findUserAndRelatives(db: Kysely<Database>, userId: number): Promise<{ user: UserDetails | undefined; relatives: UserDetails[] }> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'responsible_id', 'first_name', 'last_name', 'birth_date', 'email', 'phone_number', 'address'])
    .where((eb) => eb.or([eb('id', '=', userId), eb('responsible_id', '=', userId)]))
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  const toDetails = (row: (typeof rows)[number]): UserDetails => ({
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthDate: row.birth_date,
    email: row.email,
    phoneNumber: row.phone_number,
    address: row.address,
  });
  const user = rows.find((row) => row.id === userId);
  return { user: user === undefined ? undefined : toDetails(user), relatives: rows.filter((row) => row.responsible_id === userId).map(toDetails) };
}

/** Saves the details typed in the funnel on the usager's account. */
export async function updateUserDetails(
  trx: Kysely<Database>,
  userId: number,
  details: { firstName: string; lastName: string; birthDate: string | null; phoneNumber: string | null; phoneE164: string | null; address: string | null },
): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      first_name: details.firstName,
      last_name: details.lastName,
      birth_date: details.birthDate,
      phone_number: details.phoneNumber,
      phone_number_e164: details.phoneE164,
      address: details.address,
    })
    .where('id', '=', userId)
    .execute();
}

export interface ConfirmationView {
  readonly publicId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly motifName: string;
  readonly locationType: 'public_office' | 'phone' | 'home' | 'visio';
  readonly instructions: string | null;
  readonly organisationName: string;
  readonly organisationPhone: string | null;
  readonly placeName: string | null;
  readonly placeAddress: string | null;
  readonly beneficiaryFirstName: string;
  readonly beneficiaryLastName: string;
}

/** An appointment the usager (or a relative of theirs) takes part in, for its confirmation page. */
export async function findConfirmation(db: Kysely<Database>, publicId: string, userId: number): Promise<ConfirmationView | undefined> {
  const result = await sql<{
    public_id: string;
    starts_at: Date;
    ends_at: Date;
    time_zone: string;
    motif_name: string;
    location_type: ConfirmationView['locationType'];
    instruction_for_booking: string | null;
    organisation_name: string;
    organisation_phone: string | null;
    place_name: string | null;
    place_address: string | null;
    first_name: string;
    last_name: string;
  }>`
    SELECT a.public_id, lower(a.during) AS starts_at, upper(a.during) AS ends_at, a.time_zone,
           t.name AS motif_name, t.location_type, t.instruction_for_booking,
           o.name AS organisation_name, o.phone_number AS organisation_phone,
           p.name AS place_name, p.address AS place_address, u.first_name, u.last_name
      FROM appointments a
      JOIN appointment_types t ON t.id = a.appointment_type_id
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN places p ON p.id = a.place_id
      JOIN participations pa ON pa.appointment_id = a.id
      JOIN users u ON u.id = pa.user_id
     WHERE a.public_id = ${publicId}
       AND (u.id = ${userId} OR u.responsible_id = ${userId})
     LIMIT 1`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    publicId: row.public_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    timeZone: row.time_zone,
    motifName: row.motif_name,
    locationType: row.location_type,
    instructions: row.instruction_for_booking,
    organisationName: row.organisation_name,
    organisationPhone: row.organisation_phone,
    placeName: row.place_name,
    placeAddress: row.place_address,
    beneficiaryFirstName: row.first_name,
    beneficiaryLastName: row.last_name,
  };
}

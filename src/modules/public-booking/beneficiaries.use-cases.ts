// Prescripteurs book for someone else: the beneficiary is matched to an existing usager on name
// and phone number (like RDV-Solidarités' duplicate finder), or created.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { parseIsoDate } from '../../shared/time/index.js';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import { refuse, type Refusal } from '../../shared/refusal.js';
import { isSamePersonName, normalizePersonName } from '../../shared/text/person-name.js';
import { findUsersByPhone, insertBeneficiary, isEmailTakenByAccountHolder, lockPhoneNumber } from './beneficiaries.repository.js';

export type BeneficiaryRefusalReason = 'INVALID_NAME' | 'INVALID_PHONE' | 'INVALID_BIRTH_DATE' | 'INVALID_EMAIL';

export interface BeneficiaryIdentity {
  readonly firstName: string;
  readonly lastName: string;
  /** E.164: +33…, +262…, +590… */
  readonly phoneE164: string;
  /** 'YYYY-MM-DD' */
  readonly birthDate?: string | null;
  readonly email?: string | null;
}

export type FindOrCreateBeneficiaryResult =
  | {
      readonly ok: true;
      readonly userId: number;
      readonly created: boolean;
      /** The e-mail belongs to another account holder: the new usager was created without it. */
      readonly emailIgnored: boolean;
    }
  | Refusal<BeneficiaryRefusalReason>;

const E164 = /^\+[1-9][0-9]{6,14}$/;
const MAX_NAME_LENGTH = 100;

function cleanName(name: string): string | null {
  const cleaned = name.trim().replace(/\s+/g, ' ');
  return cleaned.length === 0 || cleaned.length > MAX_NAME_LENGTH || normalizePersonName(cleaned) === '' ? null : cleaned;
}

/**
 * The usager with the same first and last name (accent-, case- and punctuation-insensitive) and
 * phone number — and the same birth date when both are known —, or a new usager created through
 * 'prescripteur'. An existing record is never modified by a third party.
 */
export async function findOrCreateBeneficiary(database: Kysely<Database>, identity: BeneficiaryIdentity): Promise<FindOrCreateBeneficiaryResult> {
  const firstName = cleanName(identity.firstName);
  const lastName = cleanName(identity.lastName);
  if (firstName === null || lastName === null) return refuse('INVALID_NAME');
  const phoneE164 = identity.phoneE164.trim();
  if (!E164.test(phoneE164)) return refuse('INVALID_PHONE');
  const birthDate = identity.birthDate ?? null;
  if (birthDate !== null && parseIsoDate(birthDate) === null) return refuse('INVALID_BIRTH_DATE');
  const email = identity.email?.trim() ?? '';
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return refuse('INVALID_EMAIL');

  return database
    .transaction()
    .execute(async (trx) => {
      // Two prescripteurs registering the same person at once must not create two usagers.
      await lockPhoneNumber(trx, phoneE164);
      const candidates = await findUsersByPhone(trx, phoneE164);
      const match = candidates.find(
        (user) =>
          isSamePersonName(user.firstName, firstName) &&
          isSamePersonName(user.lastName, lastName) &&
          (birthDate === null || user.birthDate === null || user.birthDate === birthDate),
      );
      if (match !== undefined) return { ok: true as const, userId: match.id, created: false, emailIgnored: false };
      const emailIgnored = email !== '' && (await isEmailTakenByAccountHolder(trx, email));
      const userId = await insertBeneficiary(trx, {
        firstName,
        lastName,
        phoneE164,
        birthDate,
        email: email === '' || emailIgnored ? null : email,
      });
      await insertAuditEntry(trx, {
        actor: { type: 'prescripteur' },
        action: 'create',
        subjectType: 'user',
        subjectId: userId,
        territoryId: null,
        details: { createdThrough: 'prescripteur' },
      });
      return { ok: true as const, userId, created: true, emailIgnored };
    });
}

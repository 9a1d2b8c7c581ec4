import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';
import { NOW, findUserId } from '../../../test/support/appointments.js';
import { findOrCreateBeneficiary } from './index.js';

describe('findOrCreateBeneficiary (prescripteurs)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('finds the existing usager by name and phone, ignoring accents, case and punctuation', async () => {
    const elodieId = await findUserId(database.db, 'Élodie');
    expect(await findOrCreateBeneficiary(database.db, { firstName: 'ELODIE', lastName: ' lefevre ', phoneE164: '+33612345603' })).toEqual({
      ok: true,
      userId: elodieId,
      created: false,
      emailIgnored: false,
    });
    const jeanneId = await findUserId(database.db, 'Jeanne');
    const jeanne = await findOrCreateBeneficiary(database.db, { firstName: 'jeanne', lastName: "N'Guyen", phoneE164: '+33612345605', birthDate: '2001-06-18' });
    expect(jeanne.ok && jeanne.userId).toBe(jeanneId);
  });

  it('creates a new usager through "prescripteur" when the phone or the birth date differs', async () => {
    const otherPhone = await findOrCreateBeneficiary(database.db, { firstName: 'Élodie', lastName: 'Lefèvre', phoneE164: '+262692000001', email: 'elodie.l@example.org' });
    expect(otherPhone).toMatchObject({ ok: true, created: true, emailIgnored: false });
    if (!otherPhone.ok) return;
    const row = await database.db.selectFrom('users').selectAll().where('id', '=', otherPhone.userId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ created_through: 'prescripteur', phone_number_e164: '+262692000001', email: 'elodie.l@example.org', first_name: 'Élodie' });
    const again = await findOrCreateBeneficiary(database.db, { firstName: 'Elodie', lastName: 'Lefevre', phoneE164: '+262692000001' });
    expect(again).toEqual({ ok: true, userId: otherPhone.userId, created: false, emailIgnored: false });
    const otherBirth = await findOrCreateBeneficiary(database.db, { firstName: 'Élodie', lastName: 'Lefèvre', phoneE164: '+33612345603', birthDate: '1990-01-01' });
    expect(otherBirth).toMatchObject({ ok: true, created: true });
  });

  it('never attaches an account holder’s e-mail to a new usager', async () => {
    const result = await findOrCreateBeneficiary(database.db, { firstName: 'Nouvelle', lastName: 'Personne', phoneE164: '+33699999999', email: DEMO_USER_EMAIL.toUpperCase() });
    expect(result).toMatchObject({ ok: true, created: true, emailIgnored: true });
    if (!result.ok) return;
    const row = await database.db.selectFrom('users').select('email').where('id', '=', result.userId).executeTakeFirstOrThrow();
    expect(row.email).toBeNull();
  });

  it('refuses malformed names, phones, birth dates and e-mails', async () => {
    const valid = { firstName: 'Ana', lastName: 'Silva', phoneE164: '+33611111111' };
    expect(await findOrCreateBeneficiary(database.db, { ...valid, lastName: ' – ' })).toEqual({ ok: false, reason: 'INVALID_NAME' });
    expect(await findOrCreateBeneficiary(database.db, { ...valid, phoneE164: '06 11 11 11 11' })).toEqual({ ok: false, reason: 'INVALID_PHONE' });
    expect(await findOrCreateBeneficiary(database.db, { ...valid, birthDate: '2001-02-30' })).toEqual({ ok: false, reason: 'INVALID_BIRTH_DATE' });
    expect(await findOrCreateBeneficiary(database.db, { ...valid, email: 'pas-un-courriel' })).toEqual({ ok: false, reason: 'INVALID_EMAIL' });
  });
});

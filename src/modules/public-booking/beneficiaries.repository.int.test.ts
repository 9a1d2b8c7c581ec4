import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, findUserId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { findUsersByPhone, isEmailTakenByAccountHolder, lockPhoneNumber } from './beneficiaries.repository.js';

// lockPhoneNumber runs raw SQL but reads no row; isEmailTakenByAccountHolder only uses raw SQL in
// its WHERE clause. Both are checked here for what they return, with the one row query beside them.
describe('beneficiaries repository: raw SQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('lockPhoneNumber', () => {
    it('takes the transaction-scoped advisory lock and reads nothing from its row', async () => {
      const recorder = recordRawRows(database.db);
      await recorder.db.transaction().execute(async (trx) => {
        await expect(lockPhoneNumber(trx, '+33612345603')).resolves.toBeUndefined();
      });
      expectRawRowKeys(recorder.onlyQueryRows(), ['pg_advisory_xact_lock']);
    });
  });

  describe('isEmailTakenByAccountHolder', () => {
    it('compares e-mails case-insensitively through its raw SQL condition, account holders only', async () => {
      expect(await isEmailTakenByAccountHolder(database.db, 'KARIM.Haddad@demo.creneau.fr')).toBe(true);
      expect(await isEmailTakenByAccountHolder(database.db, 'nobody@demo.creneau.fr')).toBe(false);
    });
  });

  describe('findUsersByPhone', () => {
    it('returns every field of the users sharing the phone number', async () => {
      const elodieId = await findUserId(database.db, 'Élodie');
      const users = await findUsersByPhone(database.db, '+33612345603');
      expect(users.length).toBeGreaterThan(0);
      for (const user of users) expectKeys(user, ['id', 'responsibleId', 'firstName', 'lastName', 'birthDate']);
      expectEveryFieldPresent(users);
      expect(users[0]).toMatchObject({ id: elodieId, responsibleId: null, birthDate: '1996-01-25' });
    });
  });
});

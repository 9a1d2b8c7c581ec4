import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';
import { findAccountByEmail } from './auth.repository.js';

// findAccountByEmail selects through the query builder; its raw SQL is the case-insensitive condition.
describe('auth repository: raw SQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('findAccountByEmail', () => {
    it('selects every column its account row declares, whatever the case of the e-mail', async () => {
      const recorder = recordRawRows(database.db);
      const account = await findAccountByEmail(recorder.db, DEMO_USER_EMAIL.toUpperCase());

      expectRawRowKeys(recorder.onlyQueryRows(), ['id', 'email', 'password_hash', 'confirmed_at', 'first_name', 'last_name']);
      expect(account).toBeDefined();
      expectKeys(account!, ['id', 'email', 'passwordHash', 'confirmedAt', 'firstName', 'lastName']);
      expectEveryFieldPresent(account);
      expect(account).toMatchObject({ email: DEMO_USER_EMAIL, firstName: 'Camille', lastName: 'Durand' });
      expect(account!.passwordHash).not.toBeNull();
      expect(account!.confirmedAt).toBeInstanceOf(Date);
    });

    it('keeps NULL columns of an unconfirmed account without password as null', async () => {
      const account = await findAccountByEmail(database.db, 'karim.haddad@demo.creneau.fr');
      expect(account).toBeDefined();
      expectEveryFieldPresent(account);
      expect(account).toMatchObject({ passwordHash: null, confirmedAt: null, firstName: 'Karim' });
    });
  });
});

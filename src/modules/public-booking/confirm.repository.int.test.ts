import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, bookFirstPublicSlot, findTypeId, findUserId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { seedDemoTerritory } from '../../seed/index.js';
import type { BookedAppointment } from '../appointments/index.js';
import { findConfirmation } from './confirm.repository.js';

const CONFIRMATION_COLUMNS = [
  'public_id',
  'starts_at',
  'ends_at',
  'time_zone',
  'motif_name',
  'location_type',
  'instruction_for_booking',
  'organisation_name',
  'organisation_phone',
  'place_name',
  'place_address',
  'first_name',
  'last_name',
];

const CONFIRMATION_KEYS = [
  'publicId',
  'startsAt',
  'endsAt',
  'timeZone',
  'motifName',
  'locationType',
  'instructions',
  'organisationName',
  'organisationPhone',
  'placeName',
  'placeAddress',
  'beneficiaryFirstName',
  'beneficiaryLastName',
];

describe('confirm repository: raw SQL rows', () => {
  let database: TestDatabase;
  let camilleId: number;
  let office: BookedAppointment;
  let phone: BookedAppointment;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    camilleId = await findUserId(database.db, 'Camille');
    const noeId = await findUserId(database.db, 'Noé');
    // Booked for her son: the confirmation is found through the responsible usager.
    office = await bookFirstPublicSlot(database.db, await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture'), 3, noeId, camilleId);
    phone = await bookFirstPublicSlot(database.db, await findTypeId(database.db, 'mds-melun', 'Entretien téléphonique avec une assistante sociale'), 3, camilleId);
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('findConfirmation', () => {
    it('selects every column its row type declares, for a relative’s appointment at a place', async () => {
      const recorder = recordRawRows(database.db);
      const confirmation = await findConfirmation(recorder.db, office.publicId, camilleId);

      expectRawRowKeys(recorder.onlyQueryRows(), CONFIRMATION_COLUMNS);
      expect(confirmation).toBeDefined();
      expectKeys(confirmation!, CONFIRMATION_KEYS);
      expectEveryFieldPresent(confirmation);
      expect(confirmation).toMatchObject({ publicId: office.publicId, beneficiaryFirstName: 'Noé', locationType: 'public_office' });
      expect(confirmation!.placeName).not.toBeNull();
      expect(confirmation!.instructions).not.toBeNull();
      expect(confirmation!.startsAt).toBeInstanceOf(Date);
      expect(confirmation!.startsAt).toEqual(office.startsAt);
      expect(confirmation!.endsAt).toEqual(office.endsAt);
    });

    it('selects every column its row type declares, with NULL place and instruction columns (LEFT JOIN)', async () => {
      const recorder = recordRawRows(database.db);
      const confirmation = await findConfirmation(recorder.db, phone.publicId, camilleId);

      const [row] = expectRawRowKeys(recorder.onlyQueryRows(), CONFIRMATION_COLUMNS);
      expect(row).toMatchObject({ place_name: null, place_address: null, instruction_for_booking: null });
      expectKeys(confirmation!, CONFIRMATION_KEYS);
      expectEveryFieldPresent(confirmation);
      expect(confirmation).toMatchObject({ placeName: null, placeAddress: null, instructions: null, locationType: 'phone', beneficiaryFirstName: 'Camille' });
    });
  });
});

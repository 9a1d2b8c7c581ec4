import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, bookFirstPublicSlot, findTypeId, findUserId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { seedDemoTerritory } from '../../seed/index.js';
import type { BookedAppointment } from '../appointments/index.js';
import { findUserAppointments } from './my-appointments.repository.js';

const USER_APPOINTMENT_COLUMNS = [
  'appointment_id',
  'public_id',
  'participation_id',
  'participation_status',
  'appointment_status',
  'starts_at',
  'ends_at',
  'time_zone',
  'type_archived',
  'is_collective',
  'session_name',
  'created_by_type',
  'agent_count',
  'on_waitlist',
  'user_id',
  'first_name',
  'last_name',
  'responsible_id',
  'type_id',
  'type_name',
  'location_type',
  'bookable_by',
  'cancel_deadline_minutes',
  'reschedule_deadline_minutes',
  'instruction_for_booking',
  'organisation_id',
  'organisation_name',
  'organisation_phone',
  'place_id',
  'place_name',
  'place_address',
];

const USER_APPOINTMENT_KEYS = [
  'appointmentId',
  'publicId',
  'participationId',
  'participationStatus',
  'appointmentStatus',
  'startsAt',
  'endsAt',
  'timeZone',
  'isCollective',
  'sessionName',
  'createdByType',
  'agentCount',
  'onWaitlist',
  'beneficiary',
  'appointmentType',
  'organisation',
  'place',
];

describe('my-appointments repository: raw SQL rows', () => {
  let database: TestDatabase;
  let camilleId: number;
  let noeId: number;
  let phone: BookedAppointment;
  let child: BookedAppointment;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    camilleId = await findUserId(database.db, 'Camille');
    noeId = await findUserId(database.db, 'Noé');
    phone = await bookFirstPublicSlot(database.db, await findTypeId(database.db, 'mds-melun', 'Entretien téléphonique avec une assistante sociale'), 3, camilleId);
    child = await bookFirstPublicSlot(database.db, await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture'), 3, noeId, camilleId);
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('findUserAppointments', () => {
    it('selects every column its row type declares, for the usager and their relatives, with and without a place', async () => {
      const recorder = recordRawRows(database.db);
      const rows = await findUserAppointments(recorder.db, camilleId);

      expectRawRowKeys(recorder.onlyQueryRows(), USER_APPOINTMENT_COLUMNS);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expectKeys(row, USER_APPOINTMENT_KEYS);
        expectKeys(row.beneficiary, ['userId', 'firstName', 'lastName', 'responsibleId']);
        expectKeys(row.appointmentType, ['id', 'name', 'locationType', 'bookableBy', 'cancelDeadlineMinutes', 'rescheduleDeadlineMinutes', 'instructionForBooking', 'isArchived']);
        expectKeys(row.organisation, ['id', 'name', 'phoneNumber']);
        if (row.place !== null) expectKeys(row.place, ['id', 'name', 'address']);
      }
      expectEveryFieldPresent(rows);

      // LEFT JOIN places: the phone appointment has no place; the others keep their place's name and address.
      const phoneRow = rows.find((row) => row.appointmentId === phone.id);
      expect(phoneRow).toMatchObject({ place: null, appointmentType: { locationType: 'phone' }, agentCount: 1, beneficiary: { userId: camilleId, responsibleId: null } });
      const withPlace = rows.filter((row) => row.place !== null);
      expect(withPlace.length).toBeGreaterThan(0);
      expect(withPlace.every((row) => row.place!.name !== '' && row.place!.address !== '')).toBe(true);
      // The relative's appointment, with the responsible usager.
      expect(rows.find((row) => row.appointmentId === child.id)).toMatchObject({ beneficiary: { userId: noeId, firstName: 'Noé', responsibleId: camilleId } });
      // Nullable columns come back as null, not undefined.
      expect(rows.some((row) => row.sessionName === null)).toBe(true);
      expect(rows.some((row) => row.appointmentType.instructionForBooking === null)).toBe(true);
    });

    it('selects every column its row type declares for a collective session', async () => {
      const karimId = await findUserId(database.db, 'Karim');
      const recorder = recordRawRows(database.db);
      const rows = await findUserAppointments(recorder.db, karimId);

      expectRawRowKeys(recorder.onlyQueryRows(), USER_APPOINTMENT_COLUMNS);
      expectEveryFieldPresent(rows);
      // Karim takes part in the demo's massage workshops (named sessions).
      expect(rows.some((row) => row.isCollective && row.sessionName === 'Atelier massage bébé')).toBe(true);
    });
  });
});

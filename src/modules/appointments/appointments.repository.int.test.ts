import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, NOW, bookFirstPublicSlot, findTypeId, findUserId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectKeys, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { seedDemoTerritory } from '../../seed/index.js';
import {
  findAppointment,
  findAppointmentForCalendar,
  findAppointmentTypeForBooking,
  findBookedMinutesByAgent,
  hasOverlappingAppointment,
} from './appointments.repository.js';
import type { BookedAppointment } from './appointments.use-cases.js';

const APPOINTMENT_COLUMNS = [
  'id',
  'public_id',
  'organisation_id',
  'territory_id',
  'appointment_type_id',
  'place_id',
  'starts_at',
  'ends_at',
  'time_zone',
  'status',
  'is_collective',
  'max_participants',
  'created_by_type',
  'agent_ids',
  'duration_minutes',
  'location_type',
  'bookable_by',
  'type_is_collective',
  'is_follow_up_only',
  'visibility',
  'min_booking_notice_minutes',
  'max_booking_notice_minutes',
  'cancel_deadline_minutes',
  'reschedule_deadline_minutes',
  'archived',
];

const APPOINTMENT_KEYS = [
  'id',
  'publicId',
  'organisationId',
  'territoryId',
  'appointmentTypeId',
  'placeId',
  'startsAt',
  'endsAt',
  'timeZone',
  'status',
  'isCollective',
  'maxParticipants',
  'createdByType',
  'agentIds',
  'type',
];

const BOOKING_TYPE_KEYS = [
  'id',
  'organisationId',
  'territoryId',
  'durationMinutes',
  'locationType',
  'bookableBy',
  'isCollective',
  'isFollowUpOnly',
  'visibility',
  'minBookingNoticeMinutes',
  'maxBookingNoticeMinutes',
  'cancelDeadlineMinutes',
  'rescheduleDeadlineMinutes',
  'isArchived',
];

const CALENDAR_COLUMNS = ['public_id', 'starts_at', 'ends_at', 'status', 'revision', 'location_type', 'organisation_name', 'place_name', 'place_address'];
const CALENDAR_KEYS = ['publicId', 'startsAt', 'endsAt', 'status', 'revision', 'locationType', 'organisationName', 'place'];

describe('appointments repository: raw SQL rows', () => {
  let database: TestDatabase;
  /** At a place (Melun). */
  let office: BookedAppointment;
  /** By phone: no place, so the LEFT JOIN on places gives NULLs. */
  let phone: BookedAppointment;
  /** The demo's collective workshop at Melun (max_participants set). */
  let workshopId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    const camilleId = await findUserId(database.db, 'Camille');
    office = await bookFirstPublicSlot(database.db, await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture'), 3, camilleId);
    phone = await bookFirstPublicSlot(database.db, await findTypeId(database.db, 'mds-melun', 'Entretien téléphonique avec une assistante sociale'), 3, camilleId);
    workshopId = (
      await database.db
        .selectFrom('appointments as a')
        .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
        .select('a.id')
        .where('o.slug', '=', 'mds-melun')
        .where('a.is_collective', '=', true)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  describe('findAppointment', () => {
    it('selects every column its row type declares (an appointment at a place)', async () => {
      const recorder = recordRawRows(database.db);
      const appointment = await findAppointment(recorder.db, office.id, { lock: false });

      expectRawRowKeys(recorder.onlyQueryRows(), APPOINTMENT_COLUMNS);
      expect(appointment).toBeDefined();
      expectKeys(appointment!, APPOINTMENT_KEYS);
      expectKeys(appointment!.type, BOOKING_TYPE_KEYS);
      expectEveryFieldPresent(appointment);
      expect(appointment).toMatchObject({ id: office.id, publicId: office.publicId, placeId: office.placeId, agentIds: office.agentIds, maxParticipants: null });
      expect(appointment!.startsAt).toEqual(office.startsAt);
      // The motif read with the appointment is the one the query builder reads.
      expect(appointment!.type).toEqual(await findAppointmentTypeForBooking(database.db, office.appointmentTypeId));
    });

    it('selects every column its row type declares under the row lock, with a NULL place', async () => {
      const recorder = recordRawRows(database.db);
      const appointment = await recorder.db.transaction().execute((trx) => findAppointment(trx, phone.id, { lock: true }));

      expectRawRowKeys(recorder.onlyQueryRows(), APPOINTMENT_COLUMNS);
      expect(appointment).toBeDefined();
      expectKeys(appointment!, APPOINTMENT_KEYS);
      expectEveryFieldPresent(appointment);
      expect(appointment).toMatchObject({ placeId: null, agentIds: phone.agentIds, type: { locationType: 'phone' } });
    });

    it('selects every column its row type declares for a collective session', async () => {
      const recorder = recordRawRows(database.db);
      const appointment = await findAppointment(recorder.db, workshopId, { lock: false });

      expectRawRowKeys(recorder.onlyQueryRows(), APPOINTMENT_COLUMNS);
      expectEveryFieldPresent(appointment);
      expect(appointment).toMatchObject({ isCollective: true, maxParticipants: 8, type: { isCollective: true } });
      expect(appointment!.agentIds.length).toBeGreaterThan(0);
    });
  });

  describe('findAppointmentForCalendar', () => {
    it('selects every column its row type declares, with the place', async () => {
      const recorder = recordRawRows(database.db);
      const calendar = await findAppointmentForCalendar(recorder.db, office.id);

      expectRawRowKeys(recorder.onlyQueryRows(), CALENDAR_COLUMNS);
      expect(calendar).toBeDefined();
      expectKeys(calendar!, CALENDAR_KEYS);
      expectEveryFieldPresent(calendar);
      expect(calendar!.place).not.toBeNull();
      expect(calendar!.place!.address).not.toBe('');
      expect(calendar).toMatchObject({ publicId: office.publicId, startsAt: office.startsAt, endsAt: office.endsAt, locationType: 'public_office' });
    });

    it('selects every column its row type declares, with NULL place columns (LEFT JOIN)', async () => {
      const recorder = recordRawRows(database.db);
      const calendar = await findAppointmentForCalendar(recorder.db, phone.id);

      const [row] = expectRawRowKeys(recorder.onlyQueryRows(), CALENDAR_COLUMNS);
      expect(row).toMatchObject({ place_name: null, place_address: null });
      expectKeys(calendar!, CALENDAR_KEYS);
      expectEveryFieldPresent(calendar);
      expect(calendar).toMatchObject({ place: null, locationType: 'phone' });
    });
  });

  describe('hasOverlappingAppointment', () => {
    it('selects the column its row type declares', async () => {
      const recorder = recordRawRows(database.db);
      expect(await hasOverlappingAppointment(recorder.db, office.agentIds, office.startsAt, office.endsAt)).toBe(true);
      expectRawRowKeys(recorder.onlyQueryRows(), ['taken']);
      recorder.clear();
      const later = new Date(office.startsAt.getTime() + 400 * DAY_MS);
      expect(await hasOverlappingAppointment(recorder.db, office.agentIds, later, new Date(later.getTime() + 30 * 60_000))).toBe(false);
      expectRawRowKeys(recorder.onlyQueryRows(), ['taken']);
    });
  });

  describe('findBookedMinutesByAgent', () => {
    it('selects every column its row type declares', async () => {
      const recorder = recordRawRows(database.db);
      const dayStart = new Date(office.startsAt.getTime() - 12 * 3_600_000);
      const dayEnd = new Date(office.startsAt.getTime() + 12 * 3_600_000);
      const booked = await findBookedMinutesByAgent(recorder.db, office.agentIds, dayStart, dayEnd);

      expectRawRowKeys(recorder.onlyQueryRows(), ['agent_id', 'booked_minutes']);
      expectEveryFieldPresent(booked);
      expect([...booked.keys()]).toEqual([...office.agentIds]);
      const agentId = office.agentIds[0]!;
      expect(booked.get(agentId)).toBeGreaterThanOrEqual((office.endsAt.getTime() - office.startsAt.getTime()) / 60_000);
    });
  });
});

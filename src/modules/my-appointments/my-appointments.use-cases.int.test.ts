import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, bookFirstPublicSlot, findTypeId, findUserId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { setWaitlist, type BookedAppointment } from '../appointments/index.js';
import { listUserAppointments } from './index.js';

const PUERICULTURE = 'Consultation de puériculture';

describe('"Mes rendez-vous" on the demo territory', () => {
  let database: TestDatabase;
  let puericultureId: number;
  let camilleId: number;
  let noeId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    puericultureId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
    camilleId = await findUserId(database.db, 'Camille');
    noeId = await findUserId(database.db, 'Noé');
  });
  afterAll(async () => {
    await database.destroy();
  });

  const bookFirstSlot = (typeId: number, dayOffset: number, userId: number, actorId: number = userId): Promise<BookedAppointment> =>
    bookFirstPublicSlot(database.db, typeId, dayOffset, userId, actorId);

  describe('listUserAppointments', () => {
    it('lists the usager’s and their relatives’ appointments, upcoming first, with what they may still do', async () => {
      const own = await bookFirstSlot(puericultureId, 24, camilleId);
      const child = await bookFirstSlot(puericultureId, 25, noeId, camilleId);
      await setWaitlist(database.db, { appointmentId: own.id, userId: camilleId, enabled: true, now: NOW });
      const list = await listUserAppointments(database.db, { userId: camilleId, now: NOW });

      const starts = list.upcoming.map((view) => view.startsAt.getTime());
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      const pastStarts = list.past.map((view) => view.startsAt.getTime());
      expect(pastStarts).toEqual([...pastStarts].sort((a, b) => b - a));
      expect(list.past.every((view) => view.endsAt <= NOW && !view.canCancel && !view.canReschedule)).toBe(true);

      const ownView = list.upcoming.find((view) => view.appointmentId === own.id);
      expect(ownView).toMatchObject({
        status: 'unknown',
        beneficiary: { userId: camilleId, isRelative: false },
        appointmentType: { name: PUERICULTURE, locationType: 'public_office' },
        organisation: { name: 'Maison départementale des solidarités de Melun' },
        canCancel: true,
        canReschedule: true,
        onWaitlist: true,
        canJoinWaitlist: false,
      });
      expect(ownView?.place?.address).toContain('Melun');
      const childView = list.upcoming.find((view) => view.appointmentId === child.id);
      expect(childView).toMatchObject({ beneficiary: { userId: noeId, firstName: 'Noé', isRelative: true }, canCancel: true });
      // the child's own list does not show the parent's appointments
      const childList = await listUserAppointments(database.db, { userId: noeId, now: NOW });
      expect(childList.upcoming.some((view) => view.appointmentId === own.id)).toBe(false);
    });
  });
});

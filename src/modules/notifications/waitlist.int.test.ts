// Waitlist offers on the demo territory, on PGlite and PostgreSQL: an earlier free slot of the
// same motif at the same place is offered by e-mail (and SMS), at most once a day and three times
// in all, in the daytime of the place only; a cancelled appointment gets none.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { NOW, bookFirstPublicSlot, findTypeId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { cancelParticipation, setWaitlist } from '../appointments/index.js';
import { deliveryDependencies } from './notifications.context.js';
import { runNotificationRound } from './pump.js';
import { MAX_WAITLIST_OFFERS, offerEarlierSlots } from './waitlist.js';

const PUERICULTURE = 'Consultation de puériculture';
const DAY_MS = 86_400_000;
// NOW is 10:00 in Paris: daytime.

describe('waitlist offers', () => {
  let database: TestDatabase;
  let typeId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    await database.db.updateTable('outbox_events').set({ processed_at: NOW }).execute();
    typeId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
  });

  afterAll(async () => {
    await database.destroy();
  });

  async function waitlisted(lastName: string, dayOffset: number): Promise<{ appointmentId: number; participationId: number; userId: number }> {
    const user = await database.db
      .insertInto('users')
      .values({ first_name: 'Attente', last_name: lastName, email: `${lastName.toLowerCase()}@example.org`, created_through: 'seed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const booked = await bookFirstPublicSlot(database.db, typeId, dayOffset, user.id);
    const result = await setWaitlist(database.db, { appointmentId: booked.id, userId: user.id, enabled: true, now: NOW });
    expect(result.ok).toBe(true);
    return { appointmentId: booked.id, participationId: booked.participationId, userId: user.id };
  }

  const offersOf = (appointmentId: number) =>
    database.db.selectFrom('notifications').select(['event', 'channel', 'details', 'status']).where('appointment_id', '=', appointmentId).where('event', '=', 'waitlist_offer').orderBy('id').execute();

  it('offers an earlier slot once a day, three times at most, and the e-mail goes out', async () => {
    const { appointmentId } = await waitlisted('Patient', 12);
    const start = await sql<{ starts_at: Date }>`SELECT lower(during) AS starts_at FROM appointments WHERE id = ${appointmentId}`.execute(database.db);
    const startsAt = new Date(start.rows[0]?.starts_at ?? 0);
    expect(await offerEarlierSlots(database.db, { now: NOW })).toBeGreaterThan(0);
    const [offer] = await offersOf(appointmentId);
    expect(offer?.channel).toBe('mail');
    const offered = new Date((offer?.details as { offeredStartsAt: string }).offeredStartsAt);
    expect(offered.getTime()).toBeGreaterThan(NOW.getTime());
    // At least an hour earlier than the appointment it would replace.
    expect(offered.getTime()).toBeLessThanOrEqual(startsAt.getTime() - 3_600_000);

    // The same day: nothing more.
    await offerEarlierSlots(database.db, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(await offersOf(appointmentId)).toHaveLength(1);

    // The next days: one a day, then no more after three.
    for (let day = 1; day <= 4; day += 1) await offerEarlierSlots(database.db, { now: new Date(NOW.getTime() + day * DAY_MS + 60_000) });
    expect(await offersOf(appointmentId)).toHaveLength(MAX_WAITLIST_OFFERS);
    const entry = await database.db.selectFrom('waitlist_entries').select('offers_sent').where('appointment_id', '=', appointmentId).executeTakeFirstOrThrow();
    expect(entry.offers_sent).toBe(MAX_WAITLIST_OFFERS);

    const deps = deliveryDependencies(createTestContext(database), { info: () => undefined, warn: () => undefined, error: () => undefined });
    await runNotificationRound(deps, NOW);
    const mails = await database.db.selectFrom('dev_outbox_emails').select(['subject', 'text_body']).where('recipient', '=', 'patient@example.org').execute();
    const offerMail = mails.find((mail) => /plus tôt|libér/i.test(mail.subject + mail.text_body));
    expect(offerMail).toBeDefined();
    expect(offerMail?.subject).not.toContain(PUERICULTURE);
  });

  it('nothing at night in the place’s zone, nothing for a cancelled appointment', async () => {
    const night = await waitlisted('Nuit', 12);
    await offerEarlierSlots(database.db, { now: new Date('2026-11-24T22:30:00Z') }); // 23:30 in Paris
    expect(await offersOf(night.appointmentId)).toEqual([]);

    const gone = await waitlisted('Parti', 12);
    const cancelled = await cancelParticipation(database.db, { appointmentId: gone.appointmentId, participationId: gone.participationId, userId: gone.userId, now: NOW } as Parameters<typeof cancelParticipation>[1]);
    expect(cancelled.ok).toBe(true);
    await offerEarlierSlots(database.db, { now: NOW });
    expect(await offersOf(gone.appointmentId)).toEqual([]);
  });
});

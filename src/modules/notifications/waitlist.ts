/**
 * Waitlist offers (issue 9 §6): a usager on the waitlist of their appointment hears when an
 * earlier slot of the same motif at the same place is free — an e-mail and/or SMS with their
 * link, from which they move the appointment themselves (the slot is not held: the first to take
 * it has it). At most one offer a day and three in all per appointment; only in the daytime of the
 * place's zone. Run by pg-boss every 10 minutes, and safe to run twice (entries are locked, keys unique).
 */
import { sql, type Kysely } from 'kysely';
import { searchSlots } from '../availability/index.js';
import type { Database } from '../../platform/db/schema.js';
import { epochMinutesToDate } from '../../shared/time/index.js';
import { userRecipients, type ReachableUser } from './domain/recipients.js';
import { isDaytime } from './domain/reminder-schedule.js';
import { reachability } from './planning.js';
import { findAppointmentsForNotification, findParticipationsOf, findUserContacts, insertNotifications, type NewNotification } from './notifications.repository.js';

export const MAX_WAITLIST_OFFERS = 3;
export const WAITLIST_OFFER_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** An offer is worth a message when the slot is at least this much earlier. */
export const MIN_ADVANCE_MINUTES = 60;

interface EntryRow {
  id: number;
  appointment_id: number;
  user_id: number;
  offers_sent: number;
}

export async function offerEarlierSlots(db: Kysely<Database>, options: { readonly now: Date; readonly limit?: number }): Promise<number> {
  const entries = await sql<EntryRow>`
    SELECT w.id, w.appointment_id, w.user_id, w.offers_sent FROM waitlist_entries w
      JOIN appointments a ON a.id = w.appointment_id
     WHERE w.offers_sent < ${MAX_WAITLIST_OFFERS}
       AND (w.last_offer_sent_at IS NULL OR w.last_offer_sent_at < ${new Date(options.now.getTime() - WAITLIST_OFFER_INTERVAL_MS)})
       AND a.status NOT IN ('excused', 'revoked') AND NOT a.is_collective AND lower(a.during) > ${options.now}
     ORDER BY w.id LIMIT ${options.limit ?? 200}`.execute(db);
  let offers = 0;
  for (const entry of entries.rows) {
    offers += await db.transaction().execute(async (trx) => {
      // Locked, and checked again: another worker may have just made this offer.
      const locked = await sql<EntryRow>`
        SELECT id, appointment_id, user_id, offers_sent FROM waitlist_entries
         WHERE id = ${entry.id} AND offers_sent < ${MAX_WAITLIST_OFFERS}
           AND (last_offer_sent_at IS NULL OR last_offer_sent_at < ${new Date(options.now.getTime() - WAITLIST_OFFER_INTERVAL_MS)})
         FOR UPDATE SKIP LOCKED`.execute(trx);
      const current = locked.rows[0];
      if (current === undefined) return 0;
      const appointments = await findAppointmentsForNotification(trx, [current.appointment_id]);
      const appointment = appointments.get(current.appointment_id);
      if (appointment === undefined || appointment.cancelled || appointment.visibility === 'invisible') return 0;
      if (!isDaytime(options.now, appointment.timeZone)) return 0;
      const typeRow = await trx.selectFrom('appointments').select('appointment_type_id').where('id', '=', appointment.id).executeTakeFirstOrThrow();
      const slots = await searchSlots(trx, {
        appointmentTypeId: typeRow.appointment_type_id,
        audience: 'public',
        from: options.now,
        to: new Date(appointment.startsAt.getTime() - MIN_ADVANCE_MINUTES * 60_000),
        now: options.now,
        filters: { placeIds: appointment.placeId === null ? null : [appointment.placeId], organisationIds: [appointment.organisationId] },
      });
      const earliest = slots.find((slot) => slot.placeId === appointment.placeId);
      if (earliest === undefined) return 0;
      const participations = (await findParticipationsOf(trx, [appointment.id])).filter((participation) => participation.userId === current.user_id);
      const contacts = await findUserContacts(trx, participations.map((participation) => participation.responsibleId ?? participation.userId));
      const reachable = new Map<number, ReachableUser>();
      for (const contact of contacts.values()) reachable.set(contact.userId, reachability(contact));
      const recipients = userRecipients({
        event: 'waitlist_offer',
        participants: participations.map((participation) => ({
          participationId: participation.participationId,
          userId: participation.userId,
          recipientUserId: participation.responsibleId ?? participation.userId,
          active: participation.status !== 'excused' && participation.status !== 'revoked',
          // The usager asked for it: their own request, whatever the lifecycle flag says.
          sendLifecycleNotifications: true,
          sendReminderNotification: true,
        })),
        reachable,
        cancelledByUser: false,
      });
      if (recipients.length === 0) return 0;
      const offerNumber = current.offers_sent + 1;
      const offeredStartsAt = epochMinutesToDate(earliest.startsAtEpochMinutes);
      const rows: NewNotification[] = recipients.map((recipient) => ({
        idempotencyKey: `waitlist:${String(current.id)}:${String(offerNumber)}:u${String(recipient.userId)}:${recipient.channel}`,
        event: 'waitlist_offer',
        channel: recipient.channel,
        appointmentId: appointment.id,
        userId: recipient.userId,
        agentId: null,
        territoryId: appointment.territoryId,
        outboxEventId: null,
        details: { offeredStartsAt: offeredStartsAt.toISOString(), offer: offerNumber },
        notBefore: options.now,
        notAfter: offeredStartsAt,
      }));
      await insertNotifications(trx, rows);
      await trx.updateTable('waitlist_entries').set({ offers_sent: offerNumber, last_offer_sent_at: options.now }).where('id', '=', current.id).execute();
      return 1;
    });
  }
  return offers;
}

/**
 * Planning: turns the outbox events written by the appointments core (in the same transaction as
 * each change) into notifications — one row per (event, recipient, channel) under an idempotency
 * key — and plans, re-plans or cancels the reminders. One transaction per batch: the outbox rows
 * are marked processed together with the notifications they produced, and a crash replays the
 * batch without doubling anything (the keys are unique).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { parseFrenchPhone } from '../../shared/text/phone.js';
import type { AppointmentEvent } from './domain/message-facts.js';
import { agentRecipients, isNotifiable, userRecipients, type ParticipantFacts, type ReachableUser, type Recipient } from './domain/recipients.js';
import { plannedReminders } from './domain/reminder-schedule.js';
import {
  cancelPendingReminders,
  claimOutboxEvents,
  findAgentContacts,
  findAppointmentsForNotification,
  findAppointmentsWithoutReminders,
  findParticipationsOf,
  findUserContacts,
  insertNotifications,
  markOutboxProcessed,
  upsertReminders,
  type AppointmentForNotification,
  type NewNotification,
  type OutboxRow,
  type ParticipationForNotification,
  type UserContact,
} from './notifications.repository.js';

/** The outbox payload fields the planner reads (written by appointments.repository.ts). */
interface EventPayload {
  participationIds: number[];
  by: string | null;
  actorAgentId: number | null;
  previousStartsAt: Date | null;
  previousPlaceId: number | null | undefined;
  previousAgentIds: number[] | null;
  addedParticipationIds: number[];
  removedUserIds: number[];
  status: string | null;
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number' && Number.isSafeInteger(item)) : [];
}

function readPayload(raw: unknown): EventPayload {
  const payload = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const previous = typeof payload.previousStartsAt === 'string' ? new Date(payload.previousStartsAt) : null;
  return {
    participationIds: numbers(payload.participationIds),
    by: typeof payload.by === 'string' ? payload.by : null,
    actorAgentId: typeof payload.actorAgentId === 'number' ? payload.actorAgentId : null,
    previousStartsAt: previous !== null && !Number.isNaN(previous.getTime()) ? previous : null,
    previousPlaceId: payload.previousPlaceId === undefined ? undefined : typeof payload.previousPlaceId === 'number' ? payload.previousPlaceId : null,
    previousAgentIds: Array.isArray(payload.previousAgentIds) ? numbers(payload.previousAgentIds) : null,
    addedParticipationIds: numbers(payload.addedParticipationIds),
    removedUserIds: numbers(payload.removedUserIds),
    status: typeof payload.status === 'string' ? payload.status : null,
  };
}

const CANCELLED_STATUSES = new Set(['excused', 'revoked']);

/** A usager can get e-mail, SMS (mobile numbers only), both or nothing. */
export function reachability(contact: UserContact): ReachableUser {
  const phone = contact.phoneE164 === null ? null : parseFrenchPhone(contact.phoneE164);
  return {
    userId: contact.userId,
    canMail: !contact.deleted && contact.notifyByEmail && contact.email !== null && contact.email !== '',
    canSms: !contact.deleted && contact.notifyBySms && phone !== null && phone.isMobile,
  };
}

/** Each usager's channels, decided once per batch (parsing a phone number is not free). */
export function reachableUsers(contacts: ReadonlyMap<number, UserContact>): Map<number, ReachableUser> {
  const reachable = new Map<number, ReachableUser>();
  for (const contact of contacts.values()) reachable.set(contact.userId, reachability(contact));
  return reachable;
}

function groupByAppointment(participations: readonly ParticipationForNotification[]): Map<number, ParticipationForNotification[]> {
  const grouped = new Map<number, ParticipationForNotification[]>();
  for (const participation of participations) {
    const list = grouped.get(participation.appointmentId);
    if (list === undefined) grouped.set(participation.appointmentId, [participation]);
    else list.push(participation);
  }
  return grouped;
}

function participantFacts(participation: ParticipationForNotification): ParticipantFacts {
  return {
    participationId: participation.participationId,
    userId: participation.userId,
    recipientUserId: participation.responsibleId ?? participation.userId,
    active: !CANCELLED_STATUSES.has(participation.status),
    sendLifecycleNotifications: participation.sendLifecycleNotifications,
    sendReminderNotification: participation.sendReminderNotification,
  };
}

/** What one outbox event means for whom. */
interface Intent {
  readonly event: AppointmentEvent;
  readonly participants: readonly ParticipantFacts[];
  /** Users removed from the appointment (their participation is gone): told by their own flags' default. */
  readonly removedUserIds: readonly number[];
  readonly agentIds: readonly number[];
  readonly cancelledByUser: boolean;
}

export interface PlanningInput {
  readonly outbox: OutboxRow;
  readonly appointment: AppointmentForNotification;
  readonly participations: readonly ParticipationForNotification[];
  readonly now: Date;
}

/** Pure part of the planning: the intents of an event (who, for which message). */
export function intentsOf(input: PlanningInput): { intents: Intent[]; replanReminders: boolean; cancelRemindersOf: 'all' | readonly number[] | null } {
  const { outbox, appointment } = input;
  const payload = readPayload(outbox.payload);
  const all = input.participations.map(participantFacts);
  const concerned = (ids: readonly number[]) => all.filter((participant) => ids.includes(participant.participationId));
  const intents: Intent[] = [];
  switch (outbox.topic) {
    case 'appointment.created':
      intents.push({ event: 'appointment_created', participants: concerned(payload.participationIds), removedUserIds: [], agentIds: appointment.agentIds, cancelledByUser: false });
      return { intents, replanReminders: true, cancelRemindersOf: null };
    case 'appointment.cancelled': {
      const whole = appointment.cancelled;
      const participants = concerned(payload.participationIds);
      intents.push({ event: 'appointment_cancelled', participants, removedUserIds: [], agentIds: whole ? appointment.agentIds : [], cancelledByUser: payload.by === 'user' });
      return { intents, replanReminders: false, cancelRemindersOf: whole ? 'all' : participants.map((participant) => participant.recipientUserId) };
    }
    case 'appointment.updated': {
      if (payload.status !== null) {
        // Back to « à renseigner » from a cancellation is a new appointment for everyone; seen, no-show are not news.
        if (payload.status !== 'unknown') return { intents, replanReminders: false, cancelRemindersOf: null };
        intents.push({ event: 'appointment_created', participants: concerned(payload.participationIds), removedUserIds: [], agentIds: appointment.agentIds, cancelledByUser: false });
        return { intents, replanReminders: true, cancelRemindersOf: null };
      }
      const timeChanged = payload.previousStartsAt !== null && payload.previousStartsAt.getTime() !== appointment.startsAt.getTime();
      const placeChanged = payload.previousPlaceId !== undefined && payload.previousPlaceId !== appointment.placeId;
      const added = payload.addedParticipationIds;
      const previousAgents = payload.previousAgentIds ?? appointment.agentIds;
      const keptAgents = appointment.agentIds.filter((id) => previousAgents.includes(id));
      const addedAgents = appointment.agentIds.filter((id) => !previousAgents.includes(id));
      const removedAgents = previousAgents.filter((id) => !appointment.agentIds.includes(id));
      if (timeChanged || placeChanged) {
        const kept = concerned(payload.participationIds).filter((participant) => !added.includes(participant.participationId));
        intents.push({ event: 'appointment_updated', participants: kept, removedUserIds: [], agentIds: keptAgents, cancelledByUser: false });
      }
      intents.push({ event: 'appointment_created', participants: concerned(added), removedUserIds: [], agentIds: addedAgents, cancelledByUser: false });
      intents.push({ event: 'appointment_cancelled', participants: [], removedUserIds: payload.removedUserIds, agentIds: removedAgents, cancelledByUser: false });
      return { intents, replanReminders: timeChanged || added.length > 0, cancelRemindersOf: payload.removedUserIds.length > 0 ? payload.removedUserIds : null };
    }
    default:
      return { intents, replanReminders: false, cancelRemindersOf: null };
  }
}

function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

function userKey(recipient: Recipient): string {
  return recipient.kind === 'user' ? `u${String(recipient.userId)}` : `a${String(recipient.agentId)}`;
}

/** The reminder rows of an appointment as it is now (one per offset, usager and channel). */
export function reminderRows(
  appointment: AppointmentForNotification,
  participations: readonly ParticipationForNotification[],
  reachable: ReadonlyMap<number, ReachableUser>,
  since: Date,
): NewNotification[] {
  if (appointment.cancelled || appointment.visibility === 'invisible') return [];
  const recipients = userRecipients({ event: 'reminder', participants: participations.map(participantFacts), reachable, cancelledByUser: false });
  const startsAtKey = appointment.startsAt.toISOString();
  const rows: NewNotification[] = [];
  for (const reminder of plannedReminders({ startsAt: appointment.startsAt, timeZone: appointment.timeZone, offsetsMinutes: appointment.reminderOffsetsMinutes, since })) {
    for (const recipient of recipients) {
      rows.push({
        idempotencyKey: `reminder:${String(appointment.id)}:${startsAtKey}:${String(reminder.offsetMinutes)}:${userKey(recipient)}:${recipient.channel}`,
        event: 'reminder',
        channel: recipient.channel,
        appointmentId: appointment.id,
        userId: recipient.userId,
        agentId: null,
        territoryId: appointment.territoryId,
        outboxEventId: null,
        details: { startsAt: startsAtKey, offsetMinutes: reminder.offsetMinutes },
        notBefore: reminder.sendAt,
        notAfter: appointment.startsAt,
      });
    }
  }
  return rows;
}

export interface PlanningReport {
  readonly events: number;
  readonly notifications: number;
  readonly reminders: number;
}

/**
 * Plans the notifications of up to `limit` pending outbox events, in one transaction. Returns
 * what it did; `events: 0` means the outbox is empty.
 */
export async function planFromOutbox(database: Kysely<Database>, options: { readonly now: Date; readonly limit?: number }): Promise<PlanningReport> {
  return database.transaction().execute(async (trx) => {
    const events = await claimOutboxEvents(trx, options.limit ?? 100);
    if (events.length === 0) return { events: 0, notifications: 0, reminders: 0 };
    const appointments = await findAppointmentsForNotification(trx, events.map((event) => event.appointmentId));
    const participations = await findParticipationsOf(trx, [...appointments.keys()]);
    const userIds = new Set<number>();
    const agentIds = new Set<number>();
    for (const participation of participations) userIds.add(participation.responsibleId ?? participation.userId);
    for (const event of events) {
      const payload = readPayload(event.payload);
      for (const id of payload.removedUserIds) userIds.add(id);
      for (const id of payload.previousAgentIds ?? []) agentIds.add(id);
    }
    for (const appointment of appointments.values()) for (const id of appointment.agentIds) agentIds.add(id);
    const users = await findUserContacts(trx, [...userIds]);
    const agents = await findAgentContacts(trx, [...agentIds]);
    const reachable = reachableUsers(users);
    const byAppointment = groupByAppointment(participations);

    let notifications = 0;
    let reminders = 0;
    for (const event of events) {
      const appointment = appointments.get(event.appointmentId);
      if (appointment === undefined) continue;
      const own = byAppointment.get(appointment.id) ?? [];
      const payload = readPayload(event.payload);
      const planned = intentsOf({ outbox: event, appointment, participations: own, now: options.now });
      const rows: NewNotification[] = [];
      if (isNotifiable({ visibility: appointment.visibility, startsAt: appointment.startsAt, now: options.now })) {
        for (const intent of planned.intents) {
          const recipients: Recipient[] = [
            ...userRecipients({ event: intent.event, participants: intent.participants, reachable, cancelledByUser: intent.cancelledByUser }),
            // Usagers removed by an agent: their participation row is gone; they were told of it by default.
            ...userRecipients({
              event: intent.event,
              participants: intent.removedUserIds.map((userId) => ({ participationId: 0, userId, recipientUserId: userId, active: false, sendLifecycleNotifications: true, sendReminderNotification: false })),
              reachable,
              cancelledByUser: false,
            }),
            ...agentRecipients({
              event: intent.event,
              agents: intent.agentIds.flatMap((id) => {
                const agent = agents.get(id);
                return agent === undefined || !agent.active ? [] : [{ agentId: id, level: agent.level, hasEmail: agent.email !== null && agent.email !== '' }];
              }),
              actorAgentId: payload.actorAgentId,
              startsAt: appointment.startsAt,
              previousStartsAt: payload.previousStartsAt,
              timeZone: appointment.timeZone,
              now: options.now,
            }),
          ];
          for (const recipient of recipients) {
            rows.push({
              idempotencyKey: `event:${String(event.id)}:${intent.event}:${userKey(recipient)}:${recipient.channel}`,
              event: intent.event,
              channel: recipient.channel,
              appointmentId: appointment.id,
              userId: recipient.kind === 'user' ? recipient.userId : null,
              agentId: recipient.kind === 'agent' ? recipient.agentId : null,
              territoryId: appointment.territoryId,
              outboxEventId: event.id,
              details: {
                previousStartsAt: payload.previousStartsAt?.toISOString() ?? null,
                cancelledByUser: intent.cancelledByUser,
                participationIds: intent.participants.map((participant) => participant.participationId),
              },
              notBefore: options.now,
              notAfter: appointment.startsAt,
            });
          }
        }
      }
      notifications += await insertNotifications(trx, rows);

      if (planned.cancelRemindersOf === 'all') {
        await cancelPendingReminders(trx, appointment.id, { keep: [] });
      } else if (planned.cancelRemindersOf !== null) {
        await cancelPendingReminders(trx, appointment.id, { keep: [], userIds: planned.cancelRemindersOf });
      }
      if (planned.replanReminders) {
        // When the change happened (the clock of the database and the app's may differ: the earlier).
        const fresh = reminderRows(appointment, own, reachable, earlier(event.createdAt, options.now));
        await cancelPendingReminders(trx, appointment.id, { keep: fresh.map((row) => row.idempotencyKey) });
        reminders += await upsertReminders(trx, fresh);
      }
    }
    await markOutboxProcessed(trx, events.map((event) => event.id), options.now);
    return { events: events.length, notifications, reminders };
  });
}

/**
 * The reminder sweep: plans the reminders of appointments of the coming days that have none for
 * their current start (missed by the planning, or booked before notifications existed). A
 * reminder whose moment passed while nobody planned it goes out now, if the appointment has not
 * started. Idempotent: keys are unique, so two sweeps plan each reminder once.
 */
export async function sweepReminders(database: Kysely<Database>, options: { readonly now: Date; readonly horizonMinutes?: number; readonly pageSize?: number }): Promise<number> {
  let planned = 0;
  // Keyset pages by id: appointments with nobody to remind stay without rows and must not hide the next ones.
  for (let afterId = 0; ; ) {
    const ids = await findAppointmentsWithoutReminders(database, { now: options.now, horizonMinutes: options.horizonMinutes ?? 3 * 24 * 60, limit: options.pageSize ?? 500, afterId });
    const last = ids.at(-1);
    if (last === undefined) return planned;
    afterId = last;
    planned += await database.transaction().execute(async (trx) => {
      const appointments = await findAppointmentsForNotification(trx, ids);
      const participations = await findParticipationsOf(trx, ids);
      const reachable = reachableUsers(await findUserContacts(trx, participations.map((participation) => participation.responsibleId ?? participation.userId)));
      const byAppointment = groupByAppointment(participations);
      let inserted = 0;
      for (const appointment of appointments.values()) {
        const own = byAppointment.get(appointment.id) ?? [];
        // Planned as if at the appointment's last change; a reminder already due goes out now.
        const rows = reminderRows(appointment, own, reachable, earlier(appointment.updatedAt, options.now)).map((row) => (row.notBefore.getTime() < options.now.getTime() ? { ...row, notBefore: options.now } : row));
        inserted += await upsertReminders(trx, rows);
      }
      return inserted;
    });
  }
}

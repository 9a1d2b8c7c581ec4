// Helpers of the appointments and booking integration tests: ids of the demo territory and free public slots.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import { epochMinutesToDate } from '../../src/shared/time/index.js';
import { searchSlots, type Slot } from '../../src/modules/availability/index.js';
import { bookAppointment, type BookedAppointment } from '../../src/modules/appointments/index.js';

/** Tuesday 24 November 2026, 10:00 in Paris: the `now` of every booking test. */
export const NOW = new Date('2026-11-24T09:00:00Z');
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** A fresh idempotency key, as the booking form would generate it. */
export function newKey(): string {
  return randomUUID();
}

export async function findTypeId(db: Kysely<Database>, organisationSlug: string, name: string): Promise<number> {
  const row = await db
    .selectFrom('appointment_types as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select('t.id')
    .where('o.slug', '=', organisationSlug)
    .where('t.name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUserId(db: Kysely<Database>, firstName: string): Promise<number> {
  const row = await db.selectFrom('users').select('id').where('first_name', '=', firstName).executeTakeFirstOrThrow();
  return row.id;
}

/** A usager with no appointment, created for one test. */
export async function createUser(db: Kysely<Database>, lastName: string, responsibleId: number | null = null): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ first_name: 'Test', last_name: lastName, responsible_id: responsibleId, created_through: 'seed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Public slots of the motif on the `dayOffset`-th day after NOW (24 hours from NOW + offset days). */
export async function publicSlotsOn(db: Kysely<Database>, appointmentTypeId: number, dayOffset: number, now: Date = NOW): Promise<Slot[]> {
  const from = new Date(now.getTime() + dayOffset * DAY_MS);
  return searchSlots(db, { appointmentTypeId, audience: 'public', from, to: new Date(from.getTime() + DAY_MS), now });
}

/** The first public slot of the motif from `dayOffset` days after NOW (at the place, when given), searching two weeks. */
export async function firstPublicSlot(
  db: Kysely<Database>,
  appointmentTypeId: number,
  dayOffset: number,
  options: { placeId?: number | null; referentAgentIds?: readonly number[] } = {},
): Promise<Slot> {
  const from = new Date(NOW.getTime() + dayOffset * DAY_MS);
  const slots = await searchSlots(db, {
    appointmentTypeId,
    audience: 'public',
    from,
    to: new Date(from.getTime() + 14 * DAY_MS),
    now: NOW,
    filters: { placeIds: options.placeId === undefined || options.placeId === null ? null : [options.placeId], referentAgentIds: options.referentAgentIds ?? null },
  });
  const slot = slots[0];
  if (slot === undefined) throw new Error(`Aucun créneau public pour le motif ${String(appointmentTypeId)}`);
  return slot;
}

export function startOf(slot: Slot): Date {
  return epochMinutesToDate(slot.startsAtEpochMinutes);
}

export function agentOf(slot: Slot): number {
  const agentId = slot.agentIds[0];
  if (agentId === undefined) throw new Error('Créneau sans agent');
  return agentId;
}

/** Whether the engine offers the motif at exactly `startsAt` at the place, on the public side. */
export async function isOffered(db: Kysely<Database>, appointmentTypeId: number, startsAt: Date, placeId: number | null): Promise<boolean> {
  const slots = await searchSlots(db, { appointmentTypeId, audience: 'public', from: startsAt, to: new Date(startsAt.getTime() + MINUTE_MS), now: NOW });
  return slots.some((slot) => epochMinutesToDate(slot.startsAtEpochMinutes).getTime() === startsAt.getTime() && slot.placeId === placeId);
}

/** Books the first public slot of the motif from `dayOffset` days on for `userId`, by `actorId` (default: themself). */
export async function bookFirstPublicSlot(
  db: Kysely<Database>,
  appointmentTypeId: number,
  dayOffset: number,
  userId: number,
  actorId: number = userId,
): Promise<BookedAppointment> {
  const slot = await firstPublicSlot(db, appointmentTypeId, dayOffset);
  const result = await bookAppointment(db, {
    appointmentTypeId,
    startsAt: startOf(slot),
    placeId: slot.placeId,
    agentId: agentOf(slot),
    userId,
    bookedBy: { type: 'user', userId: actorId },
    idempotencyKey: newKey(),
    now: NOW,
  });
  if (!result.ok) throw new Error(`réservation refusée : ${result.reason}`);
  return result.appointment;
}

/**
 * A second agent with the same opening periods as `agentId` for the motif (same organisation,
 * services, days and hours): every slot of that motif then has two free agents.
 */
export async function addTwinAgent(db: Kysely<Database>, agentId: number, appointmentTypeId: number, lastName: string): Promise<number> {
  const twin = await db
    .insertInto('agents')
    .values({ first_name: 'Jumelle', last_name: lastName, email: `${lastName.toLowerCase()}@demo.creneau.localhost` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const roles = await db.selectFrom('agent_roles').selectAll().where('agent_id', '=', agentId).execute();
  if (roles.length > 0) await db.insertInto('agent_roles').values(roles.map((role) => ({ ...role, agent_id: twin.id }))).execute();
  const services = await db.selectFrom('agent_services').selectAll().where('agent_id', '=', agentId).execute();
  if (services.length > 0) await db.insertInto('agent_services').values(services.map((service) => ({ ...service, agent_id: twin.id }))).execute();
  const periods = await db
    .selectFrom('opening_periods as op')
    .innerJoin('opening_period_appointment_types as opt', 'opt.opening_period_id', 'op.id')
    .select(['op.organisation_id', 'op.place_id', 'op.title', 'op.first_day', 'op.last_day', 'op.start_time', 'op.end_time', 'op.recurrence', 'op.excluded_dates'])
    .where('op.agent_id', '=', agentId)
    .where('opt.appointment_type_id', '=', appointmentTypeId)
    .execute();
  for (const period of periods) {
    const inserted = await db.insertInto('opening_periods').values({ ...period, agent_id: twin.id }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('opening_period_appointment_types').values({ opening_period_id: inserted.id, appointment_type_id: appointmentTypeId }).execute();
  }
  return twin.id;
}

/** The slots (one per free agent) of the first public start of the motif from `dayOffset` days on that several agents could take. */
export async function firstStartWithSeveralAgents(db: Kysely<Database>, appointmentTypeId: number, dayOffset: number): Promise<Slot[]> {
  const from = new Date(NOW.getTime() + dayOffset * DAY_MS);
  const slots = await searchSlots(db, { appointmentTypeId, audience: 'public', everyAgent: true, from, to: new Date(from.getTime() + 14 * DAY_MS), now: NOW });
  for (const slot of slots) {
    const same = slots.filter((candidate) => candidate.startsAtEpochMinutes === slot.startsAtEpochMinutes && candidate.placeId === slot.placeId);
    if (same.length >= 2) return same;
  }
  throw new Error(`Aucun créneau à plusieurs agents pour le motif ${String(appointmentTypeId)}`);
}

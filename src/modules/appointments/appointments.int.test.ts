import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { searchCollectiveSlots } from '../availability/index.js';
import {
  DAY_MS,
  MINUTE_MS,
  NOW,
  agentOf,
  bookFirstPublicSlot,
  createUser,
  findTypeId,
  findUserId,
  firstPublicSlot,
  isOffered,
  newKey,
  publicSlotsOn,
  startOf,
} from '../../../test/support/appointments.js';
import {
  bookAppointment,
  cancelParticipation,
  getAppointmentCalendarFile,
  joinCollectiveAppointment,
  leaveCollectiveAppointment,
  rescheduleAppointment,
  setWaitlist,
  type BookedAppointment,
} from './index.js';

const PUERICULTURE = 'Consultation de puériculture';

describe('booking use cases on the demo territory', () => {
  let database: TestDatabase;
  let puericultureId: number;
  let camilleId: number;
  let noeId: number;
  let karimId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    puericultureId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
    camilleId = await findUserId(database.db, 'Camille');
    noeId = await findUserId(database.db, 'Noé');
    karimId = await findUserId(database.db, 'Karim');
  });
  afterAll(async () => {
    await database.destroy();
  });

  /** Books the first public slot of the motif from `dayOffset` days on, for `userId`. */
  const bookFirstSlot = (typeId: number, dayOffset: number, userId: number, actorId: number = userId): Promise<BookedAppointment> =>
    bookFirstPublicSlot(database.db, typeId, dayOffset, userId, actorId);

  async function outboxTopics(appointmentId: number): Promise<string[]> {
    const rows = await database.db.selectFrom('outbox_events').select('topic').where('aggregate_id', '=', appointmentId).orderBy('id').execute();
    return rows.map((row) => row.topic);
  }

  describe('bookAppointment', () => {
    it('books an offered slot in one go: appointment, agent, participation, outbox event, audit entry', async () => {
      const slot = await firstPublicSlot(database.db, puericultureId, 7);
      const result = await bookAppointment(database.db, {
        appointmentTypeId: puericultureId,
        startsAt: startOf(slot),
        placeId: slot.placeId,
        agentId: agentOf(slot),
        userId: camilleId,
        bookedBy: { type: 'user', userId: camilleId },
        idempotencyKey: newKey(),
        now: NOW,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.replayed).toBe(false);
      const { appointment } = result;
      expect(appointment.publicId).toMatch(/^[0-9a-f]{32}$/);
      expect(appointment.startsAt).toEqual(startOf(slot));
      expect(appointment.endsAt.getTime() - appointment.startsAt.getTime()).toBe(30 * MINUTE_MS);
      expect(appointment.agentIds).toEqual([agentOf(slot)]);
      expect(appointment.timeZone).toBe('Europe/Paris');

      const agents = await database.db.selectFrom('appointment_agents').selectAll().where('appointment_id', '=', appointment.id).execute();
      expect(agents).toHaveLength(1);
      expect(agents[0]?.is_active).toBe(true);
      const participation = await database.db.selectFrom('participations').selectAll().where('appointment_id', '=', appointment.id).executeTakeFirstOrThrow();
      expect(participation).toMatchObject({ user_id: camilleId, status: 'unknown', created_by_type: 'user', created_by_user_id: camilleId });
      expect(await outboxTopics(appointment.id)).toEqual(['appointment.created']);
      const outbox = await database.db.selectFrom('outbox_events').select('payload').where('aggregate_id', '=', appointment.id).executeTakeFirstOrThrow();
      expect(outbox.payload).toEqual({ appointmentId: appointment.id, publicId: appointment.publicId, participationIds: [participation.id], by: 'user' });
      const audit = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject_type', '=', 'appointment')
        .where('subject_id', '=', appointment.id)
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_type: 'user', actor_id: camilleId, action: 'create' });

      // the slot is no longer offered
      expect(await isOffered(database.db, puericultureId, startOf(slot), slot.placeId)).toBe(false);
    });

    it('replays a double click with the same key: same appointment, nothing booked twice', async () => {
      const slot = await firstPublicSlot(database.db, puericultureId, 8);
      const request = {
        appointmentTypeId: puericultureId,
        startsAt: startOf(slot),
        placeId: slot.placeId,
        agentId: agentOf(slot),
        userId: karimId,
        bookedBy: { type: 'user', userId: karimId } as const,
        idempotencyKey: newKey(),
        now: NOW,
      };
      const first = await bookAppointment(database.db, request);
      const second = await bookAppointment(database.db, request);
      expect(first.ok && second.ok).toBe(true);
      if (!first.ok || !second.ok) return;
      expect(second.replayed).toBe(true);
      expect(second.appointment.id).toBe(first.appointment.id);
      expect(second.appointment.participationId).toBe(first.appointment.participationId);
      expect(await outboxTopics(first.appointment.id)).toEqual(['appointment.created']);
    });

    it('refuses the same key with another request instead of replaying it', async () => {
      const slots = await publicSlotsOn(database.db, puericultureId, 9);
      const [a, b] = slots;
      if (a === undefined || b === undefined) throw new Error('deux créneaux attendus');
      const key = newKey();
      const base = { appointmentTypeId: puericultureId, userId: karimId, bookedBy: { type: 'user', userId: karimId } as const, idempotencyKey: key, now: NOW };
      const first = await bookAppointment(database.db, { ...base, startsAt: startOf(a), placeId: a.placeId, agentId: agentOf(a) });
      expect(first.ok).toBe(true);
      const second = await bookAppointment(database.db, { ...base, startsAt: startOf(b), placeId: b.placeId, agentId: agentOf(b) });
      expect(second).toEqual({ ok: false, reason: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('refuses a slot that someone else took first (SLOT_TAKEN), and the failed key stays usable', async () => {
      const slot = await firstPublicSlot(database.db, puericultureId, 10);
      const otherId = await createUser(database.db, 'Martin');
      await bookFirstSlot(puericultureId, 10, karimId);
      const key = newKey();
      const taken = await bookAppointment(database.db, {
        appointmentTypeId: puericultureId,
        startsAt: startOf(slot),
        placeId: slot.placeId,
        agentId: agentOf(slot),
        userId: otherId,
        bookedBy: { type: 'user', userId: otherId },
        idempotencyKey: key,
        now: NOW,
      });
      expect(taken).toEqual({ ok: false, reason: 'SLOT_TAKEN' });
      const next = await firstPublicSlot(database.db, puericultureId, 10);
      const retried = await bookAppointment(database.db, {
        appointmentTypeId: puericultureId,
        startsAt: startOf(next),
        placeId: next.placeId,
        agentId: agentOf(next),
        userId: otherId,
        bookedBy: { type: 'user', userId: otherId },
        idempotencyKey: key,
        now: NOW,
      });
      expect(retried.ok).toBe(true);
    });

    it('refuses a start the engine does not offer (off the grid, outside opening hours, wrong place)', async () => {
      const slot = await firstPublicSlot(database.db, puericultureId, 11);
      const base = { appointmentTypeId: puericultureId, userId: karimId, bookedBy: { type: 'user', userId: karimId } as const, now: NOW };
      const offGrid = await bookAppointment(database.db, { ...base, startsAt: new Date(startOf(slot).getTime() + 10 * MINUTE_MS), placeId: slot.placeId, agentId: agentOf(slot), idempotencyKey: newKey() });
      expect(offGrid).toEqual({ ok: false, reason: 'SLOT_NOT_OFFERED' });
      const evening = new Date(startOf(slot).getTime() + 9 * 60 * MINUTE_MS);
      const closed = await bookAppointment(database.db, { ...base, startsAt: evening, placeId: slot.placeId, agentId: null, idempotencyKey: newKey() });
      expect(closed).toEqual({ ok: false, reason: 'SLOT_NOT_OFFERED' });
      const otherPlace = await database.db.selectFrom('places').select('id').where('name', '=', 'MDS de Meaux').executeTakeFirstOrThrow();
      const wrongPlace = await bookAppointment(database.db, { ...base, startsAt: startOf(slot), placeId: otherPlace.id, agentId: agentOf(slot), idempotencyKey: newKey() });
      expect(wrongPlace).toEqual({ ok: false, reason: 'SLOT_NOT_OFFERED' });
      const noPlace = await bookAppointment(database.db, { ...base, startsAt: startOf(slot), placeId: null, agentId: agentOf(slot), idempotencyKey: newKey() });
      expect(noPlace).toEqual({ ok: false, reason: 'SLOT_NOT_OFFERED' });
    });

    it('books any free agent of the slot when none is given', async () => {
      const slot = await firstPublicSlot(database.db, puericultureId, 12);
      const result = await bookAppointment(database.db, {
        appointmentTypeId: puericultureId,
        startsAt: startOf(slot),
        placeId: slot.placeId,
        userId: karimId,
        bookedBy: { type: 'user', userId: karimId },
        idempotencyKey: newKey(),
        now: NOW,
      });
      expect(result.ok && result.appointment.agentIds).toEqual(slot.agentIds);
    });

    it('refuses a start before the minimum or after the maximum booking notice', async () => {
      const base = { appointmentTypeId: puericultureId, placeId: null, userId: karimId, bookedBy: { type: 'user', userId: karimId } as const, now: NOW };
      const tooSoon = await bookAppointment(database.db, { ...base, startsAt: new Date(NOW.getTime() + 15 * MINUTE_MS), idempotencyKey: newKey() });
      expect(tooSoon).toEqual({ ok: false, reason: 'OUTSIDE_BOOKING_WINDOW' });
      const tooLate = await bookAppointment(database.db, { ...base, startsAt: new Date(NOW.getTime() + 100 * DAY_MS), idempotencyKey: newKey() });
      expect(tooLate).toEqual({ ok: false, reason: 'OUTSIDE_BOOKING_WINDOW' });
    });

    it('refuses motifs closed to online booking, collective motifs, unknown motifs and malformed keys', async () => {
      const base = { startsAt: new Date(NOW.getTime() + 7 * DAY_MS), placeId: null, userId: karimId, bookedBy: { type: 'user', userId: karimId } as const, now: NOW };
      const homeVisit = await findTypeId(database.db, 'mds-melun', 'Visite à domicile');
      expect(await bookAppointment(database.db, { ...base, appointmentTypeId: homeVisit, idempotencyKey: newKey() })).toEqual({ ok: false, reason: 'NOT_BOOKABLE_ONLINE' });
      const orientation = await findTypeId(database.db, 'mds-melun', 'Rendez-vous d’orientation RSA');
      expect(await bookAppointment(database.db, { ...base, appointmentTypeId: orientation, idempotencyKey: newKey() })).toEqual({ ok: false, reason: 'NOT_BOOKABLE_ONLINE' });
      const workshop = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
      expect(await bookAppointment(database.db, { ...base, appointmentTypeId: workshop, idempotencyKey: newKey() })).toEqual({ ok: false, reason: 'COLLECTIVE_TYPE' });
      expect(await bookAppointment(database.db, { ...base, appointmentTypeId: 999_999, idempotencyKey: newKey() })).toEqual({ ok: false, reason: 'UNKNOWN_APPOINTMENT_TYPE' });
      expect(await bookAppointment(database.db, { ...base, appointmentTypeId: puericultureId, idempotencyKey: 'short' })).toEqual({ ok: false, reason: 'INVALID_IDEMPOTENCY_KEY' });
    });

    it('lets a usager book for their relative, never for someone else', async () => {
      const forChild = await bookFirstSlot(puericultureId, 13, noeId, camilleId);
      expect(forChild.userId).toBe(noeId);
      const slot = await firstPublicSlot(database.db, puericultureId, 13);
      const forStranger = await bookAppointment(database.db, {
        appointmentTypeId: puericultureId,
        startsAt: startOf(slot),
        placeId: slot.placeId,
        agentId: agentOf(slot),
        userId: karimId,
        bookedBy: { type: 'user', userId: camilleId },
        idempotencyKey: newKey(),
        now: NOW,
      });
      expect(forStranger).toEqual({ ok: false, reason: 'NOT_ALLOWED' });
      const unknown = await bookAppointment(database.db, {
        appointmentTypeId: puericultureId,
        startsAt: startOf(slot),
        placeId: slot.placeId,
        userId: 999_999,
        bookedBy: { type: 'user', userId: 999_999 },
        idempotencyKey: newKey(),
        now: NOW,
      });
      expect(unknown).toEqual({ ok: false, reason: 'UNKNOWN_USER' });
    });

    it('lets a prescripteur book a motif open to prescripteurs, and keeps who they are with the participation', async () => {
      const orientation = await findTypeId(database.db, 'mds-melun', 'Rendez-vous d’orientation RSA');
      const slot = await firstPublicSlot(database.db, orientation, 1);
      expect(slot.placeId).toBeNull();
      const identity = { firstName: 'Inès', lastName: 'Bibliothécaire', email: 'ines@mediatheque.example', phone: '+33600000000' };
      const result = await bookAppointment(database.db, {
        appointmentTypeId: orientation,
        startsAt: startOf(slot),
        placeId: null,
        userId: karimId,
        bookedBy: { type: 'prescripteur', identity },
        idempotencyKey: newKey(),
        now: NOW,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const appointment = await database.db.selectFrom('appointments').selectAll().where('id', '=', result.appointment.id).executeTakeFirstOrThrow();
      expect(appointment).toMatchObject({ created_by_type: 'prescripteur', created_by_user_id: null, place_id: null });
      const participation = await database.db.selectFrom('participations').selectAll().where('id', '=', result.appointment.participationId).executeTakeFirstOrThrow();
      expect(participation.prescripteur).toEqual(identity);
      const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'appointment').where('subject_id', '=', result.appointment.id).executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ actor_type: 'prescripteur', actor_id: null });
    });

    it('offers follow-up motifs only with the usager’s referent', async () => {
      const followUp = await findTypeId(database.db, 'mds-melun', 'Suivi RSA avec votre référent');
      const referents = await database.db.selectFrom('referent_assignations').select('agent_id').where('user_id', '=', karimId).execute();
      const slot = await firstPublicSlot(database.db, followUp, 7, { referentAgentIds: referents.map((row) => row.agent_id) });
      const withoutReferentId = await findUserId(database.db, 'Jeanne');
      const base = { appointmentTypeId: followUp, startsAt: startOf(slot), placeId: slot.placeId, agentId: agentOf(slot), now: NOW };
      const refused = await bookAppointment(database.db, { ...base, userId: withoutReferentId, bookedBy: { type: 'user', userId: withoutReferentId }, idempotencyKey: newKey() });
      expect(refused).toEqual({ ok: false, reason: 'SLOT_NOT_OFFERED' });
      const booked = await bookAppointment(database.db, { ...base, userId: karimId, bookedBy: { type: 'user', userId: karimId }, idempotencyKey: newKey() });
      expect(booked.ok).toBe(true);
    });
  });

  describe('cancelParticipation', () => {
    it('cancels an individual appointment as excused, frees the agent and tells the outbox', async () => {
      const appointment = await bookFirstSlot(puericultureId, 14, karimId);
      const result = await cancelParticipation(database.db, { appointmentId: appointment.id, userId: karimId, now: NOW });
      expect(result.ok && result.appointment.status).toBe('excused');
      const row = await database.db.selectFrom('appointments').select(['status', 'cancelled_at']).where('id', '=', appointment.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('excused');
      expect(row.cancelled_at).toEqual(NOW);
      const participation = await database.db.selectFrom('participations').select('status').where('id', '=', appointment.participationId).executeTakeFirstOrThrow();
      expect(participation.status).toBe('excused');
      const link = await database.db.selectFrom('appointment_agents').select('is_active').where('appointment_id', '=', appointment.id).executeTakeFirstOrThrow();
      expect(link.is_active).toBe(false);
      expect(await outboxTopics(appointment.id)).toEqual(['appointment.created', 'appointment.cancelled']);
      // the slot is offered again
      expect(await isOffered(database.db, puericultureId, appointment.startsAt, appointment.placeId)).toBe(true);

      expect(await cancelParticipation(database.db, { appointmentId: appointment.id, userId: karimId, now: NOW })).toEqual({ ok: false, reason: 'ALREADY_CANCELLED' });
    });

    it('refuses to cancel later than the motif’s cancel deadline before the start', async () => {
      const appointment = await bookFirstSlot(puericultureId, 15, karimId);
      const threeHoursBefore = new Date(appointment.startsAt.getTime() - 3 * 60 * MINUTE_MS);
      expect(await cancelParticipation(database.db, { appointmentId: appointment.id, userId: karimId, now: threeHoursBefore })).toEqual({
        ok: false,
        reason: 'DEADLINE_PASSED',
      });
      const fourHoursBefore = new Date(appointment.startsAt.getTime() - 4 * 60 * MINUTE_MS);
      expect((await cancelParticipation(database.db, { appointmentId: appointment.id, userId: karimId, now: fourHoursBefore })).ok).toBe(true);
    });

    it('lets the responsible cancel for a relative, and nobody else', async () => {
      const appointment = await bookFirstSlot(puericultureId, 16, noeId, camilleId);
      expect(await cancelParticipation(database.db, { appointmentId: appointment.id, userId: noeId, actorUserId: karimId, now: NOW })).toEqual({
        ok: false,
        reason: 'NOT_ALLOWED',
      });
      expect(await cancelParticipation(database.db, { appointmentId: appointment.id, userId: karimId, now: NOW })).toEqual({ ok: false, reason: 'NOT_FOUND' });
      expect((await cancelParticipation(database.db, { appointmentId: appointment.id, userId: noeId, actorUserId: camilleId, now: NOW })).ok).toBe(true);
    });
  });

  describe('rescheduleAppointment', () => {
    it('moves the appointment to another slot of the same motif and place; the old slot frees itself', async () => {
      const appointment = await bookFirstSlot(puericultureId, 17, karimId);
      const target = await firstPublicSlot(database.db, puericultureId, 18, { placeId: appointment.placeId });
      const key = newKey();
      const request = { appointmentId: appointment.id, userId: karimId, newStartsAt: startOf(target), idempotencyKey: key, now: NOW };
      const result = await rescheduleAppointment(database.db, request);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.appointment.id).toBe(appointment.id);
      expect(result.appointment.startsAt).toEqual(startOf(target));
      const row = await sql<{ starts_at: Date }>`SELECT lower(during) AS starts_at FROM appointments WHERE id = ${appointment.id}`.execute(database.db);
      expect(row.rows[0]?.starts_at).toEqual(startOf(target));
      const link = await database.db.selectFrom('appointment_agents').select(['agent_id', 'during']).where('appointment_id', '=', appointment.id).execute();
      expect(link).toHaveLength(1);
      expect(await outboxTopics(appointment.id)).toEqual(['appointment.created', 'appointment.updated']);
      const event = await database.db
        .selectFrom('outbox_events')
        .select('payload')
        .where('aggregate_id', '=', appointment.id)
        .where('topic', '=', 'appointment.updated')
        .executeTakeFirstOrThrow();
      expect(event.payload).toMatchObject({ previousStartsAt: appointment.startsAt.toISOString() });
      // old slot offered again, new one not
      expect(await isOffered(database.db, puericultureId, appointment.startsAt, appointment.placeId)).toBe(true);
      expect(await isOffered(database.db, puericultureId, startOf(target), appointment.placeId)).toBe(false);
      // a retry replays
      const replay = await rescheduleAppointment(database.db, request);
      expect(replay.ok && replay.replayed).toBe(true);
      expect(await outboxTopics(appointment.id)).toEqual(['appointment.created', 'appointment.updated']);
    });

    it('refuses a taken slot, a slot that is not offered and the same slot, and leaves the appointment where it was', async () => {
      const appointment = await bookFirstSlot(puericultureId, 19, karimId);
      const other = await bookFirstSlot(puericultureId, 19, camilleId);
      const base = { appointmentId: appointment.id, userId: karimId, now: NOW };
      expect(other.placeId).toBe(appointment.placeId);
      expect(await rescheduleAppointment(database.db, { ...base, newStartsAt: other.startsAt, agentId: other.agentIds[0] ?? null, idempotencyKey: newKey() })).toEqual({
        ok: false,
        reason: 'SLOT_TAKEN',
      });
      const night = new Date(appointment.startsAt.getTime() + 12 * 60 * MINUTE_MS);
      expect(await rescheduleAppointment(database.db, { ...base, newStartsAt: night, idempotencyKey: newKey() })).toEqual({ ok: false, reason: 'SLOT_NOT_OFFERED' });
      expect(await rescheduleAppointment(database.db, { ...base, newStartsAt: appointment.startsAt, idempotencyKey: newKey() })).toEqual({ ok: false, reason: 'SAME_SLOT' });
      const link = await database.db.selectFrom('appointment_agents').select(['agent_id', 'is_active']).where('appointment_id', '=', appointment.id).execute();
      expect(link).toEqual([{ agent_id: appointment.agentIds[0], is_active: true }]);
    });

    it('refuses to move later than the reschedule deadline before the original start', async () => {
      const appointment = await bookFirstSlot(puericultureId, 20, karimId);
      const target = await firstPublicSlot(database.db, puericultureId, 21);
      const dayBefore = new Date(appointment.startsAt.getTime() - DAY_MS);
      expect(await rescheduleAppointment(database.db, { appointmentId: appointment.id, userId: karimId, newStartsAt: startOf(target), idempotencyKey: newKey(), now: dayBefore })).toEqual({
        ok: false,
        reason: 'DEADLINE_PASSED',
      });
    });

    it('refuses to move an appointment an agent set', async () => {
      const row = await database.db
        .selectFrom('appointments as a')
        .innerJoin('participations as p', 'p.appointment_id', 'a.id')
        .select(['a.id', 'p.user_id'])
        .where('a.created_by_type', '=', 'agent')
        .where('a.is_collective', '=', false)
        .where('a.status', '=', 'unknown')
        .where(sql<boolean>`lower(a.during) > ${new Date(NOW.getTime() + 3 * DAY_MS).toISOString()}::timestamptz`)
        .executeTakeFirstOrThrow();
      const result = await rescheduleAppointment(database.db, {
        appointmentId: row.id,
        userId: row.user_id,
        newStartsAt: new Date(NOW.getTime() + 7 * DAY_MS),
        idempotencyKey: newKey(),
        now: NOW,
      });
      expect(result.ok ? 'ok' : result.reason).toMatch(/BOOKED_BY_AGENT|NOT_BOOKABLE_ONLINE/);
    });
  });

  describe('collective appointments', () => {
    async function workshop(): Promise<{ id: number; participants: number }> {
      const typeId = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
      const [session] = await searchCollectiveSlots(database.db, {
        appointmentTypeId: typeId,
        audience: 'public',
        from: NOW,
        to: new Date(NOW.getTime() + 14 * DAY_MS),
        now: NOW,
      });
      if (session === undefined) throw new Error('atelier attendu');
      const participants = await database.db
        .selectFrom('participations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('appointment_id', '=', session.appointmentId)
        .where('status', 'not in', ['excused', 'revoked'])
        .executeTakeFirstOrThrow();
      return { id: session.appointmentId, participants: participants.count };
    }

    it('takes a seat, replays a retried key, refuses a second seat for the same usager', async () => {
      const session = await workshop();
      const key = newKey();
      const joined = await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: camilleId, idempotencyKey: key, now: NOW });
      expect(joined.ok).toBe(true);
      if (!joined.ok) return;
      expect(joined.appointment.isCollective).toBe(true);
      expect((await workshop()).participants).toBe(session.participants + 1);
      const replay = await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: camilleId, idempotencyKey: key, now: NOW });
      expect(replay.ok && replay.replayed && replay.appointment.participationId).toBe(joined.appointment.participationId);
      expect(await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: camilleId, idempotencyKey: newKey(), now: NOW })).toEqual({
        ok: false,
        reason: 'ALREADY_PARTICIPATING',
      });
      const events = await database.db.selectFrom('outbox_events').select('payload').where('aggregate_id', '=', session.id).where('topic', '=', 'appointment.created').execute();
      expect(events.map((event) => event.payload)).toContainEqual(expect.objectContaining({ participationIds: [joined.appointment.participationId] }));
    });

    it('refuses a seat once the session is full', async () => {
      const session = await workshop();
      await database.db.updateTable('appointments').set({ max_participants: session.participants + 1 }).where('id', '=', session.id).execute();
      const first = await createUser(database.db, 'Premier');
      const second = await createUser(database.db, 'Second');
      expect((await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: first, idempotencyKey: newKey(), now: NOW })).ok).toBe(true);
      expect(await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: second, idempotencyKey: newKey(), now: NOW })).toEqual({ ok: false, reason: 'FULL' });
      // leaving frees the seat for someone else
      const left = await leaveCollectiveAppointment(database.db, { appointmentId: session.id, userId: first, now: NOW });
      expect(left.ok && left.appointment.participationStatus).toBe('excused');
      expect((await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: second, idempotencyKey: newKey(), now: NOW })).ok).toBe(true);
      // and a usager who left may come back when a seat frees up
      await database.db.updateTable('appointments').set({ max_participants: null }).where('id', '=', session.id).execute();
      const back = await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: first, idempotencyKey: newKey(), now: NOW });
      expect(back.ok && back.appointment.participationStatus).toBe('unknown');
    });

    it('refuses to join an individual or cancelled appointment, and to leave an individual one', async () => {
      const individual = await bookFirstSlot(puericultureId, 22, karimId);
      expect(await joinCollectiveAppointment(database.db, { appointmentId: individual.id, userId: camilleId, idempotencyKey: newKey(), now: NOW })).toEqual({
        ok: false,
        reason: 'NOT_COLLECTIVE',
      });
      expect(await leaveCollectiveAppointment(database.db, { appointmentId: individual.id, userId: karimId, now: NOW })).toEqual({ ok: false, reason: 'NOT_COLLECTIVE' });
      expect(await joinCollectiveAppointment(database.db, { appointmentId: 999_999, userId: camilleId, idempotencyKey: newKey(), now: NOW })).toEqual({ ok: false, reason: 'NOT_FOUND' });
      const session = await workshop();
      await database.db.updateTable('appointments').set({ status: 'revoked', cancelled_at: NOW }).where('id', '=', session.id).execute();
      const user = await createUser(database.db, 'Tardif');
      expect(await joinCollectiveAppointment(database.db, { appointmentId: session.id, userId: user, idempotencyKey: newKey(), now: NOW })).toEqual({ ok: false, reason: 'CANCELLED' });
      await database.db.updateTable('appointments').set({ status: 'unknown', cancelled_at: null }).where('id', '=', session.id).execute();
    });
  });

  describe('setWaitlist', () => {
    it('opts in for an appointment at least a week away, and out again', async () => {
      const appointment = await bookFirstSlot(puericultureId, 23, karimId);
      const db = database.db;
      expect(await setWaitlist(database.db, { appointmentId: appointment.id, userId: karimId, enabled: true, now: NOW })).toEqual({ ok: true, enabled: true });
      expect(await setWaitlist(database.db, { appointmentId: appointment.id, userId: karimId, enabled: true, now: NOW })).toEqual({ ok: true, enabled: true });
      expect(await db.selectFrom('waitlist_entries').selectAll().where('appointment_id', '=', appointment.id).execute()).toHaveLength(1);
      expect(await setWaitlist(database.db, { appointmentId: appointment.id, userId: karimId, enabled: false, now: NOW })).toEqual({ ok: true, enabled: false });
      expect(await db.selectFrom('waitlist_entries').selectAll().where('appointment_id', '=', appointment.id).execute()).toHaveLength(0);
      const fiveDaysBefore = new Date(appointment.startsAt.getTime() - 5 * DAY_MS);
      expect(await setWaitlist(database.db, { appointmentId: appointment.id, userId: karimId, enabled: true, now: fiveDaysBefore })).toEqual({ ok: false, reason: 'TOO_SOON' });
      expect(await setWaitlist(database.db, { appointmentId: appointment.id, userId: camilleId, enabled: true, now: NOW })).toEqual({ ok: false, reason: 'NOT_FOUND' });
    });
  });

  describe('getAppointmentCalendarFile', () => {
    it('gives an ICS file without the motif, cancelled once the appointment is', async () => {
      const appointment = await bookFirstSlot(puericultureId, 26, karimId);
      const ics = await getAppointmentCalendarFile(database.db, { appointmentId: appointment.id, uidDomain: 'rdv.example.fr', now: NOW });
      expect(ics).toContain(`UID:${appointment.publicId}@rdv.example.fr\r\n`);
      expect(ics).toContain('METHOD:PUBLISH');
      expect(ics).toContain('SUMMARY:Rendez-vous – Maison départementale des solidarités de Melun');
      expect(ics).not.toMatch(/puériculture/i);
      expect(ics).toContain('LOCATION:MDS de Melun\\, 20 quai Hippolyte Rossignol\\, 77000 Melun');
      await cancelParticipation(database.db, { appointmentId: appointment.id, userId: karimId, now: NOW });
      const cancelled = await getAppointmentCalendarFile(database.db, { appointmentId: appointment.id, uidDomain: 'rdv.example.fr', now: NOW });
      expect(cancelled).toContain('METHOD:CANCEL');
      expect(cancelled).toContain('STATUS:CANCELLED');
      expect(await getAppointmentCalendarFile(database.db, { appointmentId: 999_999, uidDomain: 'rdv.example.fr', now: NOW })).toBeUndefined();
    });
  });
});

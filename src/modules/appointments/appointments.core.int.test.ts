import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  MINUTE_MS,
  NOW,
  addTwinAgent,
  agentOf,
  createUser,
  findTypeId,
  firstPublicSlot,
  firstStartWithSeveralAgents,
  newKey,
  startOf,
} from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { searchCollectiveSlots, searchSlots, type Slot } from '../availability/index.js';
import { bookAppointment, cancelParticipation, changeAppointmentStatus, getAppointmentCalendarFile, joinCollectiveAppointment, rescheduleAppointment } from './index.js';

describe('appointments core: agent choice, relatives, status machine, revisions', () => {
  let database: TestDatabase;
  let typeId: number;
  let firstAgentId: number;
  let twinAgentId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    typeId = await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture');
    firstAgentId = agentOf(await firstPublicSlot(database.db, typeId, 1));
    twinAgentId = await addTwinAgent(database.db, firstAgentId, typeId, 'Core');
  });
  afterAll(async () => {
    await database.destroy();
  });

  const book = (slot: Slot, userId: number, extra: { allowedAgentIds?: number[]; idempotencyKey?: string } = {}) =>
    bookAppointment(database.db, {
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      placeId: slot.placeId,
      userId,
      bookedBy: { type: 'user', userId },
      idempotencyKey: extra.idempotencyKey ?? newKey(),
      now: NOW,
      ...(extra.allowedAgentIds === undefined ? {} : { allowedAgentIds: extra.allowedAgentIds }),
    });

  /** Minutes of active individual appointments of the agent on the UTC day of `at` (the demo day is the same in Paris). */
  async function bookedMinutes(agentId: number, at: Date): Promise<number> {
    const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - 60 * MINUTE_MS);
    const result = await sql<{ minutes: number }>`
      SELECT coalesce(sum(extract(epoch FROM upper(during) - lower(during)) / 60), 0)::int AS minutes
        FROM appointment_agents
       WHERE agent_id = ${agentId} AND is_active AND NOT is_collective
         AND during && tstzrange(${dayStart.toISOString()}::timestamptz, ${new Date(dayStart.getTime() + DAY_MS).toISOString()}::timestamptz)`.execute(database.db);
    return result.rows[0]?.minutes ?? 0;
  }

  it('gives a slot without a chosen agent to the free agent with the fewest booked minutes that day', async () => {
    const same = await firstStartWithSeveralAgents(database.db, typeId, 3);
    const slot = same[0]!;
    expect(same.map(agentOf).sort()).toEqual([firstAgentId, twinAgentId].sort());
    const at = startOf(slot);
    // Make the loads differ: the first agent gets one more appointment that day, at another start.
    const other = (await searchSlots(database.db, { appointmentTypeId: typeId, audience: 'public', everyAgent: true, from: new Date(at.getTime() - 10 * 60 * MINUTE_MS), to: new Date(at.getTime() + 10 * 60 * MINUTE_MS), now: NOW })).find(
      (candidate) => agentOf(candidate) === firstAgentId && candidate.startsAtEpochMinutes !== slot.startsAtEpochMinutes && startOf(candidate).getUTCDate() === at.getUTCDate(),
    );
    if (other === undefined) throw new Error('pas d’autre créneau ce jour-là');
    const prescripteur = { type: 'prescripteur' as const, identity: { firstName: 'A', lastName: 'B', email: 'a@b.fr', phone: '0612345678' } };
    while ((await bookedMinutes(firstAgentId, at)) <= (await bookedMinutes(twinAgentId, at))) {
      const extra = await bookAppointment(database.db, { appointmentTypeId: typeId, startsAt: startOf(other), placeId: other.placeId, agentId: firstAgentId, userId: await createUser(database.db, 'Charge'), bookedBy: prescripteur, idempotencyKey: newKey(), now: NOW });
      if (!extra.ok) throw new Error(extra.reason);
    }
    const first = await book(slot, await createUser(database.db, 'Choix1'));
    expect(first.ok && first.appointment.agentIds).toEqual([twinAgentId]);
    // The same start again: only the other agent is free now.
    const second = await book(slot, await createUser(database.db, 'Choix2'));
    expect(second.ok && second.appointment.agentIds).toEqual([firstAgentId]);
    expect(await book(slot, await createUser(database.db, 'Choix3'))).toEqual({ ok: false, reason: 'SLOT_TAKEN' });
  });

  it('keeps to the agents the funnel allowed (sector agents), even when another is less booked', async () => {
    const [slot] = await firstStartWithSeveralAgents(database.db, typeId, 5);
    if (slot === undefined) throw new Error('pas de créneau');
    const result = await book(slot, await createUser(database.db, 'Secteur'), { allowedAgentIds: [firstAgentId] });
    expect(result.ok && result.appointment.agentIds).toEqual([firstAgentId]);
    const onlyFirst = await book(slot, await createUser(database.db, 'Secteur2'), { allowedAgentIds: [firstAgentId] });
    expect(onlyFirst).toEqual({ ok: false, reason: 'SLOT_TAKEN' });
  });

  it('creates a new relative inside the booking, once: the same request again replays the booking', async () => {
    const parentId = await createUser(database.db, 'Parent');
    const slot = await firstPublicSlot(database.db, typeId, 8);
    const request = {
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      placeId: slot.placeId,
      userId: parentId,
      newRelative: { firstName: 'Lina', lastName: 'Parent', birthDate: '2024-03-01' },
      bookedBy: { type: 'user' as const, userId: parentId },
      idempotencyKey: newKey(),
      now: NOW,
    };
    const first = await bookAppointment(database.db, request);
    const again = await bookAppointment(database.db, request);
    expect(first.ok && !first.replayed).toBe(true);
    expect(again.ok && again.replayed).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.appointment.id).toBe(first.appointment.id);
    const relatives = await database.db.selectFrom('users').select(['id', 'first_name']).where('responsible_id', '=', parentId).execute();
    expect(relatives).toEqual([{ id: first.appointment.userId, first_name: 'Lina' }]);
    // A new booking with the same relative's details reuses them.
    const later = await firstPublicSlot(database.db, typeId, 10);
    const reuse = await bookAppointment(database.db, { ...request, startsAt: startOf(later), placeId: later.placeId, idempotencyKey: newKey(), newRelative: { firstName: 'lina', lastName: 'PARENT', birthDate: '2024-03-01' } });
    expect(reuse.ok && reuse.appointment.userId).toBe(first.appointment.userId);
  });

  it('refuses a new relative for someone else than the booking usager', async () => {
    const parentId = await createUser(database.db, 'Autre');
    const slot = await firstPublicSlot(database.db, typeId, 9);
    const result = await bookAppointment(database.db, {
      appointmentTypeId: typeId, startsAt: startOf(slot), placeId: slot.placeId, userId: parentId,
      newRelative: { firstName: 'X', lastName: 'Y', birthDate: null },
      bookedBy: { type: 'prescripteur', identity: { firstName: 'A', lastName: 'B', email: 'a@b.fr', phone: '0612345678' } },
      idempotencyKey: newKey(), now: NOW,
    });
    expect(result).toEqual({ ok: false, reason: 'NOT_ALLOWED' });
    expect(await database.db.selectFrom('users').select('id').where('responsible_id', '=', parentId).execute()).toEqual([]);
  });

  it('moves statuses through the machine: seen only once begun, revoked then back to unknown, each with outbox and audit rows', async () => {
    const slot = await firstPublicSlot(database.db, typeId, 12);
    const booked = await book(slot, await createUser(database.db, 'Statut'));
    if (!booked.ok) throw new Error(booked.reason);
    const id = booked.appointment.id;
    const agent = { type: 'agent' as const, agentId: firstAgentId };
    expect(await changeAppointmentStatus(database.db, { appointmentId: id, status: 'seen', actor: agent, now: NOW })).toEqual({ ok: false, reason: 'NOT_STARTED_YET' });
    expect(await changeAppointmentStatus(database.db, { appointmentId: id, status: 'revoked', actor: agent, now: NOW })).toEqual({ ok: true, status: 'revoked' });
    const row = await database.db.selectFrom('appointments').select(['status', 'cancelled_at', 'revision']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'revoked', cancelled_at: NOW, revision: 1 });
    const participation = await database.db.selectFrom('participations').select('status').where('appointment_id', '=', id).executeTakeFirstOrThrow();
    expect(participation.status).toBe('revoked');
    expect(await changeAppointmentStatus(database.db, { appointmentId: id, status: 'excused', actor: agent, now: NOW })).toEqual({ ok: false, reason: 'TRANSITION_NOT_ALLOWED' });
    expect(await changeAppointmentStatus(database.db, { appointmentId: id, status: 'unknown', actor: agent, now: NOW })).toEqual({ ok: true, status: 'unknown' });
    const afterStart = new Date(startOf(slot).getTime() + 5 * MINUTE_MS);
    expect(await changeAppointmentStatus(database.db, { appointmentId: id, status: 'seen', actor: agent, now: afterStart })).toEqual({ ok: true, status: 'seen' });
    const topics = await database.db.selectFrom('outbox_events').select('topic').where('aggregate_id', '=', id).orderBy('id').execute();
    expect(topics.map((topic) => topic.topic)).toEqual(['appointment.created', 'appointment.cancelled', 'appointment.updated', 'appointment.updated']);
    const audit = await database.db.selectFrom('audit_log').select(['actor_type', 'actor_id']).where('subject_type', '=', 'appointment').where('subject_id', '=', id).orderBy('id').execute();
    expect(audit.slice(1)).toEqual(Array.from({ length: 3 }, () => ({ actor_type: 'agent', actor_id: firstAgentId })));
    expect(await changeAppointmentStatus(database.db, { appointmentId: 999_999_999, status: 'seen', actor: agent, now: NOW })).toEqual({ ok: false, reason: 'NOT_FOUND' });
  });

  it('refuses to bring a cancelled appointment back when its slot was taken meanwhile', async () => {
    const slot = await firstPublicSlot(database.db, typeId, 13);
    const first = await bookAppointment(database.db, { appointmentTypeId: typeId, startsAt: startOf(slot), placeId: slot.placeId, agentId: agentOf(slot), userId: await createUser(database.db, 'Retour1'), bookedBy: { type: 'prescripteur', identity: { firstName: 'A', lastName: 'B', email: 'a@b.fr', phone: '0612345678' } }, idempotencyKey: newKey(), now: NOW });
    if (!first.ok) throw new Error(first.reason);
    const agent = { type: 'agent' as const, agentId: agentOf(slot) };
    await changeAppointmentStatus(database.db, { appointmentId: first.appointment.id, status: 'revoked', actor: agent, now: NOW });
    const retaken = await bookAppointment(database.db, { appointmentTypeId: typeId, startsAt: startOf(slot), placeId: slot.placeId, agentId: agentOf(slot), userId: await createUser(database.db, 'Retour2'), bookedBy: { type: 'prescripteur', identity: { firstName: 'A', lastName: 'B', email: 'a@b.fr', phone: '0612345678' } }, idempotencyKey: newKey(), now: NOW });
    expect(retaken.ok).toBe(true);
    expect(await changeAppointmentStatus(database.db, { appointmentId: first.appointment.id, status: 'unknown', actor: agent, now: NOW })).toEqual({ ok: false, reason: 'SLOT_TAKEN' });
    const row = await database.db.selectFrom('appointments').select('status').where('id', '=', first.appointment.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('revoked');
  });

  it('counts revisions in the ICS SEQUENCE and names the place in LOCATION', async () => {
    const userId = await createUser(database.db, 'Calendrier');
    const slot = await firstPublicSlot(database.db, typeId, 15);
    const booked = await book(slot, userId);
    if (!booked.ok) throw new Error(booked.reason);
    const ics = async () => (await getAppointmentCalendarFile(database.db, { appointmentId: booked.appointment.id, uidDomain: 'rdv.example.fr', now: NOW })) ?? '';
    expect(await ics()).toContain('SEQUENCE:0\r\n');
    expect(await ics()).toContain('LOCATION:MDS de Melun\\, 20 quai Hippolyte Rossignol\\, 77000 Melun');
    const target = (await searchSlots(database.db, { appointmentTypeId: typeId, audience: 'public', from: new Date(startOf(slot).getTime() + DAY_MS), to: new Date(startOf(slot).getTime() + 8 * DAY_MS), now: NOW }))[0];
    if (target === undefined) throw new Error('pas de créneau');
    const moved = await rescheduleAppointment(database.db, { appointmentId: booked.appointment.id, userId, newStartsAt: startOf(target), idempotencyKey: newKey(), now: NOW });
    expect(moved.ok).toBe(true);
    expect(await ics()).toContain('SEQUENCE:1\r\n');
    await cancelParticipation(database.db, { appointmentId: booked.appointment.id, userId, now: NOW });
    expect(await ics()).toContain('SEQUENCE:2\r\n');
  });

  it('lets an invited usager take a seat in an invitation-only collective session, and no one else', async () => {
    const workshopId = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
    await database.db.updateTable('appointment_types').set({ bookable_by: 'agents_and_prescripteurs_and_invited_users' }).where('id', '=', workshopId).execute();
    try {
      const [session] = await searchCollectiveSlots(database.db, { appointmentTypeId: workshopId, audience: 'public', from: NOW, to: new Date(NOW.getTime() + 14 * DAY_MS), now: NOW });
      if (session === undefined) throw new Error('séance attendue');
      const outsider = await createUser(database.db, 'NonInvite');
      expect(await joinCollectiveAppointment(database.db, { appointmentId: session.appointmentId, userId: outsider, bookedBy: { type: 'user', userId: outsider }, idempotencyKey: newKey(), now: NOW })).toEqual({
        ok: false,
        reason: 'NOT_BOOKABLE_ONLINE',
      });
      const invited = await createUser(database.db, 'Invite');
      const joined = await joinCollectiveAppointment(database.db, { appointmentId: session.appointmentId, userId: invited, bookedBy: { type: 'user', userId: invited, invited: true }, idempotencyKey: newKey(), now: NOW });
      expect(joined.ok).toBe(true);
    } finally {
      await database.db.updateTable('appointment_types').set({ bookable_by: 'everyone' }).where('id', '=', workshopId).execute();
    }
  });
});

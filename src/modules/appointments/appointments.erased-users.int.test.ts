// The core refuses a usager erased by a merge (ADR 0021) as a participant, on every path that can
// add one: the public booking and join, the agent's creation and change, the collective commands.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, agentOf, createUser, findTypeId, firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import type { Slot } from '../availability/index.js';
import {
  APPOINTMENT_REFUSALS,
  addCollectiveParticipant,
  bookAppointment,
  createAppointmentByAgent,
  joinCollectiveAppointment,
  updateAppointmentByAgent,
  type CreateAppointmentByAgentRequest,
} from './index.js';

describe('the appointments core refuses usagers erased by a merge (ADR 0021)', () => {
  let database: TestDatabase;
  let melunId: number;
  let typeId: number;
  let actingAgentId: number;
  let slot: Slot;
  let erasedId: number;
  let activeId: number;
  let workshopId: number;

  async function count(table: 'appointments' | 'participations' | 'outbox_events' | 'audit_log' | 'users' | 'booking_idempotency_keys'): Promise<number> {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  async function counts(): Promise<number[]> {
    return [await count('appointments'), await count('participations'), await count('outbox_events'), await count('audit_log'), await count('users'), await count('booking_idempotency_keys')];
  }

  /** Erases the usager as user-merge does: in place, personal fields cleared, profiles gone. */
  async function eraseInPlace(userId: number): Promise<void> {
    await database.db.updateTable('users').set({ deleted_at: NOW, first_name: 'Usager', last_name: 'fusionné', email: null, phone_number: null, phone_number_e164: null }).where('id', '=', userId).execute();
    await database.db.deleteFrom('user_profiles').where('user_id', '=', userId).execute();
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    melunId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    actingAgentId = (await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow()).id;
    slot = await firstPublicSlot(database.db, typeId, 3);
    erasedId = await createUser(database.db, 'Fusionnée');
    activeId = await createUser(database.db, 'Active');
    await eraseInPlace(erasedId);
    workshopId = (
      await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', melunId).where('is_collective', '=', true).where(sql<boolean>`lower(during) > ${NOW}`).orderBy('id').executeTakeFirstOrThrow()
    ).id;
  }, 120_000);
  afterAll(async () => {
    await database.destroy();
  });

  function agentRequest(overrides: Partial<CreateAppointmentByAgentRequest>): CreateAppointmentByAgentRequest {
    return {
      organisationId: melunId,
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      durationMinutes: null,
      placeId: slot.placeId,
      oneOffAddress: null,
      agentIds: [agentOf(slot)],
      userIds: [],
      newParticipants: [],
      context: null,
      acknowledgedWarnings: [],
      overlapReason: null,
      actingAgentId,
      idempotencyKey: newKey(),
      now: NOW,
      ...overrides,
    };
  }

  it('has a French refusal of its own, told apart from an unknown usager', () => {
    expect(APPOINTMENT_REFUSALS.ERASED_USER.statusCode).toBe(409);
    expect(APPOINTMENT_REFUSALS.ERASED_USER.message).toContain('fusionnée avec une autre');
    expect(APPOINTMENT_REFUSALS.ERASED_USER.message).not.toBe(APPOINTMENT_REFUSALS.UNKNOWN_USER.message);
  });

  it('an agent’s creation with an erased participant is refused and writes nothing; an unknown id stays UNKNOWN_USER', async () => {
    const before = await counts();
    expect(await createAppointmentByAgent(database.db, agentRequest({ userIds: [activeId, erasedId] }))).toEqual({ ok: false, reason: 'ERASED_USER' });
    expect(await createAppointmentByAgent(database.db, agentRequest({ userIds: [activeId, 999_999_999] }))).toEqual({ ok: false, reason: 'UNKNOWN_USER' });
    // A new relative cannot be attached to an erased responsible either.
    const relative = { firstName: 'Petit', lastName: 'Fusionné', birthDate: '2020-01-01', email: null, phoneNumber: null, phoneNumberE164: null, responsibleUserId: erasedId };
    expect(await createAppointmentByAgent(database.db, agentRequest({ newParticipants: [relative] }))).toEqual({ ok: false, reason: 'ERASED_USER' });
    expect(await counts()).toEqual(before);
  });

  it('an agent’s change that adds an erased participant is refused and leaves the appointment as it was', async () => {
    const created = await createAppointmentByAgent(database.db, agentRequest({ userIds: [activeId] }));
    if (!created.ok) throw new Error(created.reason);
    const before = await counts();
    const refused = await updateAppointmentByAgent(database.db, { ...agentRequest({ userIds: [activeId, erasedId] }), appointmentId: created.appointmentId });
    expect(refused).toEqual({ ok: false, reason: 'ERASED_USER' });
    expect(await counts()).toEqual(before);
    const participants = await database.db.selectFrom('participations').select('user_id').where('appointment_id', '=', created.appointmentId).execute();
    expect(participants.map((row) => row.user_id)).toEqual([activeId]);
  });

  it('adding an erased usager to a collective session is refused, the seats untouched', async () => {
    const before = await counts();
    const result = await addCollectiveParticipant(database.db, { organisationId: melunId, appointmentId: workshopId, userId: erasedId, actingAgentId, now: NOW });
    expect(result).toEqual({ ok: false, reason: 'ERASED_USER' });
    expect(await counts()).toEqual(before);
  });

  it('the public booking and join refuse an erased beneficiary (a session left open before the merge)', async () => {
    const before = await counts();
    const booked = await bookAppointment(database.db, {
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      placeId: slot.placeId,
      agentId: agentOf(slot),
      userId: erasedId,
      bookedBy: { type: 'user', userId: erasedId },
      idempotencyKey: newKey(),
      now: NOW,
    });
    expect(booked).toEqual({ ok: false, reason: 'ERASED_USER' });
    const joined = await joinCollectiveAppointment(database.db, { appointmentId: workshopId, userId: erasedId, idempotencyKey: newKey(), now: NOW });
    expect(joined).toEqual({ ok: false, reason: 'ERASED_USER' });
    expect(await counts()).toEqual(before);
  });

  it('a relative erased by a merge cannot be booked for by their responsible', async () => {
    const responsibleId = await createUser(database.db, 'Responsable');
    const relativeId = await createUser(database.db, 'Enfant', responsibleId);
    await eraseInPlace(relativeId);
    const booked = await bookAppointment(database.db, {
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      placeId: slot.placeId,
      agentId: agentOf(slot),
      userId: relativeId,
      bookedBy: { type: 'user', userId: responsibleId },
      idempotencyKey: newKey(),
      now: NOW,
    });
    expect(booked).toEqual({ ok: false, reason: 'ERASED_USER' });
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS, NOW, agentOf, createUser, findTypeId, firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { searchSlots, type Slot } from '../availability/index.js';
import { changeAppointmentStatus, createAppointmentByAgent, updateAppointmentByAgent, type CreateAppointmentByAgentRequest } from './index.js';

describe('agent-side appointments: warnings, explicit overrides, updates (ADR 0016)', () => {
  let database: TestDatabase;
  let melunId: number;
  let meauxId: number;
  let typeId: number;
  let meauxTypeId: number;
  let actingAgentId: number;
  let meauxAgentId: number;
  let slot: Slot;

  async function organisationId(slug: string): Promise<number> {
    return (await database.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  }
  async function agentId(email: string): Promise<number> {
    return (await database.db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  }
  async function count(table: 'appointments' | 'outbox_events' | 'audit_log' | 'users' | 'booking_idempotency_keys'): Promise<number> {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    melunId = await organisationId('mds-melun');
    meauxId = await organisationId('mds-meaux');
    typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    meauxTypeId = await findTypeId(database.db, 'mds-meaux', 'Premier rendez-vous avec une assistante sociale');
    actingAgentId = await agentId(DEMO_AGENT_EMAILS.melunAdmin);
    meauxAgentId = await agentId(DEMO_AGENT_EMAILS.meauxBasic);
    slot = await firstPublicSlot(database.db, typeId, 3);
  });
  afterAll(async () => {
    await database.destroy();
  });

  function request(overrides: Partial<CreateAppointmentByAgentRequest> & { userIds: readonly number[] }): CreateAppointmentByAgentRequest {
    return {
      organisationId: melunId,
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      durationMinutes: null,
      placeId: slot.placeId,
      oneOffAddress: null,
      agentIds: [agentOf(slot)],
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

  /** Creates, confirming whatever warnings the first answer lists (for tests about something else). */
  async function createConfirming(input: CreateAppointmentByAgentRequest): Promise<{ appointmentId: number }> {
    const first = await createAppointmentByAgent(database.db, input);
    if (first.ok) return first;
    if (first.reason !== 'WARNINGS') throw new Error(first.reason);
    const second = await createAppointmentByAgent(database.db, {
      ...input,
      idempotencyKey: newKey(),
      acknowledgedWarnings: first.warnings.map((warning) => warning.key),
      overlapReason: 'Test',
    });
    if (!second.ok) throw new Error(second.reason);
    return second;
  }

  /** A free public slot of the slot's agent on a later day. */
  async function laterFreeSlot(): Promise<Date> {
    const from = new Date(startOf(slot).getTime() + DAY_MS);
    const slots = await searchSlots(database.db, { appointmentTypeId: typeId, audience: 'public', everyAgent: true, from, to: new Date(from.getTime() + 7 * DAY_MS), now: NOW, filters: { agentIds: [agentOf(slot)] } });
    const later = slots[0];
    if (later === undefined) throw new Error('pas d’autre créneau');
    return startOf(later);
  }

  it('creates an appointment without warnings inside an opening period, with its outbox event and its agent-attributed audit entry', async () => {
    const userId = await createUser(database.db, 'AgentSansAvertissement');
    const result = await createAppointmentByAgent(database.db, request({ userIds: [userId], context: 'Premier contact' }));
    expect(result).toMatchObject({ ok: true, replayed: false, overriddenWarnings: [] });
    if (!result.ok) return;
    const appointment = await database.db.selectFrom('appointments').selectAll().where('id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(appointment).toMatchObject({ created_by_type: 'agent', created_by_agent_id: actingAgentId, context: 'Premier contact', organisation_id: melunId });
    const link = await database.db.selectFrom('appointment_agents').selectAll().where('appointment_id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ agent_id: agentOf(slot), overlap_allowed: false, overlap_allowed_by_agent_id: null });
    const participation = await database.db.selectFrom('participations').selectAll().where('appointment_id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(participation).toMatchObject({ user_id: userId, created_by_type: 'agent', created_by_agent_id: actingAgentId });
    const profile = await database.db.selectFrom('user_profiles').select('user_id').where('user_id', '=', userId).where('organisation_id', '=', melunId).executeTakeFirst();
    expect(profile).toBeDefined();
    const event = await database.db.selectFrom('outbox_events').select(['topic', 'payload']).where('aggregate_id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(event.topic).toBe('appointment.created');
    expect(event.payload).toMatchObject({ by: 'agent', participationIds: [participation.id] });
    const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'appointment').where('subject_id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'agent', actor_id: actingAgentId, action: 'create' });
    expect(audit.details).toMatchObject({ channel: 'agent', overriddenWarnings: '' });
  });

  it('answers WARNINGS for an overlap with another appointment of the agent and writes nothing', async () => {
    const userId = await createUser(database.db, 'AgentChevauchement');
    const before = await Promise.all([count('appointments'), count('outbox_events'), count('audit_log'), count('booking_idempotency_keys')]);
    const result = await createAppointmentByAgent(database.db, request({ userIds: [userId] }));
    expect(result).toEqual({ ok: false, reason: 'WARNINGS', warnings: [{ kind: 'overlap', key: `overlap:${String(agentOf(slot))}`, agentId: agentOf(slot), userId: null }] });
    expect(await Promise.all([count('appointments'), count('outbox_events'), count('audit_log'), count('booking_idempotency_keys')])).toEqual(before);
  });

  it('writes an acknowledged overlap with overlap_allowed attributed to the agent and its reason, and audits the override', async () => {
    const userId = await createUser(database.db, 'AgentDepassement');
    const acknowledged = [`overlap:${String(agentOf(slot))}`];
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], acknowledgedWarnings: acknowledged }))).toEqual({ ok: false, reason: 'OVERLAP_REASON_REQUIRED' });
    // acknowledging more than the warnings is not acknowledging them
    const extra = await createAppointmentByAgent(database.db, request({ userIds: [userId], acknowledgedWarnings: [...acknowledged, 'in_past'], overlapReason: 'Urgence' }));
    expect(!extra.ok && extra.reason).toBe('WARNINGS');
    const result = await createAppointmentByAgent(database.db, request({ userIds: [userId], acknowledgedWarnings: acknowledged, overlapReason: '  Urgence signalée  ' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.overriddenWarnings.map((warning) => warning.key)).toEqual(acknowledged);
    const link = await database.db.selectFrom('appointment_agents').selectAll().where('appointment_id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ overlap_allowed: true, overlap_allowed_by_agent_id: actingAgentId, overlap_reason: 'Urgence signalée', is_active: true });
    const audit = await database.db.selectFrom('audit_log').select('details').where('subject_type', '=', 'appointment').where('subject_id', '=', result.appointmentId).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ overriddenWarnings: acknowledged[0] });
  });

  it('warns outside opening hours, in the past, during an absence and for the same motif the same day', async () => {
    const userId = await createUser(database.db, 'AgentAvertissements');
    const agent = agentOf(slot);
    // 03:00 in Paris the day of the slot: outside every opening
    const night = new Date(Date.UTC(startOf(slot).getUTCFullYear(), startOf(slot).getUTCMonth(), startOf(slot).getUTCDate(), 2, 0));
    const outside = await createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt: night }));
    expect(!outside.ok && outside.reason === 'WARNINGS' && outside.warnings.map((warning) => warning.key)).toEqual([`outside_opening:${String(agent)}`]);
    const past = await createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt: new Date(NOW.getTime() - DAY_MS) }));
    expect(!past.ok && past.reason === 'WARNINGS' && past.warnings.map((warning) => warning.key)).toContain('in_past');

    // an absence of the agent over the second slot of that day
    const later = await laterFreeSlot();
    const day = later.toISOString().slice(0, 10);
    await database.db
      .insertInto('absences')
      .values({ agent_id: agent, organisation_id: melunId, title: 'Formation', first_day: day, start_time: '00:00', end_day: day, end_time: '23:59', last_day: day, time_zone: 'Europe/Paris' })
      .execute();
    const absent = await createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt: later }));
    expect(!absent.ok && absent.reason === 'WARNINGS' && absent.warnings.map((warning) => warning.key)).toContain(`absence:${String(agent)}`);
    await database.db.deleteFrom('absences').where('agent_id', '=', agent).where('first_day', '=', day).execute();

    // the same usager, the same motif, later that day
    const first = await createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt: later }));
    expect(first.ok).toBe(true);
    const second = await createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt: new Date(later.getTime() + 60 * MINUTE_MS) }));
    expect(!second.ok && second.reason === 'WARNINGS' && second.warnings.map((warning) => warning.key)).toContain(`same_motif_same_day:${String(userId)}`);
  });

  it('creates new usagers and a relative in the same transaction, at a one-off address, and refuses an e-mail already taken', async () => {
    const responsible = await createUser(database.db, 'AgentParent');
    const start = new Date(startOf(slot).getTime() + 7 * DAY_MS);
    const result = await createConfirming(
      request({
        userIds: [responsible],
        startsAt: start,
        placeId: null,
        oneOffAddress: '3 rue des Lilas, 77000 Melun',
        durationMinutes: 20,
        newParticipants: [
          { firstName: 'Inès', lastName: 'Nouvelle', birthDate: '1990-02-03', email: 'ines.nouvelle@example.fr', phoneNumber: '06 11 22 33 44', phoneNumberE164: '+33611223344', responsibleUserId: null },
          { firstName: 'Léo', lastName: 'AgentParent', birthDate: '2020-05-06', email: null, phoneNumber: null, phoneNumberE164: null, responsibleUserId: responsible },
        ],
      }),
    );
    const appointment = await database.db.selectFrom('appointments').select(['place_id', sql<string>`upper(during)::text`.as('ends')]).where('id', '=', result.appointmentId).executeTakeFirstOrThrow();
    const place = await database.db.selectFrom('places').selectAll().where('id', '=', appointment.place_id).executeTakeFirstOrThrow();
    expect(place).toMatchObject({ status: 'single_use', address: '3 rue des Lilas, 77000 Melun', organisation_id: melunId, time_zone: 'Europe/Paris' });
    const users = await database.db
      .selectFrom('participations as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.first_name', 'u.email', 'u.phone_number_e164', 'u.responsible_id', 'u.created_through'])
      .where('p.appointment_id', '=', result.appointmentId)
      .orderBy('p.id')
      .execute();
    expect(users).toEqual([
      { first_name: 'Test', email: null, phone_number_e164: null, responsible_id: null, created_through: 'seed' },
      { first_name: 'Inès', email: 'ines.nouvelle@example.fr', phone_number_e164: '+33611223344', responsible_id: null, created_through: 'agent' },
      { first_name: 'Léo', email: null, phone_number_e164: null, responsible_id: responsible, created_through: 'agent' },
    ]);
    const taken = await createAppointmentByAgent(
      database.db,
      request({
        userIds: [],
        startsAt: new Date(start.getTime() + 2 * DAY_MS),
        newParticipants: [{ firstName: 'Autre', lastName: 'Personne', birthDate: null, email: 'INES.nouvelle@example.fr', phoneNumber: null, phoneNumberE164: null, responsibleUserId: null }],
      }),
    );
    expect(taken).toEqual({ ok: false, reason: 'EMAIL_TAKEN' });
  });

  it('replays the same request with the same key, and refuses the key with another request', async () => {
    const userId = await createUser(database.db, 'AgentRejeu');
    const key = newKey();
    // 03:00 in Paris two weeks later: outside opening hours, so the request needs a confirmation
    const start = new Date(Date.UTC(startOf(slot).getUTCFullYear(), startOf(slot).getUTCMonth(), startOf(slot).getUTCDate() + 14, 2, 0));
    const probe = await createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt: start }));
    const acknowledgedWarnings = !probe.ok && probe.reason === 'WARNINGS' ? probe.warnings.map((warning) => warning.key) : [];
    const ask = (startsAt: Date) => createAppointmentByAgent(database.db, request({ userIds: [userId], startsAt, idempotencyKey: key, acknowledgedWarnings, overlapReason: 'Test' }));
    if (probe.ok) throw new Error('la sonde a créé le rendez-vous');
    const first = await ask(start);
    const again = await ask(start);
    expect(first.ok && again.ok && again.replayed && again.appointmentId === first.appointmentId).toBe(true);
    expect(await ask(new Date(start.getTime() + 60 * MINUTE_MS))).toEqual({ ok: false, reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses another organisation’s motif, agent or place, and unknown usagers', async () => {
    const userId = await createUser(database.db, 'AgentEtranger');
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], appointmentTypeId: meauxTypeId }))).toEqual({ ok: false, reason: 'UNKNOWN_APPOINTMENT_TYPE' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], agentIds: [meauxAgentId] }))).toEqual({ ok: false, reason: 'UNKNOWN_AGENT' });
    const meauxPlace = await database.db.selectFrom('places').select('id').where('organisation_id', '=', meauxId).executeTakeFirstOrThrow();
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], placeId: meauxPlace.id }))).toEqual({ ok: false, reason: 'UNKNOWN_PLACE' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], placeId: null }))).toEqual({ ok: false, reason: 'PLACE_REQUIRED' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [999_999_999] }))).toEqual({ ok: false, reason: 'UNKNOWN_USER' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [] }))).toEqual({ ok: false, reason: 'NO_PARTICIPANT' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], agentIds: [] }))).toEqual({ ok: false, reason: 'NO_AGENT' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], durationMinutes: 0 }))).toEqual({ ok: false, reason: 'INVALID_DURATION' });
    expect(await createAppointmentByAgent(database.db, request({ userIds: [userId], idempotencyKey: 'court' }))).toEqual({ ok: false, reason: 'INVALID_IDEMPOTENCY_KEY' });
  });

  it('moves an appointment, changes its participants, raises its revision and writes the updated event with the previous values and an audit entry', async () => {
    const userId = await createUser(database.db, 'AgentDeplace');
    const otherUserId = await createUser(database.db, 'AgentAjoute');
    const start = new Date(startOf(slot).getTime() + 21 * DAY_MS);
    const created = await createConfirming(request({ userIds: [userId], startsAt: start }));
    const moved = new Date(start.getTime() + 90 * MINUTE_MS);
    const update = (overrides: { startsAt?: Date; userIds?: number[]; acknowledgedWarnings?: string[]; idempotencyKey?: string; organisationId?: number }) =>
      updateAppointmentByAgent(database.db, {
        appointmentId: created.appointmentId,
        organisationId: melunId,
        startsAt: moved,
        durationMinutes: 60,
        placeId: slot.placeId,
        oneOffAddress: null,
        agentIds: [agentOf(slot)],
        userIds: [otherUserId],
        newParticipants: [],
        context: null,
        acknowledgedWarnings: [],
        overlapReason: 'Test',
        actingAgentId,
        idempotencyKey: newKey(),
        now: NOW,
        ...overrides,
      });
    expect(await update({ organisationId: meauxId })).toEqual({ ok: false, reason: 'NOT_FOUND' });
    const probe = await update({});
    const result = probe.ok || probe.reason !== 'WARNINGS' ? probe : await update({ acknowledgedWarnings: probe.warnings.map((warning) => warning.key) });
    expect(result.ok).toBe(true);
    const row = await database.db.selectFrom('appointments').select(['revision', sql<string>`lower(during)`.as('starts_at'), sql<string>`upper(during)`.as('ends_at')]).where('id', '=', created.appointmentId).executeTakeFirstOrThrow();
    expect(row.revision).toBe(1);
    expect(new Date(row.starts_at).getTime()).toBe(moved.getTime());
    expect(new Date(row.ends_at).getTime()).toBe(moved.getTime() + 60 * MINUTE_MS);
    const participants = await database.db.selectFrom('participations').select('user_id').where('appointment_id', '=', created.appointmentId).execute();
    expect(participants.map((participant) => participant.user_id)).toEqual([otherUserId]);
    const link = await database.db.selectFrom('appointment_agents').select(sql<string>`lower(during)`.as('starts_at')).where('appointment_id', '=', created.appointmentId).executeTakeFirstOrThrow();
    expect(new Date(link.starts_at).getTime()).toBe(moved.getTime());
    const event = await database.db.selectFrom('outbox_events').select(['topic', 'payload']).where('aggregate_id', '=', created.appointmentId).where('topic', '=', 'appointment.updated').executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ by: 'agent', previousStartsAt: start.toISOString(), previousAgentIds: [agentOf(slot)], removedUserIds: [userId], previousPlaceId: slot.placeId });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id', 'details'])
      .where('subject_type', '=', 'appointment')
      .where('subject_id', '=', created.appointmentId)
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'agent', actor_id: actingAgentId, details: { change: 'agent_update', startsAt: moved.toISOString(), removedUserIds: String(userId), addedUserIds: String(otherUserId) } });
    // the same values again change nothing
    expect(await update({})).toEqual({ ok: false, reason: 'UNCHANGED' });
  });

  it('moves through the status machine for an agent: revoked, back to unknown, then seen once begun', async () => {
    const userId = await createUser(database.db, 'AgentStatut');
    const start = new Date(startOf(slot).getTime() + 28 * DAY_MS);
    const created = await createConfirming(request({ userIds: [userId], startsAt: start }));
    const actor = { type: 'agent' as const, agentId: actingAgentId };
    expect(await changeAppointmentStatus(database.db, { appointmentId: created.appointmentId, status: 'seen', actor, now: NOW })).toEqual({ ok: false, reason: 'NOT_STARTED_YET' });
    expect(await changeAppointmentStatus(database.db, { appointmentId: created.appointmentId, status: 'revoked', actor, now: NOW })).toEqual({ ok: true, status: 'revoked' });
    expect(await changeAppointmentStatus(database.db, { appointmentId: created.appointmentId, status: 'unknown', actor, now: NOW })).toEqual({ ok: true, status: 'unknown' });
    expect(await changeAppointmentStatus(database.db, { appointmentId: created.appointmentId, status: 'seen', actor, now: new Date(start.getTime() + MINUTE_MS) })).toEqual({ ok: true, status: 'seen' });
  });
});

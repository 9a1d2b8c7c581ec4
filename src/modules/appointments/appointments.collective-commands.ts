// Commands of collective appointments ("RDV collectifs", ateliers) run by agents (ADR 0022):
// create a session, change its title, capacity, time, place or agents, add and remove
// participants, and set each participant's status. Same order as every command of the core: one
// transaction, the checks, the change, its outbox event and its audit entry.
//
// Seats: every command that can take one locks the appointment row (`FOR UPDATE`) before it
// counts the active participations, so two agents (or an agent and a usager joining online)
// adding the last seat at once end with exactly one participant more.
//
// Notifications follow RDV-Service-Public (research §3.8, §4.1): a participant added is told of
// the appointment, and only them; a participant removed or cancelled is told of the cancellation,
// and only them; a change of time or place is told to every active participant. The events are
// the core's own (`appointment.updated` with `addedParticipationIds` / `removedUserIds`,
// `appointment.cancelled` for one participation): the notifications planner already maps them to
// exactly those recipients.
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import { BookingInvariantError, refuse, type Refusal } from './appointments.errors.js';
import {
  claimIdempotencyKey,
  countActiveParticipations,
  deleteAppointmentAgents,
  ensureUserProfile,
  findActiveUser,
  lockParticipantUser,
  participantUserRefusal,
  findAppointment,
  findAppointmentTypeForBooking,
  findIdempotencyKey,
  findParticipation,
  findParticipationIds,
  insertOutboxEvent,
  insertParticipation,
  setParticipationStatus,
  type AppointmentEventPayload,
  type AppointmentRow,
  type AppointmentTopic,
  type AppointmentsDb,
  type IdempotencyRecord,
  type ParticipationRow,
} from './appointments.repository.js';
import { MAX_AGENT_DURATION_MINUTES } from './appointments.agent-commands.js';
import { completeAgentIdempotencyKey, findAgentsInOrganisation, findUsablePlace, linkAgent } from './appointments.agent.repository.js';
import { deleteParticipation, findCollectiveSettings, insertCollectiveAppointment, updateCollectiveSettings, type CollectiveSettings } from './appointments.collective.repository.js';
import { runInTransaction } from './appointments.use-cases.js';
import {
  fingerprintRequest,
  isCancelledStatus,
  isWellFormedIdempotencyKey,
  notificationFlagsFor,
  statusChangeRefusal,
  type AppointmentStatus,
  type StatusChangeRefusal,
} from './domain/index.js';

const MINUTE_MS = 60_000;
/** Largest capacity an agent may set: beyond it, « sans limite ». */
export const MAX_COLLECTIVE_CAPACITY = 500;
export const MAX_COLLECTIVE_TITLE_LENGTH = 100;
// eslint-disable-next-line no-control-regex -- a title ends up in e-mails and SMS: no control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What a session is: title, capacity, when, how long, where, with which agents. */
export interface CollectiveAppointmentDraft {
  /** Shown to usagers and agents; null: the motif's name. */
  readonly title: string | null;
  /** Null: no limit. */
  readonly maxParticipants: number | null;
  readonly startsAt: Date;
  readonly durationMinutes: number;
  /** A place of the organisation (collective motifs are office motifs). */
  readonly placeId: number;
  readonly agentIds: readonly number[];
}

interface CollectiveCommandMeta {
  readonly organisationId: number;
  /** The signed-in agent: the audit entry's actor. */
  readonly actingAgentId: number;
  readonly now: Date;
}

export interface CreateCollectiveAppointmentRequest extends CollectiveAppointmentDraft, CollectiveCommandMeta {
  readonly appointmentTypeId: number;
  /** Generated with the form: a double submission creates one session. */
  readonly idempotencyKey: string;
}

export interface UpdateCollectiveAppointmentRequest extends CollectiveAppointmentDraft, CollectiveCommandMeta {
  readonly appointmentId: number;
}

export type CollectiveRefusalReason =
  | 'INVALID_IDEMPOTENCY_KEY'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'UNKNOWN_APPOINTMENT_TYPE'
  /** The motif is not a collective one. */
  | 'NOT_COLLECTIVE'
  | 'UNKNOWN_PLACE'
  | 'UNKNOWN_AGENT'
  | 'NO_AGENT'
  | 'INVALID_DURATION'
  | 'INVALID_CAPACITY'
  | 'INVALID_TITLE'
  /** Not an instant on a whole minute. */
  | 'INVALID_START'
  /** No such collective appointment in the organisation. */
  | 'NOT_FOUND'
  /** The session was cancelled. */
  | 'CANCELLED'
  | 'UNCHANGED'
  /** The capacity asked for is below the participants already registered. */
  | 'CAPACITY_BELOW_PARTICIPANTS';

export type CollectiveResult = { readonly ok: true; readonly appointmentId: number; readonly replayed: boolean } | Refusal<CollectiveRefusalReason>;

/** Why a draft cannot be a session, before any database read; null when it can. */
function draftRefusal(draft: CollectiveAppointmentDraft): CollectiveRefusalReason | null {
  if (!Number.isInteger(draft.durationMinutes) || draft.durationMinutes <= 0 || draft.durationMinutes > MAX_AGENT_DURATION_MINUTES) return 'INVALID_DURATION';
  if (draft.maxParticipants !== null && (!Number.isInteger(draft.maxParticipants) || draft.maxParticipants < 1 || draft.maxParticipants > MAX_COLLECTIVE_CAPACITY)) return 'INVALID_CAPACITY';
  if (draft.title !== null && (draft.title.trim() === '' || draft.title.length > MAX_COLLECTIVE_TITLE_LENGTH || CONTROL_CHARACTERS.test(draft.title))) return 'INVALID_TITLE';
  if (Number.isNaN(draft.startsAt.getTime()) || draft.startsAt.getTime() % MINUTE_MS !== 0) return 'INVALID_START';
  return null;
}

/** The place's zone and the deduplicated agents, or why they are refused. */
async function checkPlaceAndAgents(trx: AppointmentsDb, draft: CollectiveAppointmentDraft, organisationId: number): Promise<{ timeZone: string; agentIds: number[] } | CollectiveRefusalReason> {
  const place = await findUsablePlace(trx, draft.placeId, organisationId);
  if (place === undefined) return 'UNKNOWN_PLACE';
  const agentIds = [...new Set(draft.agentIds)].sort((a, b) => a - b);
  if (agentIds.length === 0) return 'NO_AGENT';
  if ((await findAgentsInOrganisation(trx, agentIds, organisationId)).length !== agentIds.length) return 'UNKNOWN_AGENT';
  return { timeZone: place.timeZone, agentIds };
}

async function linkAgents(trx: AppointmentsDb, appointmentId: number, agentIds: readonly number[]): Promise<void> {
  // Collective links stay outside the overlap constraint (migrations/0001): no override to record.
  for (const agentId of agentIds) await linkAgent(trx, appointmentId, agentId, null);
}

const noOverlap = (): never => {
  throw new BookingInvariantError('Contrainte de chevauchement sur un rendez-vous collectif');
};

function replayCreation(record: IdempotencyRecord | undefined, fingerprint: string): CollectiveResult {
  if (record === undefined) throw new BookingInvariantError('Clé d’idempotence disparue pendant la requête');
  if (record.operation !== 'agent_create' || record.fingerprint !== fingerprint) return refuse('IDEMPOTENCY_KEY_REUSED');
  if (record.appointmentId === null) throw new BookingInvariantError('Clé d’idempotence validée sans rendez-vous');
  return { ok: true, appointmentId: record.appointmentId, replayed: true };
}

/**
 * Creates a collective session (possibly with no participant yet): a collective motif of the
 * organisation, a title, a capacity (null: no limit), a place, agents, a start and a duration.
 * A start in the past is accepted (a session held without Créneau, recorded afterwards, as
 * RDV-Service-Public allows); nobody is notified of a session that has begun.
 * Agents of the session (by their notification level) hear of it; usagers join later.
 */
export async function createCollectiveAppointment(database: Kysely<Database>, request: CreateCollectiveAppointmentRequest): Promise<CollectiveResult> {
  if (!isWellFormedIdempotencyKey(request.idempotencyKey)) return refuse('INVALID_IDEMPOTENCY_KEY');
  // The agent's create operation, told apart from an individual one by its fingerprint.
  const fingerprint = fingerprintRequest({
    operation: 'agent_create',
    kind: 'collective',
    organisationId: request.organisationId,
    appointmentTypeId: request.appointmentTypeId,
    actingAgentId: request.actingAgentId,
    title: request.title,
    maxParticipants: request.maxParticipants,
    startsAt: request.startsAt.toISOString(),
    durationMinutes: request.durationMinutes,
    placeId: request.placeId,
    agentIds: [...new Set(request.agentIds)].sort((a, b) => a - b),
  });
  const known = await findIdempotencyKey(database, request.idempotencyKey);
  if (known !== undefined) return replayCreation(known, fingerprint);
  return runInTransaction<CollectiveResult>(
    database,
    async (trx) => {
      const claim = await claimIdempotencyKey(trx, { key: request.idempotencyKey, operation: 'agent_create', userId: null, agentId: request.actingAgentId, fingerprint });
      if ('existing' in claim) return replayCreation(claim.existing, fingerprint);
      const type = await findAppointmentTypeForBooking(trx, request.appointmentTypeId);
      if (type === undefined || type.isArchived || type.organisationId !== request.organisationId) return refuse('UNKNOWN_APPOINTMENT_TYPE');
      if (!type.isCollective) return refuse('NOT_COLLECTIVE');
      const invalid = draftRefusal(request);
      if (invalid !== null) return refuse(invalid);
      const checked = await checkPlaceAndAgents(trx, request, request.organisationId);
      if (typeof checked === 'string') return refuse(checked);

      const endsAt = new Date(request.startsAt.getTime() + request.durationMinutes * MINUTE_MS);
      const appointment = await insertCollectiveAppointment(trx, {
        organisationId: request.organisationId,
        appointmentTypeId: type.id,
        placeId: request.placeId,
        startsAt: request.startsAt,
        endsAt,
        timeZone: checked.timeZone,
        title: request.title,
        maxParticipants: request.maxParticipants,
        createdByAgentId: request.actingAgentId,
      });
      await linkAgents(trx, appointment.id, checked.agentIds);
      await insertOutboxEvent(trx, 'appointment.created', { appointmentId: appointment.id, publicId: appointment.publicId, participationIds: [], by: 'agent', actorAgentId: request.actingAgentId });
      await insertAuditEntry(trx, {
        actor: { type: 'agent', agentId: request.actingAgentId },
        action: 'create',
        subjectType: 'appointment',
        subjectId: appointment.id,
        territoryId: type.territoryId,
        details: {
          channel: 'agent',
          collective: true,
          startsAt: request.startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          placeId: request.placeId,
          agentIds: checked.agentIds.join(','),
          maxParticipants: request.maxParticipants,
        },
      });
      await completeAgentIdempotencyKey(trx, claim.claimedId, appointment.id);
      return { ok: true, appointmentId: appointment.id, replayed: false };
    },
    noOverlap,
  );
}

/** The locked collective appointment of the organisation, or why not. */
async function lockCollective(trx: AppointmentsDb, appointmentId: number, organisationId: number): Promise<AppointmentRow | 'NOT_FOUND'> {
  const appointment = await findAppointment(trx, appointmentId, { lock: true });
  if (appointment === undefined || appointment.organisationId !== organisationId || !appointment.isCollective) return 'NOT_FOUND';
  return appointment;
}

function sameSettings(a: CollectiveSettings, b: CollectiveSettings): boolean {
  return a.title === b.title && a.maxParticipants === b.maxParticipants && a.startsAt.getTime() === b.startsAt.getTime() && a.endsAt.getTime() === b.endsAt.getTime() && a.placeId === b.placeId;
}

/**
 * Changes a session's title, capacity, time, duration, place and agents. The capacity may not
 * go below the participants registered. A new time or place is told to every active
 * participant (`appointment.updated` with the previous time and place); agents added or removed
 * hear of it by their level.
 */
export async function updateCollectiveAppointment(database: Kysely<Database>, request: UpdateCollectiveAppointmentRequest): Promise<CollectiveResult> {
  return runInTransaction<CollectiveResult>(
    database,
    async (trx) => {
      const appointment = await lockCollective(trx, request.appointmentId, request.organisationId);
      if (appointment === 'NOT_FOUND') return refuse('NOT_FOUND');
      if (isCancelledStatus(appointment.status)) return refuse('CANCELLED');
      const invalid = draftRefusal(request);
      if (invalid !== null) return refuse(invalid);
      const previous = await findCollectiveSettings(trx, appointment.id);
      if (previous === undefined) throw new BookingInvariantError(`Rendez-vous collectif ${String(appointment.id)} sans lieu`);
      const checked = await checkPlaceAndAgents(trx, request, request.organisationId);
      if (typeof checked === 'string') return refuse(checked);
      const next: CollectiveSettings = {
        title: request.title,
        maxParticipants: request.maxParticipants,
        startsAt: request.startsAt,
        endsAt: new Date(request.startsAt.getTime() + request.durationMinutes * MINUTE_MS),
        placeId: request.placeId,
        timeZone: checked.timeZone,
      };
      const agentsChanged = checked.agentIds.join(',') !== [...appointment.agentIds].sort((a, b) => a - b).join(',');
      if (sameSettings(previous, next) && !agentsChanged) return refuse('UNCHANGED');
      const moved = next.startsAt.getTime() !== previous.startsAt.getTime();
      if (next.maxParticipants !== null && (await countActiveParticipations(trx, appointment.id)) > next.maxParticipants) return refuse('CAPACITY_BELOW_PARTICIPANTS');

      const usagersSeeIt = moved || next.endsAt.getTime() !== previous.endsAt.getTime() || next.placeId !== previous.placeId;
      await updateCollectiveSettings(trx, appointment.id, next, usagersSeeIt);
      if (agentsChanged) {
        await deleteAppointmentAgents(trx, appointment.id);
        await linkAgents(trx, appointment.id, checked.agentIds);
      }
      await insertOutboxEvent(trx, 'appointment.updated', {
        appointmentId: appointment.id,
        publicId: appointment.publicId,
        participationIds: await findParticipationIds(trx, appointment.id),
        by: 'agent',
        actorAgentId: request.actingAgentId,
        previousStartsAt: previous.startsAt.toISOString(),
        previousEndsAt: previous.endsAt.toISOString(),
        previousPlaceId: previous.placeId,
        previousAgentIds: appointment.agentIds,
        addedParticipationIds: [],
        removedUserIds: [],
      });
      await insertAuditEntry(trx, {
        actor: { type: 'agent', agentId: request.actingAgentId },
        action: 'update',
        subjectType: 'appointment',
        subjectId: appointment.id,
        territoryId: appointment.territoryId,
        details: {
          change: 'collective_update',
          previousStartsAt: previous.startsAt.toISOString(),
          startsAt: next.startsAt.toISOString(),
          previousEndsAt: previous.endsAt.toISOString(),
          endsAt: next.endsAt.toISOString(),
          previousPlaceId: previous.placeId,
          placeId: next.placeId,
          previousAgentIds: appointment.agentIds.join(','),
          agentIds: checked.agentIds.join(','),
          previousMaxParticipants: previous.maxParticipants,
          maxParticipants: next.maxParticipants,
          titleChanged: previous.title !== next.title,
        },
      });
      return { ok: true, appointmentId: appointment.id, replayed: false };
    },
    noOverlap,
  );
}

// ---------------------------------------------------------------------------------------------
// Participants
// ---------------------------------------------------------------------------------------------

export interface CollectiveParticipantRequest extends CollectiveCommandMeta {
  readonly appointmentId: number;
  /** The usager (the route has checked that the agent may see them). */
  readonly userId: number;
}

export type ParticipantRefusalReason =
  | 'NOT_FOUND'
  | 'CANCELLED'
  | 'UNKNOWN_USER'
  /** The usager was merged into another and erased (ADR 0021). */
  | 'ERASED_USER'
  | 'ALREADY_PARTICIPATING'
  /** Every seat is taken. */
  | 'FULL'
  /** The usager has no participation in this session. */
  | 'NOT_PARTICIPATING'
  | StatusChangeRefusal;

export type ParticipantResult = { readonly ok: true; readonly participationId: number; readonly status: AppointmentStatus } | Refusal<ParticipantRefusalReason>;

/** Whether one more seat can be taken in the locked session. */
async function hasSeatLeft(trx: AppointmentsDb, appointment: AppointmentRow): Promise<boolean> {
  return appointment.maxParticipants === null || (await countActiveParticipations(trx, appointment.id)) < appointment.maxParticipants;
}

/** What a participant command did: the outcome, and the event and audit entry that go with it. */
interface ParticipantChange {
  readonly participationId: number;
  readonly status: AppointmentStatus;
  readonly topic: AppointmentTopic;
  /** The event's fields besides the appointment, the actor and `participationIds`. */
  readonly event: Partial<AppointmentEventPayload>;
  /** The participations the event is about (`[]` when the participation is gone). */
  readonly participationIds: readonly number[];
  readonly action: 'create' | 'update' | 'delete';
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * The frame of every participant command: one transaction, the session locked (seats are
 * counted under that lock), `change` decides and writes the participation, then the outbox event
 * and the audit entry are written with it.
 */
async function runParticipantCommand(
  database: Kysely<Database>,
  request: CollectiveParticipantRequest,
  change: (trx: AppointmentsDb, appointment: AppointmentRow, participation: ParticipationRow | undefined) => Promise<ParticipantChange | Refusal<ParticipantRefusalReason>>,
): Promise<ParticipantResult> {
  return runInTransaction<ParticipantResult>(
    database,
    async (trx) => {
      const appointment = await lockCollective(trx, request.appointmentId, request.organisationId);
      if (appointment === 'NOT_FOUND') return refuse('NOT_FOUND');
      const outcome = await change(trx, appointment, await findParticipation(trx, appointment.id, request.userId));
      if ('ok' in outcome) return outcome;
      await insertOutboxEvent(trx, outcome.topic, {
        ...outcome.event,
        appointmentId: appointment.id,
        publicId: appointment.publicId,
        participationIds: outcome.participationIds,
        by: 'agent',
        actorAgentId: request.actingAgentId,
      });
      await insertAuditEntry(trx, {
        actor: { type: 'agent', agentId: request.actingAgentId },
        action: outcome.action,
        subjectType: 'participation',
        subjectId: outcome.participationId,
        territoryId: appointment.territoryId,
        details: { ...outcome.details, appointmentId: appointment.id, userId: request.userId },
      });
      return { ok: true, participationId: outcome.participationId, status: outcome.status };
    },
    noOverlap,
  );
}

/**
 * Adds a usager to a session (or brings back one who had left or been cancelled) while a seat is
 * left: exactly one of concurrent additions gets the last seat. Only that participant is told
 * (`appointment.updated` with `addedParticipationIds`: no other usager, no agent).
 */
export async function addCollectiveParticipant(database: Kysely<Database>, request: CollectiveParticipantRequest): Promise<ParticipantResult> {
  return runParticipantCommand(database, request, async (trx, appointment, existing) => {
    if (isCancelledStatus(appointment.status)) return refuse('CANCELLED');
    const userRefusal = participantUserRefusal(await lockParticipantUser(trx, request.userId));
    if (userRefusal !== null) return refuse(userRefusal);
    if (existing !== undefined && !isCancelledStatus(existing.status)) return refuse('ALREADY_PARTICIPATING');
    if (!(await hasSeatLeft(trx, appointment))) return refuse('FULL');
    let participationId: number;
    if (existing === undefined) {
      participationId = await insertParticipation(trx, {
        appointmentId: appointment.id,
        userId: request.userId,
        createdByType: 'agent',
        createdByUserId: null,
        createdByAgentId: request.actingAgentId,
        prescripteur: null,
        ...notificationFlagsFor(appointment.type.visibility),
      });
    } else {
      participationId = existing.id;
      await setParticipationStatus(trx, existing.id, 'unknown');
    }
    await ensureUserProfile(trx, request.userId, appointment.organisationId);
    return {
      participationId,
      status: 'unknown',
      topic: 'appointment.updated',
      participationIds: [participationId],
      event: { addedParticipationIds: [participationId], removedUserIds: [] },
      action: existing === undefined ? 'create' : 'update',
      details: { change: 'collective_add', previousStatus: existing?.status ?? null },
    };
  });
}

/**
 * Removes a participant from a session (their participation is deleted: added by mistake, or
 * no longer coming). Only they are told of the cancellation (`removedUserIds`; a relative's
 * messages go to their responsible, as for every participant).
 */
export async function removeCollectiveParticipant(database: Kysely<Database>, request: CollectiveParticipantRequest): Promise<ParticipantResult> {
  return runParticipantCommand(database, request, async (trx, _appointment, participation) => {
    if (participation === undefined) return refuse('NOT_PARTICIPATING');
    const user = await findActiveUser(trx, request.userId);
    await deleteParticipation(trx, participation.id);
    // Already cancelled on their own: told then, not again.
    const told = isCancelledStatus(participation.status) || user === undefined ? [] : [user.responsibleId ?? user.id];
    return {
      participationId: participation.id,
      status: participation.status,
      topic: 'appointment.updated',
      participationIds: [],
      event: { addedParticipationIds: [], removedUserIds: told },
      action: 'delete',
      details: { change: 'collective_remove', previousStatus: participation.status },
    };
  });
}

export interface ChangeParticipationStatusRequest extends CollectiveParticipantRequest {
  readonly status: AppointmentStatus;
}

/**
 * Sets one participant's status through the status machine (seen and no-show once the session
 * has begun; excused, revoked; back to « à renseigner »). Cancelling tells that participant only
 * (`appointment.cancelled` for their participation); coming back from a cancellation takes a seat
 * again (refused when full) and tells them as an addition does.
 */
export async function changeParticipationStatus(database: Kysely<Database>, request: ChangeParticipationStatusRequest): Promise<ParticipantResult> {
  return runParticipantCommand(database, request, async (trx, appointment, participation) => {
    if (participation === undefined) return refuse('NOT_PARTICIPATING');
    const machine = statusChangeRefusal({ from: participation.status, to: request.status, changer: 'service', startsAt: appointment.startsAt, now: request.now });
    if (machine !== null) return refuse(machine);
    const reactivated = isCancelledStatus(participation.status) && !isCancelledStatus(request.status);
    if (reactivated && isCancelledStatus(appointment.status)) return refuse('CANCELLED');
    if (reactivated && !(await hasSeatLeft(trx, appointment))) return refuse('FULL');
    await setParticipationStatus(trx, participation.id, request.status);
    const event: Pick<ParticipantChange, 'topic' | 'event'> = isCancelledStatus(request.status)
      ? { topic: 'appointment.cancelled', event: { status: request.status } }
      : reactivated
        ? { topic: 'appointment.updated', event: { addedParticipationIds: [participation.id], removedUserIds: [] } }
        : { topic: 'appointment.updated', event: { status: request.status } };
    return {
      ...event,
      participationId: participation.id,
      status: request.status,
      participationIds: [participation.id],
      action: 'update',
      details: { change: 'status', previousStatus: participation.status, status: request.status },
    };
  });
}

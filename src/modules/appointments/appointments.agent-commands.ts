// Commands of the agent workspace (ADR 0016): create and change an appointment on behalf of the
// service. Unlike the public funnel they do not ask the slot engine whether the start is offered:
// an agent may book anywhere, but knowingly. Each command loads the facts, lists the warnings
// (domain/agent-warnings.ts) and writes nothing until the request acknowledges exactly those
// warnings; an acknowledged overlap is the only way past the exclusion constraint
// (`overlap_allowed`, attributed to the agent, with a reason). One transaction per command, in the
// core's order: idempotency key, checks, decision, then the change with its outbox event and its
// audit entry.
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import type { Database } from '../../platform/db/schema.js';
import { dateToEpochMinutes } from '../../shared/time/index.js';
import { findAgentWorkingTime } from '../availability/index.js';
import { BookingInvariantError, refuse, type Refusal } from './appointments.errors.js';
import {
  claimIdempotencyKey,
  deleteAppointmentAgents,
  ensureUserProfile,
  findAppointment,
  findAppointmentTypeForBooking,
  findIdempotencyKey,
  insertOutboxEvent,
  insertParticipation,
  type AppointmentsDb,
  type IdempotencyRecord,
} from './appointments.repository.js';
import {
  completeAgentIdempotencyKey,
  deleteParticipations,
  findAgentsBusyTime,
  findAgentsInOrganisation,
  findAppointmentContext,
  findOrganisationZone,
  findParticipantAppointments,
  findParticipants,
  findUsablePlace,
  insertAgentAppointment,
  insertSingleUsePlace,
  insertUserByAgent,
  isAccountEmailTaken,
  isEmailTakenViolation,
  linkAgent,
  lockParticipantUsers,
  updateAppointmentDetails,
} from './appointments.agent.repository.js';
import { lockAgentTimelines } from './appointments.repository.js';
import { runInTransaction } from './appointments.use-cases.js';
import {
  acknowledgesExactly,
  computeAppointmentWarnings,
  fingerprintRequest,
  isCancelledStatus,
  isWellFormedIdempotencyKey,
  notificationFlagsFor,
  overriddenOverlapAgentIds,
  type AppointmentWarning,
  type FingerprintValue,
  type LocationType,
} from './domain/index.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Longest appointment an agent may set (the motifs' own bound, migrations/0001). */
export const MAX_AGENT_DURATION_MINUTES = 1440;

/** A usager created by the agent while booking; with `responsibleUserId`, a relative of that usager. */
export interface NewParticipantByAgent {
  readonly firstName: string;
  readonly lastName: string;
  /** `YYYY-MM-DD` or null. */
  readonly birthDate: string | null;
  readonly email: string | null;
  /** As typed, and its E.164 form (shared/text/phone.ts). */
  readonly phoneNumber: string | null;
  readonly phoneNumberE164: string | null;
  readonly responsibleUserId: number | null;
}

/** Where and when, with whom: what a create and an update both carry. */
export interface AgentAppointmentDraft {
  readonly startsAt: Date;
  /** Null: the motif's duration. */
  readonly durationMinutes: number | null;
  /** A place of the organisation, or null with `oneOffAddress` (or for phone, visio and home motifs). */
  readonly placeId: number | null;
  /** A free-text address stored as a `single_use` place. */
  readonly oneOffAddress: string | null;
  readonly agentIds: readonly number[];
  /** Existing usagers taking part. */
  readonly userIds: readonly number[];
  readonly newParticipants: readonly NewParticipantByAgent[];
  /** Context and notes for the agents (never shown to the usager). */
  readonly context: string | null;
  /** The warnings' keys the agent confirmed (exactly those of the request). */
  readonly acknowledgedWarnings: readonly string[];
  /** Required when an overlap is acknowledged: stored on the overbooked agents' links. */
  readonly overlapReason: string | null;
}

interface AgentCommandMeta {
  readonly organisationId: number;
  /** The signed-in agent: the actor of the audit entry and the author of an override. */
  readonly actingAgentId: number;
  readonly idempotencyKey: string;
  readonly now: Date;
}

export interface CreateAppointmentByAgentRequest extends AgentAppointmentDraft, AgentCommandMeta {
  readonly appointmentTypeId: number;
}

export interface UpdateAppointmentByAgentRequest extends AgentAppointmentDraft, AgentCommandMeta {
  readonly appointmentId: number;
}

export type AgentAppointmentRefusalReason =
  | 'INVALID_IDEMPOTENCY_KEY'
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The database's exclusion constraint refused an agent's link: another booking took the time first. */
  | 'SLOT_TAKEN'
  | 'UNKNOWN_APPOINTMENT_TYPE'
  | 'COLLECTIVE_TYPE'
  | 'UNKNOWN_PLACE'
  /** An office motif needs a place or a one-off address. */
  | 'PLACE_REQUIRED'
  | 'UNKNOWN_AGENT'
  | 'NO_AGENT'
  | 'UNKNOWN_USER'
  /** A participant (or a new relative's responsible) was merged into another usager and erased (ADR 0021). */
  | 'ERASED_USER'
  | 'NO_PARTICIPANT'
  /** A new usager's e-mail already belongs to an account. */
  | 'EMAIL_TAKEN'
  | 'INVALID_DURATION'
  /** An overlap was acknowledged without a reason. */
  | 'OVERLAP_REASON_REQUIRED'
  /** Update only: no such appointment in the organisation. */
  | 'NOT_FOUND'
  /** Update only: cancelled appointments are not changed (back to "à renseigner" first). */
  | 'CANCELLED'
  /** Update only: nothing differs from the appointment. */
  | 'UNCHANGED';

export type AgentAppointmentResult =
  | {
      readonly ok: true;
      readonly appointmentId: number;
      readonly publicId: string;
      readonly replayed: boolean;
      /** The warnings the agent confirmed (recorded in the audit entry). */
      readonly overriddenWarnings: readonly AppointmentWarning[];
    }
  | { readonly ok: false; readonly reason: 'WARNINGS'; readonly warnings: readonly AppointmentWarning[] }
  | Refusal<AgentAppointmentRefusalReason>;

function draftFingerprint(draft: AgentAppointmentDraft): Record<string, FingerprintValue> {
  return {
    startsAt: draft.startsAt.toISOString(),
    durationMinutes: draft.durationMinutes,
    placeId: draft.placeId,
    oneOffAddress: draft.oneOffAddress,
    agentIds: [...draft.agentIds],
    userIds: [...draft.userIds],
    newParticipants: draft.newParticipants.map((person) => ({ ...person })),
    context: draft.context,
    acknowledgedWarnings: [...draft.acknowledgedWarnings].sort(),
    overlapReason: draft.overlapReason,
  };
}

async function replayAgentRequest(db: AppointmentsDb, record: IdempotencyRecord | undefined, operation: 'agent_create' | 'agent_update', fingerprint: string): Promise<AgentAppointmentResult> {
  if (record === undefined) throw new BookingInvariantError('Clé d’idempotence disparue pendant la requête');
  if (record.operation !== operation || record.fingerprint !== fingerprint) return refuse('IDEMPOTENCY_KEY_REUSED');
  if (record.appointmentId === null) throw new BookingInvariantError('Clé d’idempotence validée sans rendez-vous');
  const appointment = await findAppointment(db, record.appointmentId, { lock: false });
  if (appointment === undefined) throw new BookingInvariantError('Rendez-vous de la clé introuvable');
  return { ok: true, appointmentId: appointment.id, publicId: appointment.publicId, replayed: true, overriddenWarnings: [] };
}

/** Where the appointment takes place and the zone it is shown in; a new one-off address is written later. */
type Location = { readonly placeId: number | null; readonly oneOffAddress: string | null; readonly timeZone: string };

async function resolveLocation(
  trx: AppointmentsDb,
  draft: Pick<AgentAppointmentDraft, 'placeId' | 'oneOffAddress'>,
  organisationId: number,
  locationType: LocationType,
): Promise<Location | 'UNKNOWN_PLACE' | 'PLACE_REQUIRED'> {
  if (draft.placeId !== null) {
    const place = await findUsablePlace(trx, draft.placeId, organisationId);
    return place === undefined ? 'UNKNOWN_PLACE' : { placeId: place.id, oneOffAddress: null, timeZone: place.timeZone };
  }
  const zone = await findOrganisationZone(trx, organisationId);
  if (zone === undefined) return 'UNKNOWN_PLACE';
  if (draft.oneOffAddress !== null) return { placeId: null, oneOffAddress: draft.oneOffAddress, timeZone: zone };
  return locationType === 'public_office' ? 'PLACE_REQUIRED' : { placeId: null, oneOffAddress: null, timeZone: zone };
}

/** Checks agents and existing participants; the deduplicated lists, or why they are refused. */
async function checkPeople(
  trx: AppointmentsDb,
  draft: AgentAppointmentDraft,
  organisationId: number,
): Promise<{ agentIds: number[]; userIds: number[] } | AgentAppointmentRefusalReason> {
  const agentIds = [...new Set(draft.agentIds)];
  if (agentIds.length === 0) return 'NO_AGENT';
  if ((await findAgentsInOrganisation(trx, agentIds, organisationId)).length !== agentIds.length) return 'UNKNOWN_AGENT';
  const userIds = [...new Set(draft.userIds)];
  if (userIds.length + draft.newParticipants.length === 0) return 'NO_PARTICIPANT';
  const responsibleIds = draft.newParticipants.flatMap((person) => (person.responsibleUserId === null ? [] : [person.responsibleUserId]));
  const wanted = [...new Set([...userIds, ...responsibleIds])];
  const found = await lockParticipantUsers(trx, wanted);
  if (found.length !== wanted.length) return 'UNKNOWN_USER';
  if (found.some((user) => user.erased)) return 'ERASED_USER';
  for (const person of draft.newParticipants) {
    if (person.email !== null && person.responsibleUserId === null && (await isAccountEmailTaken(trx, person.email))) return 'EMAIL_TAKEN';
  }
  const emails = draft.newParticipants.flatMap((person) => (person.email === null || person.responsibleUserId !== null ? [] : [person.email.toLowerCase()]));
  if (new Set(emails).size !== emails.length) return 'EMAIL_TAKEN';
  return { agentIds, userIds };
}

/** The warnings of [startsAt, endsAt) for these agents and usagers, from the database's facts. */
async function warningsFor(
  trx: AppointmentsDb,
  facts: {
    organisationId: number;
    appointmentTypeId: number;
    startsAt: Date;
    endsAt: Date;
    timeZone: string;
    agentIds: readonly number[];
    userIds: readonly number[];
    now: Date | null;
    exceptAppointmentId: number | null;
  },
): Promise<AppointmentWarning[]> {
  // The participants' "same day" is a local day: two days on each side cover every zone.
  const dayFrom = new Date(facts.startsAt.getTime() - 2 * DAY_MS);
  const dayTo = new Date(facts.startsAt.getTime() + 2 * DAY_MS);
  const [busy, working, participantAppointments] = await Promise.all([
    findAgentsBusyTime(trx, facts.agentIds, facts.startsAt, facts.endsAt, facts.exceptAppointmentId),
    findAgentWorkingTime(trx, { appointmentTypeId: facts.appointmentTypeId, organisationId: facts.organisationId, agentIds: facts.agentIds, from: facts.startsAt, to: facts.endsAt }),
    findParticipantAppointments(trx, facts.userIds, dayFrom, dayTo, facts.exceptAppointmentId),
  ]);
  return computeAppointmentWarnings({
    startsAtEpochMinutes: dateToEpochMinutes(facts.startsAt),
    endsAtEpochMinutes: dateToEpochMinutes(facts.endsAt),
    timeZone: facts.timeZone,
    appointmentTypeId: facts.appointmentTypeId,
    agentIds: facts.agentIds,
    userIds: facts.userIds,
    nowEpochMinutes: facts.now === null ? null : dateToEpochMinutes(facts.now),
    busy,
    openings: working.openings,
    presence: working.presence,
    absences: working.absences,
    participantAppointments,
  });
}

/** Whether the request confirms the warnings (and gives a reason for an overlap), else the refusal. */
function confirmation(warnings: readonly AppointmentWarning[], draft: AgentAppointmentDraft): AgentAppointmentResult | null {
  if (!acknowledgesExactly(warnings, draft.acknowledgedWarnings)) return { ok: false, reason: 'WARNINGS', warnings };
  if (overriddenOverlapAgentIds(warnings).size > 0 && (draft.overlapReason === null || draft.overlapReason.trim() === '')) return refuse('OVERLAP_REASON_REQUIRED');
  return null;
}

function durationOf(draft: Pick<AgentAppointmentDraft, 'durationMinutes'>, motifDurationMinutes: number): number | null {
  const minutes = draft.durationMinutes ?? motifDurationMinutes;
  return Number.isInteger(minutes) && minutes > 0 && minutes <= MAX_AGENT_DURATION_MINUTES ? minutes : null;
}

/** Creates the new participants (and relatives) of the request; their ids in order. */
async function createParticipants(trx: AppointmentsDb, people: readonly NewParticipantByAgent[]): Promise<number[]> {
  const ids: number[] = [];
  for (const person of people) {
    ids.push(
      await insertUserByAgent(trx, {
        firstName: person.firstName,
        lastName: person.lastName,
        birthDate: person.birthDate,
        email: person.email,
        phoneNumber: person.phoneNumber,
        phoneNumberE164: person.phoneNumberE164,
        responsibleId: person.responsibleUserId,
      }),
    );
  }
  return ids;
}

/** Links the agents; those whose overlap was acknowledged leave the exclusion constraint, attributed. */
async function linkAgents(trx: AppointmentsDb, appointmentId: number, agentIds: readonly number[], warnings: readonly AppointmentWarning[], draft: AgentAppointmentDraft, actingAgentId: number): Promise<void> {
  const overridden = overriddenOverlapAgentIds(warnings);
  // The links under the exclusion constraint: their agents' time is locked first, in id order.
  await lockAgentTimelines(
    trx,
    agentIds.filter((agentId) => !overridden.has(agentId)),
  );
  for (const agentId of agentIds) {
    await linkAgent(trx, appointmentId, agentId, overridden.has(agentId) ? { byAgentId: actingAgentId, reason: (draft.overlapReason ?? '').trim() } : null);
  }
}

async function runAgentCommand(
  database: Kysely<Database>,
  operation: 'agent_create' | 'agent_update',
  request: AgentCommandMeta,
  fingerprint: string,
  work: (trx: AppointmentsDb, claimedId: number) => Promise<AgentAppointmentResult>,
): Promise<AgentAppointmentResult> {
  if (!isWellFormedIdempotencyKey(request.idempotencyKey)) return refuse('INVALID_IDEMPOTENCY_KEY');
  const known = await findIdempotencyKey(database, request.idempotencyKey);
  if (known !== undefined) return replayAgentRequest(database, known, operation, fingerprint);
  try {
    return await runInTransaction<AgentAppointmentResult>(
      database,
      async (trx) => {
        const claim = await claimIdempotencyKey(trx, { key: request.idempotencyKey, operation, userId: null, agentId: request.actingAgentId, fingerprint });
        if ('existing' in claim) return replayAgentRequest(trx, claim.existing, operation, fingerprint);
        return work(trx, claim.claimedId);
      },
      () => refuse('SLOT_TAKEN'),
    );
  } catch (error) {
    // Two requests creating the same account at once: the unique index lets one through.
    if (isEmailTakenViolation(error)) return refuse('EMAIL_TAKEN');
    throw error;
  }
}

const csv = (values: readonly (number | string)[]): string => values.join(',');

/**
 * Creates an individual appointment for the organisation: motif, place (or a one-off address),
 * start and duration, one or more agents, existing and/or new participants. Refuses with
 * `WARNINGS` (writing nothing) until `acknowledgedWarnings` names exactly the warnings.
 */
export async function createAppointmentByAgent(database: Kysely<Database>, request: CreateAppointmentByAgentRequest): Promise<AgentAppointmentResult> {
  const fingerprint = fingerprintRequest({
    operation: 'agent_create',
    organisationId: request.organisationId,
    appointmentTypeId: request.appointmentTypeId,
    actingAgentId: request.actingAgentId,
    ...draftFingerprint(request),
  });
  return runAgentCommand(database, 'agent_create', request, fingerprint, async (trx, claimedId) => {
    const type = await findAppointmentTypeForBooking(trx, request.appointmentTypeId);
    if (type === undefined || type.isArchived || type.organisationId !== request.organisationId) return refuse('UNKNOWN_APPOINTMENT_TYPE');
    if (type.isCollective) return refuse('COLLECTIVE_TYPE');
    const durationMinutes = durationOf(request, type.durationMinutes);
    if (durationMinutes === null) return refuse('INVALID_DURATION');
    const location = await resolveLocation(trx, request, request.organisationId, type.locationType);
    if (typeof location === 'string') return refuse(location);
    const people = await checkPeople(trx, request, request.organisationId);
    if (typeof people === 'string') return refuse(people);

    const startsAt = request.startsAt;
    const endsAt = new Date(startsAt.getTime() + durationMinutes * MINUTE_MS);
    const warnings = await warningsFor(trx, {
      organisationId: request.organisationId,
      appointmentTypeId: type.id,
      startsAt,
      endsAt,
      timeZone: location.timeZone,
      agentIds: people.agentIds,
      userIds: people.userIds,
      now: request.now,
      exceptAppointmentId: null,
    });
    const unconfirmed = confirmation(warnings, request);
    if (unconfirmed !== null) return unconfirmed;

    const placeId =
      location.oneOffAddress === null
        ? location.placeId
        : await insertSingleUsePlace(trx, { organisationId: request.organisationId, address: location.oneOffAddress, timeZone: location.timeZone });
    const createdUserIds = await createParticipants(trx, request.newParticipants);
    const appointment = await insertAgentAppointment(trx, {
      organisationId: request.organisationId,
      appointmentTypeId: type.id,
      placeId,
      startsAt,
      endsAt,
      timeZone: location.timeZone,
      context: request.context,
      createdByAgentId: request.actingAgentId,
    });
    // The exclusion constraint refuses a link without override if another booking holds the time.
    await linkAgents(trx, appointment.id, people.agentIds, warnings, request, request.actingAgentId);
    const participantIds = [...people.userIds, ...createdUserIds];
    const participationIds: number[] = [];
    for (const userId of participantIds) {
      participationIds.push(
        await insertParticipation(trx, {
          appointmentId: appointment.id,
          userId,
          createdByType: 'agent',
          createdByUserId: null,
          createdByAgentId: request.actingAgentId,
          prescripteur: null,
          ...notificationFlagsFor(type.visibility),
        }),
      );
      await ensureUserProfile(trx, userId, request.organisationId);
    }
    await insertOutboxEvent(trx, 'appointment.created', { appointmentId: appointment.id, publicId: appointment.publicId, participationIds, by: 'agent', actorAgentId: request.actingAgentId });
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: request.actingAgentId },
      action: 'create',
      subjectType: 'appointment',
      subjectId: appointment.id,
      territoryId: type.territoryId,
      details: {
        channel: 'agent',
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        placeId,
        agentIds: csv(people.agentIds),
        userIds: csv(participantIds),
        createdUserIds: csv(createdUserIds),
        overriddenWarnings: csv(warnings.map((warning) => warning.key)),
      },
    });
    await completeAgentIdempotencyKey(trx, claimedId, appointment.id);
    return { ok: true, appointmentId: appointment.id, publicId: appointment.publicId, replayed: false, overriddenWarnings: warnings };
  });
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  const sortedA = [...new Set(a)].sort((x, y) => x - y);
  const sortedB = [...new Set(b)].sort((x, y) => x - y);
  return sortedA.length === sortedB.length && sortedA.every((value, index) => value === sortedB[index]);
}

/**
 * Changes an individual appointment: time and duration, place, agents, participants (added,
 * removed, or created), context. The same warnings and confirmation as a creation ("in the past"
 * only when the start moves); the revision goes up, and the `appointment.updated` event carries
 * the previous time, place and agents and the added and removed participants for notifications.
 */
export async function updateAppointmentByAgent(database: Kysely<Database>, request: UpdateAppointmentByAgentRequest): Promise<AgentAppointmentResult> {
  const fingerprint = fingerprintRequest({
    operation: 'agent_update',
    organisationId: request.organisationId,
    appointmentId: request.appointmentId,
    actingAgentId: request.actingAgentId,
    ...draftFingerprint(request),
  });
  return runAgentCommand(database, 'agent_update', request, fingerprint, async (trx, claimedId) => {
    const appointment = await findAppointment(trx, request.appointmentId, { lock: true });
    if (appointment === undefined || appointment.organisationId !== request.organisationId) return refuse('NOT_FOUND');
    if (appointment.isCollective) return refuse('COLLECTIVE_TYPE');
    if (isCancelledStatus(appointment.status)) return refuse('CANCELLED');
    const durationMinutes = durationOf(request, appointment.type.durationMinutes);
    if (durationMinutes === null) return refuse('INVALID_DURATION');
    const location = await resolveLocation(trx, request, request.organisationId, appointment.type.locationType);
    if (typeof location === 'string') return refuse(location);
    const people = await checkPeople(trx, request, request.organisationId);
    if (typeof people === 'string') return refuse(people);

    const startsAt = request.startsAt;
    const endsAt = new Date(startsAt.getTime() + durationMinutes * MINUTE_MS);
    const participants = await findParticipants(trx, appointment.id);
    const previousUserIds = participants.map((participant) => participant.userId);
    const removedUserIds = previousUserIds.filter((userId) => !people.userIds.includes(userId));
    const addedUserIds = people.userIds.filter((userId) => !previousUserIds.includes(userId));
    const previousContext = await findAppointmentContext(trx, appointment.id);
    const moved = startsAt.getTime() !== appointment.startsAt.getTime();
    const unchanged =
      !moved &&
      endsAt.getTime() === appointment.endsAt.getTime() &&
      location.oneOffAddress === null &&
      location.placeId === appointment.placeId &&
      sameIds(people.agentIds, appointment.agentIds) &&
      removedUserIds.length === 0 &&
      addedUserIds.length === 0 &&
      request.newParticipants.length === 0 &&
      request.context === previousContext;
    if (unchanged) return refuse('UNCHANGED');

    const warnings = await warningsFor(trx, {
      organisationId: request.organisationId,
      appointmentTypeId: appointment.appointmentTypeId,
      startsAt,
      endsAt,
      timeZone: location.timeZone,
      agentIds: people.agentIds,
      userIds: people.userIds,
      now: moved ? request.now : null,
      exceptAppointmentId: appointment.id,
    });
    const unconfirmed = confirmation(warnings, request);
    if (unconfirmed !== null) return unconfirmed;

    const placeId =
      location.oneOffAddress === null
        ? location.placeId
        : await insertSingleUsePlace(trx, { organisationId: request.organisationId, address: location.oneOffAddress, timeZone: location.timeZone });
    const createdUserIds = await createParticipants(trx, request.newParticipants);
    // Unlink, move, link again: each link is checked by the exclusion constraint at its new time.
    await deleteAppointmentAgents(trx, appointment.id);
    await updateAppointmentDetails(trx, appointment.id, { startsAt, endsAt, placeId, timeZone: location.timeZone, context: request.context });
    await linkAgents(trx, appointment.id, people.agentIds, warnings, request, request.actingAgentId);
    await deleteParticipations(trx, appointment.id, removedUserIds);
    const addedParticipationIds: number[] = [];
    for (const userId of [...addedUserIds, ...createdUserIds]) {
      addedParticipationIds.push(
        await insertParticipation(trx, {
          appointmentId: appointment.id,
          userId,
          createdByType: 'agent',
          createdByUserId: null,
          createdByAgentId: request.actingAgentId,
          prescripteur: null,
          ...notificationFlagsFor(appointment.type.visibility),
        }),
      );
      await ensureUserProfile(trx, userId, request.organisationId);
    }
    const current = await findParticipants(trx, appointment.id);
    await insertOutboxEvent(trx, 'appointment.updated', {
      appointmentId: appointment.id,
      publicId: appointment.publicId,
      participationIds: current.map((participant) => participant.participationId),
      by: 'agent',
      actorAgentId: request.actingAgentId,
      previousStartsAt: appointment.startsAt.toISOString(),
      previousEndsAt: appointment.endsAt.toISOString(),
      previousPlaceId: appointment.placeId,
      previousAgentIds: appointment.agentIds,
      addedParticipationIds,
      removedUserIds,
    });
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: request.actingAgentId },
      action: 'update',
      subjectType: 'appointment',
      subjectId: appointment.id,
      territoryId: appointment.territoryId,
      details: {
        change: 'agent_update',
        previousStartsAt: appointment.startsAt.toISOString(),
        startsAt: startsAt.toISOString(),
        previousEndsAt: appointment.endsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        previousPlaceId: appointment.placeId,
        placeId,
        previousAgentIds: csv(appointment.agentIds),
        agentIds: csv(people.agentIds),
        addedUserIds: csv([...addedUserIds, ...createdUserIds]),
        removedUserIds: csv(removedUserIds),
        contextChanged: request.context !== previousContext,
        overriddenWarnings: csv(warnings.map((warning) => warning.key)),
      },
    });
    await completeAgentIdempotencyKey(trx, claimedId, appointment.id);
    return { ok: true, appointmentId: appointment.id, publicId: appointment.publicId, replayed: false, overriddenWarnings: warnings };
  });
}

export interface PreviewAgentAppointmentRequest {
  readonly organisationId: number;
  readonly appointmentTypeId: number;
  readonly startsAt: Date;
  readonly durationMinutes: number | null;
  readonly placeId: number | null;
  readonly oneOffAddress: string | null;
  readonly agentIds: readonly number[];
  /** Existing participants (new ones have no other appointment). */
  readonly userIds: readonly number[];
  readonly now: Date;
}

/**
 * The warnings a creation would list, without writing anything: the review page of the agent's
 * wizard shows them before the agent confirms. The command decides again when it runs.
 */
export async function previewAgentAppointmentWarnings(
  db: Kysely<Database>,
  request: PreviewAgentAppointmentRequest,
): Promise<{ readonly ok: true; readonly warnings: readonly AppointmentWarning[] } | Refusal<'UNKNOWN_APPOINTMENT_TYPE' | 'UNKNOWN_PLACE' | 'PLACE_REQUIRED' | 'INVALID_DURATION'>> {
  const type = await findAppointmentTypeForBooking(db, request.appointmentTypeId);
  if (type === undefined || type.isArchived || type.isCollective || type.organisationId !== request.organisationId) return refuse('UNKNOWN_APPOINTMENT_TYPE');
  const durationMinutes = durationOf(request, type.durationMinutes);
  if (durationMinutes === null) return refuse('INVALID_DURATION');
  const location = await resolveLocation(db, request, request.organisationId, type.locationType);
  if (typeof location === 'string') return refuse(location);
  const warnings = await warningsFor(db, {
    organisationId: request.organisationId,
    appointmentTypeId: type.id,
    startsAt: request.startsAt,
    endsAt: new Date(request.startsAt.getTime() + durationMinutes * MINUTE_MS),
    timeZone: location.timeZone,
    agentIds: [...new Set(request.agentIds)],
    userIds: [...new Set(request.userIds)],
    now: request.now,
    exceptAppointmentId: null,
  });
  return { ok: true, warnings };
}

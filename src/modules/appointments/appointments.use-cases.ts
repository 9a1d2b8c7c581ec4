// Commands of the appointments core (the only write path for appointments and participations): book, join or leave a collective session, cancel, reschedule,
// waitlist, "Mes rendez-vous" and the calendar file. Each write runs in ONE transaction that
// re-checks the slot with the availability engine and writes the change, its outbox event and its
// audit entry together; the exclusion constraint of migrations/0001 has the last word on overlaps.
import type { Kysely } from 'kysely';
import { insertAuditEntry, type Actor } from '../../platform/audit/audit-log.js';
import type { Database, IdempotentOperation } from '../../platform/db/schema.js';
import { addDays, dateToEpochMinutes, epochMinutesToDate, localDayOf, startOfLocalDay } from '../../shared/time/index.js';
import { isSamePersonName } from '../../shared/text/person-name.js';
import { searchSlots, type Slot } from '../availability/index.js';
import {
  BookingInvariantError,
  refuse,
  type BookingRefusalReason,
  type CancelRefusalReason,
  type JoinRefusalReason,
  type LeaveRefusalReason,
  type Refusal,
  type RescheduleRefusalReason,
  type WaitlistRefusalReason,
} from './appointments.errors.js';
import {
  addWaitlistEntry,
  claimIdempotencyKey,
  completeIdempotencyKey,
  countActiveParticipations,
  deleteAppointmentAgents,
  ensureUserProfile,
  findActiveUser,
  lockParticipantUser,
  participantUserRefusal,
  findAgentsOpenForType,
  findAppointment,
  findAppointmentForCalendar,
  findAppointmentTypeForBooking,
  findIdempotencyKey,
  findParticipation,
  findParticipationIds,
  findReferentAgentIds,
  hasOverlappingAppointment,
  insertAppointment,
  insertAppointmentAgent,
  insertOutboxEvent,
  insertParticipation,
  isAgentRoleViolation,
  isOverlapViolation,
  isRetryableConflict,
  setAppointmentStatus,
  findBookedMinutesByAgent,
  findRelatives,
  insertRelative,
  moveAppointment,
  removeWaitlistEntries,
  setActiveParticipationsStatus,
  setParticipationStatus,
  type AppointmentRow,
  type AppointmentsDb,
  type BookingTypeRow,
  type IdempotencyRecord,
  type ParticipationRow,
  type UserRow,
} from './appointments.repository.js';
import {
  buildAppointmentIcs,
  cancelledAtFor,
  canActFor,
  rankAgents,
  statusChangeRefusal,
  cancelRefusal,
  describeLocation,
  fingerprintRequest,
  isBookableOnlineBy,
  isCancelledStatus,
  isWellFormedIdempotencyKey,
  isWithinBookingWindow,
  notificationFlagsFor,
  rescheduleRefusal,
  waitlistRefusal,
  type AppointmentFacts,
  type AppointmentStatus,
  type BookerType,
  type FingerprintValue,
  type StatusChangeRefusal,
} from './domain/index.js';

// ---------------------------------------------------------------------------------------------
// Shared shapes
// ---------------------------------------------------------------------------------------------

/** The third party booking for someone (stored with the participation, shown to agents). */
export interface PrescripteurIdentity {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
}

/** Who books: a signed-in usager (for themself or a relative), or a prescripteur. */
export type BookedBy =
  /** `invited`: the usager opened a partner's invitation (verified server-side), which opens invitation-only motifs. */
  | { readonly type: 'user'; readonly userId: number; readonly invited?: boolean }
  | { readonly type: 'prescripteur'; readonly identity: PrescripteurIdentity };

/** The kind of booker the booking rules know, from who books (one place decides it). */
export function bookerTypeOf(bookedBy: BookedBy): BookerType {
  if (bookedBy.type === 'prescripteur') return 'prescripteur';
  return bookedBy.invited === true ? 'invited_user' : 'user';
}

/** A relative added while booking (a child, a parent); `userId` of the request is their responsible. */
export interface NewRelative {
  readonly firstName: string;
  readonly lastName: string;
  /** `YYYY-MM-DD`, or null when not given. */
  readonly birthDate: string | null;
}

/** An appointment as seen by the usager who holds `participationId` in it. */
export interface BookedAppointment {
  readonly id: number;
  readonly publicId: string;
  readonly appointmentTypeId: number;
  readonly organisationId: number;
  readonly placeId: number | null;
  readonly agentIds: readonly number[];
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  readonly status: AppointmentStatus;
  readonly isCollective: boolean;
  readonly userId: number;
  readonly participationId: number;
  readonly participationStatus: AppointmentStatus;
}

export type IdempotentResult<Reason extends string> =
  | { readonly ok: true; readonly appointment: BookedAppointment; readonly replayed: boolean }
  | Refusal<Reason>;

const MINUTE_MS = 60_000;

function isNonEmpty<Item>(items: readonly Item[]): items is readonly [Item, ...Item[]] {
  return items.length > 0;
}

// A refusal found inside a transaction must undo what the transaction wrote (the idempotency
// key first of all): it leaves by this exception, and `runInTransaction` turns it back into data.
class RollbackSignal extends Error {
  override name = 'RollbackSignal';
}

/** Attempts of a transaction aborted as a deadlock victim before giving up (it then propagates). */
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in a transaction; a refusal rolls it back and is returned as data, and the overlap
 * constraint becomes `onOverlap(overlapsSoFar)`, which answers a result or `'retry'` (a booking
 * that may go to another free agent tries once more: the retry sees the winner's commit). A
 * deadlock victim (two bookings of the same agent checking each other's uncommitted rows) runs
 * again from the start too. Anything else is unexpected and propagates.
 */
export async function runInTransaction<Result extends { readonly ok: boolean }>(
  db: AppointmentsDb,
  work: (trx: AppointmentsDb) => Promise<Result>,
  onOverlap: (overlapsSoFar: number) => Result | 'retry',
): Promise<Result> {
  let overlaps = 0;
  for (let attempt = 1; ; attempt += 1) {
    let refusal: Result | undefined;
    try {
      return await db.transaction().execute(async (trx) => {
        const result = await work(trx);
        if (!result.ok) {
          refusal = result;
          throw new RollbackSignal('refus : annulation de la transaction');
        }
        return result;
      });
    } catch (error) {
      if (error instanceof RollbackSignal && refusal !== undefined) return refusal;
      // An agent removed from the organisation meanwhile (ADR 0029) is, for this command, an agent whose time was taken.
      if (isOverlapViolation(error) || isAgentRoleViolation(error)) {
        overlaps += 1;
        const outcome = onOverlap(overlaps);
        if (outcome !== 'retry') return outcome;
        continue;
      }
      if (!isRetryableConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function loadBookedAppointment(db: AppointmentsDb, appointmentId: number, userId: number): Promise<BookedAppointment> {
  const appointment = await findAppointment(db, appointmentId, { lock: false });
  const participation = await findParticipation(db, appointmentId, userId);
  if (appointment === undefined || participation === undefined) {
    throw new BookingInvariantError(`Rendez-vous ${String(appointmentId)} sans participation de l’usager ${String(userId)}`);
  }
  return toBookedAppointment(appointment, participation);
}

function toBookedAppointment(appointment: AppointmentRow, participation: ParticipationRow): BookedAppointment {
  return {
    id: appointment.id,
    publicId: appointment.publicId,
    appointmentTypeId: appointment.appointmentTypeId,
    organisationId: appointment.organisationId,
    placeId: appointment.placeId,
    agentIds: appointment.agentIds,
    startsAt: appointment.startsAt,
    endsAt: appointment.endsAt,
    timeZone: appointment.timeZone,
    status: appointment.status,
    isCollective: appointment.isCollective,
    userId: participation.userId,
    participationId: participation.id,
    participationStatus: participation.status,
  };
}

/** What a known key means for this request: the same request is replayed, another one refused. */
async function replayFor<Reason extends string>(
  db: AppointmentsDb,
  record: IdempotencyRecord | undefined,
  operation: IdempotentOperation,
  fingerprint: string,
): Promise<IdempotentResult<Reason | 'IDEMPOTENCY_KEY_REUSED'>> {
  if (record === undefined) throw new BookingInvariantError('Clé d’idempotence disparue pendant la requête');
  if (record.operation !== operation || record.fingerprint !== fingerprint) return refuse('IDEMPOTENCY_KEY_REUSED');
  if (record.appointmentId === null || record.userId === null) throw new BookingInvariantError('Clé d’idempotence validée sans rendez-vous');
  return { ok: true, appointment: await loadBookedAppointment(db, record.appointmentId, record.userId), replayed: true };
}

function bookedByFingerprint(bookedBy: BookedBy): FingerprintValue {
  return bookedBy.type === 'user'
    ? { type: 'user', userId: bookedBy.userId }
    : { type: 'prescripteur', identity: { ...bookedBy.identity } };
}

function actorOf(bookedBy: BookedBy): Actor {
  return bookedBy.type === 'user' ? { type: 'user', userId: bookedBy.userId } : { type: 'prescripteur' };
}

/** The beneficiary, if they exist and the booker may act for them. */
async function checkBeneficiary(db: AppointmentsDb, userId: number, bookedBy: BookedBy): Promise<UserRow | 'UNKNOWN_USER' | 'ERASED_USER' | 'NOT_ALLOWED'> {
  const beneficiary = await lockParticipantUser(db, userId);
  const refusal = participantUserRefusal(beneficiary);
  if (refusal !== null || beneficiary === undefined) return refusal ?? 'UNKNOWN_USER';
  if (bookedBy.type === 'user' && !canActFor(bookedBy.userId, beneficiary)) return 'NOT_ALLOWED';
  return beneficiary;
}

interface SlotQuery {
  readonly type: BookingTypeRow;
  readonly startsAt: Date;
  readonly placeId: number | null;
  readonly agentIds: readonly number[] | null;
  readonly userId: number;
  readonly now: Date;
}

/** The public slots the engine offers at exactly `startsAt` at that place (one per free agent), for those agents. */
async function findOfferedSlots(db: AppointmentsDb, query: SlotQuery): Promise<Slot[]> {
  const startsAtMinute = query.startsAt.getTime() / MINUTE_MS;
  if (!Number.isInteger(startsAtMinute)) return [];
  if (query.type.locationType === 'public_office' && query.placeId === null) return [];
  const referentAgentIds = query.type.isFollowUpOnly ? await findReferentAgentIds(db, query.userId) : null;
  const slots = await searchSlots(db, {
    appointmentTypeId: query.type.id,
    audience: 'public',
    everyAgent: true,
    from: query.startsAt,
    to: new Date(query.startsAt.getTime() + MINUTE_MS),
    now: query.now,
    filters: {
      agentIds: query.agentIds,
      placeIds: query.placeId === null ? null : [query.placeId],
      organisationIds: [query.type.organisationId],
      referentAgentIds,
    },
  });
  return slots.filter((slot) => slot.startsAtEpochMinutes === dateToEpochMinutes(query.startsAt) && slot.placeId === query.placeId);
}

/** The first of the offered slots, if any (when the agent is already decided). */
async function findOfferedSlot(db: AppointmentsDb, query: SlotQuery): Promise<Slot | undefined> {
  return (await findOfferedSlots(db, query))[0];
}

/** Why the engine does not offer the slot: someone holds it (`SLOT_TAKEN`), or it never was (`SLOT_NOT_OFFERED`). */
async function explainMissingSlot(db: AppointmentsDb, query: SlotQuery): Promise<'SLOT_TAKEN' | 'SLOT_NOT_OFFERED'> {
  const agentIds = query.agentIds ?? (await findAgentsOpenForType(db, query.type.id, query.placeId));
  const endsAt = new Date(query.startsAt.getTime() + query.type.durationMinutes * MINUTE_MS);
  return (await hasOverlappingAppointment(db, agentIds, query.startsAt, endsAt)) ? 'SLOT_TAKEN' : 'SLOT_NOT_OFFERED';
}

// ---------------------------------------------------------------------------------------------
// Book an individual appointment
// ---------------------------------------------------------------------------------------------

export interface BookAppointmentRequest {
  readonly appointmentTypeId: number;
  readonly startsAt: Date;
  /** Required for office visits; null for phone, visio and home motifs. */
  readonly placeId: number | null;
  /** A fixed agent (the agent of a chosen slot); when absent, the least booked free agent that day. */
  readonly agentId?: number | null;
  /** The agents the funnel allowed (sector agents); null or absent: any agent the engine offers. */
  readonly allowedAgentIds?: readonly number[] | null;
  /** The beneficiary (the usager, or a relative of theirs); with `newRelative`, their responsible. */
  readonly userId: number;
  /** A relative added in the booking form: found (same names and birth date) or created in the booking's transaction. */
  readonly newRelative?: NewRelative | null;
  readonly bookedBy: BookedBy;
  /** Generated once per booking form; a retry with the same key returns the same appointment. */
  readonly idempotencyKey: string;
  readonly now: Date;
}

export type BookAppointmentResult = IdempotentResult<BookingRefusalReason>;

/**
 * Books the slot for the beneficiary in one transaction: claims the idempotency key, creates the
 * new relative if there is one, re-checks that the engine still offers the slot, picks the least
 * booked free agent, then writes appointment, agent link, participation, outbox event and audit
 * entry. A slot taken meanwhile yields `SLOT_TAKEN`, never an exception (when no agent was fixed,
 * the booking first tries once more with the agents still free); a retried key replays the result.
 */
export async function bookAppointment(db: Kysely<Database>, request: BookAppointmentRequest): Promise<BookAppointmentResult> {
  if (!isWellFormedIdempotencyKey(request.idempotencyKey)) return refuse('INVALID_IDEMPOTENCY_KEY');
  const fingerprint = fingerprintRequest({
    operation: 'book',
    appointmentTypeId: request.appointmentTypeId,
    startsAt: request.startsAt.toISOString(),
    placeId: request.placeId,
    agentId: request.agentId ?? null,
    allowedAgentIds: request.allowedAgentIds === undefined || request.allowedAgentIds === null ? null : [...request.allowedAgentIds].sort((x, y) => x - y),
    userId: request.userId,
    newRelative: request.newRelative === undefined || request.newRelative === null ? null : { ...request.newRelative },
    bookedBy: bookedByFingerprint(request.bookedBy),
  });
  const known = await findIdempotencyKey(db, request.idempotencyKey);
  if (known !== undefined) return replayFor(db, known, 'book', fingerprint);
  const agentIsFixed = (request.agentId ?? null) !== null;
  return runInTransaction<BookAppointmentResult>(
    db,
    (trx) => bookInTransaction(trx, request, fingerprint),
    (overlaps) => (!agentIsFixed && overlaps === 1 ? 'retry' : refuse('SLOT_TAKEN')),
  );
}

/** The beneficiary of a booking: the given user (if the booker may act for them), or the new relative, found or created. */
async function resolveBeneficiary(
  trx: AppointmentsDb,
  request: { readonly userId: number; readonly newRelative?: NewRelative | null; readonly bookedBy: BookedBy },
): Promise<UserRow | 'UNKNOWN_USER' | 'ERASED_USER' | 'NOT_ALLOWED'> {
  const relative = request.newRelative ?? null;
  if (relative === null) return checkBeneficiary(trx, request.userId, request.bookedBy);
  if (request.bookedBy.type !== 'user' || request.bookedBy.userId !== request.userId) return 'NOT_ALLOWED';
  const same = (await findRelatives(trx, request.userId)).find(
    (candidate) =>
      isSamePersonName(candidate.firstName, relative.firstName) &&
      isSamePersonName(candidate.lastName, relative.lastName) &&
      candidate.birthDate === relative.birthDate,
  );
  const id = same?.id ?? (await insertRelative(trx, request.userId, relative));
  return { id, responsibleId: request.userId, firstName: relative.firstName, lastName: relative.lastName };
}

/**
 * The slot of the free agent with the fewest booked minutes that local day (agent choice,
 * domain/agent-choice.ts). The engine gives one slot per free agent at the same start.
 */
async function chooseSlot(trx: AppointmentsDb, slots: readonly [Slot, ...Slot[]], seed: string): Promise<Slot> {
  const [first] = slots;
  if (slots.length === 1) return first;
  const day = localDayOf(first.timeZone, first.startsAtEpochMinutes);
  const from = epochMinutesToDate(startOfLocalDay(first.timeZone, day));
  const to = epochMinutesToDate(startOfLocalDay(first.timeZone, addDays(day, 1)));
  const agentIds = [...new Set(slots.map((slot) => slot.agentIds[0] ?? 0))];
  const booked = await findBookedMinutesByAgent(trx, agentIds, from, to);
  const [bestAgentId] = rankAgents(
    agentIds.map((agentId) => ({ agentId, bookedMinutes: booked.get(agentId) ?? 0 })),
    seed,
  );
  return slots.find((slot) => slot.agentIds[0] === bestAgentId) ?? first;
}

async function bookInTransaction(trx: AppointmentsDb, request: BookAppointmentRequest, fingerprint: string): Promise<BookAppointmentResult> {
  // The key row references a user: check the one named in the request exists (and was not
  // erased by a merge: locked until the booking commits) before claiming it.
  const userRefusal = participantUserRefusal(await lockParticipantUser(trx, request.userId));
  if (userRefusal !== null) return refuse(userRefusal);
  const claim = await claimIdempotencyKey(trx, { key: request.idempotencyKey, operation: 'book', userId: request.userId, fingerprint });
  if ('existing' in claim) return replayFor(trx, claim.existing, 'book', fingerprint);

  const type = await findAppointmentTypeForBooking(trx, request.appointmentTypeId);
  if (type === undefined || type.isArchived) return refuse('UNKNOWN_APPOINTMENT_TYPE');
  if (type.isCollective) return refuse('COLLECTIVE_TYPE');
  if (!isBookableOnlineBy(type.bookableBy, bookerTypeOf(request.bookedBy))) return refuse('NOT_BOOKABLE_ONLINE');
  if (!isWithinBookingWindow(request.startsAt, request.now, type)) return refuse('OUTSIDE_BOOKING_WINDOW');
  const beneficiary = await resolveBeneficiary(trx, request);
  if (typeof beneficiary === 'string') return refuse(beneficiary);

  const fixedAgentId = request.agentId ?? null;
  const slotQuery: SlotQuery = {
    type,
    startsAt: request.startsAt,
    placeId: request.placeId,
    agentIds: fixedAgentId === null ? (request.allowedAgentIds ?? null) : [fixedAgentId],
    userId: beneficiary.id,
    now: request.now,
  };
  const offered = await findOfferedSlots(trx, slotQuery);
  if (!isNonEmpty(offered)) return refuse(await explainMissingSlot(trx, slotQuery));
  const slot = await chooseSlot(trx, offered, request.idempotencyKey);
  const chosenAgentId = slot.agentIds[0];
  if (chosenAgentId === undefined) throw new BookingInvariantError('Créneau sans agent');

  const bookedByUserId = request.bookedBy.type === 'user' ? request.bookedBy.userId : null;
  const startsAt = request.startsAt;
  const endsAt = new Date(startsAt.getTime() + type.durationMinutes * MINUTE_MS);
  const appointment = await insertAppointment(trx, {
    organisationId: slot.organisationId,
    appointmentTypeId: type.id,
    placeId: slot.placeId,
    startsAt,
    endsAt,
    timeZone: slot.timeZone,
    createdByType: request.bookedBy.type,
    createdByUserId: bookedByUserId,
  });
  // The exclusion constraint refuses this row if a concurrent booking committed an overlapping one.
  await insertAppointmentAgent(trx, appointment.id, chosenAgentId);
  const participationId = await insertParticipation(trx, {
    appointmentId: appointment.id,
    userId: beneficiary.id,
    createdByType: request.bookedBy.type,
    createdByUserId: bookedByUserId,
    prescripteur: request.bookedBy.type === 'prescripteur' ? { ...request.bookedBy.identity } : null,
    ...notificationFlagsFor(type.visibility),
  });
  await ensureUserProfile(trx, beneficiary.id, slot.organisationId);
  await insertOutboxEvent(trx, 'appointment.created', {
    appointmentId: appointment.id,
    publicId: appointment.publicId,
    participationIds: [participationId],
    by: request.bookedBy.type,
  });
  await insertAuditEntry(trx, {
    actor: actorOf(request.bookedBy),
    action: 'create',
    subjectType: 'appointment',
    subjectId: appointment.id,
    territoryId: type.territoryId,
    details: { channel: 'public_booking', participationId, beneficiaryUserId: beneficiary.id, agentId: chosenAgentId },
  });
  await completeIdempotencyKey(trx, claim.claimedId, { appointmentId: appointment.id, userId: beneficiary.id });
  return {
    ok: true,
    replayed: false,
    appointment: {
      id: appointment.id,
      publicId: appointment.publicId,
      appointmentTypeId: type.id,
      organisationId: slot.organisationId,
      placeId: slot.placeId,
      agentIds: [chosenAgentId],
      startsAt,
      endsAt,
      timeZone: slot.timeZone,
      status: 'unknown',
      isCollective: false,
      userId: beneficiary.id,
      participationId,
      participationStatus: 'unknown',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Collective appointments
// ---------------------------------------------------------------------------------------------

export interface JoinCollectiveAppointmentRequest {
  readonly appointmentId: number;
  /** The beneficiary taking a seat; with `newRelative`, their responsible. */
  readonly userId: number;
  /** A relative added in the booking form, found or created in the transaction (as for `bookAppointment`). */
  readonly newRelative?: NewRelative | null;
  /** Defaults to the beneficiary themself. */
  readonly bookedBy?: BookedBy;
  readonly idempotencyKey: string;
  readonly now: Date;
}

export type JoinCollectiveAppointmentResult = IdempotentResult<JoinRefusalReason>;

/**
 * Takes a seat in a collective session. The session row is locked (`FOR UPDATE`) while seats are
 * counted, so concurrent joins never exceed `max_participants`.
 */
export async function joinCollectiveAppointment(
  database: Kysely<Database>,
  request: JoinCollectiveAppointmentRequest,
): Promise<JoinCollectiveAppointmentResult> {
  if (!isWellFormedIdempotencyKey(request.idempotencyKey)) return refuse('INVALID_IDEMPOTENCY_KEY');
  const db = database;
  const bookedBy: BookedBy = request.bookedBy ?? { type: 'user', userId: request.userId };
  const fingerprint = fingerprintRequest({
    operation: 'join',
    appointmentId: request.appointmentId,
    userId: request.userId,
    newRelative: request.newRelative === undefined || request.newRelative === null ? null : { ...request.newRelative },
    bookedBy: bookedByFingerprint(bookedBy),
  });
  const known = await findIdempotencyKey(db, request.idempotencyKey);
  if (known !== undefined) return replayFor(db, known, 'join', fingerprint);
  return runInTransaction<JoinCollectiveAppointmentResult>(
    db,
    async (trx) => {
      const userRefusal = participantUserRefusal(await lockParticipantUser(trx, request.userId));
      if (userRefusal !== null) return refuse(userRefusal);
      const claim = await claimIdempotencyKey(trx, { key: request.idempotencyKey, operation: 'join', userId: request.userId, fingerprint });
      if ('existing' in claim) return replayFor(trx, claim.existing, 'join', fingerprint);

      const appointment = await findAppointment(trx, request.appointmentId, { lock: true });
      if (appointment === undefined) return refuse('NOT_FOUND');
      if (!appointment.isCollective) return refuse('NOT_COLLECTIVE');
      if (isCancelledStatus(appointment.status)) return refuse('CANCELLED');
      if (!isBookableOnlineBy(appointment.type.bookableBy, bookerTypeOf(bookedBy))) return refuse('NOT_BOOKABLE_ONLINE');
      if (!isWithinBookingWindow(appointment.startsAt, request.now, appointment.type)) return refuse('OUTSIDE_BOOKING_WINDOW');
      const beneficiary = await resolveBeneficiary(trx, { userId: request.userId, newRelative: request.newRelative ?? null, bookedBy });
      if (typeof beneficiary === 'string') return refuse(beneficiary);

      const existing = await findParticipation(trx, appointment.id, beneficiary.id);
      if (existing !== undefined && !isCancelledStatus(existing.status)) return refuse('ALREADY_PARTICIPATING');
      if (appointment.maxParticipants !== null && (await countActiveParticipations(trx, appointment.id)) >= appointment.maxParticipants) {
        return refuse('FULL');
      }
      let participationId: number;
      if (existing === undefined) {
        participationId = await insertParticipation(trx, {
          appointmentId: appointment.id,
          userId: beneficiary.id,
          createdByType: bookedBy.type,
          createdByUserId: bookedBy.type === 'user' ? bookedBy.userId : null,
          prescripteur: bookedBy.type === 'prescripteur' ? { ...bookedBy.identity } : null,
          ...notificationFlagsFor(appointment.type.visibility),
        });
      } else {
        // A usager who left may come back while seats remain.
        participationId = existing.id;
        await setParticipationStatus(trx, existing.id, 'unknown');
      }
      await ensureUserProfile(trx, beneficiary.id, appointment.organisationId);
      await insertOutboxEvent(trx, 'appointment.created', {
        appointmentId: appointment.id,
        publicId: appointment.publicId,
        participationIds: [participationId],
        by: bookedBy.type,
      });
      await insertAuditEntry(trx, {
        actor: actorOf(bookedBy),
        action: 'create',
        subjectType: 'participation',
        subjectId: participationId,
        territoryId: appointment.territoryId,
        details: { channel: 'public_booking', appointmentId: appointment.id, beneficiaryUserId: beneficiary.id },
      });
      await completeIdempotencyKey(trx, claim.claimedId, { appointmentId: appointment.id, userId: beneficiary.id });
      return {
        ok: true,
        replayed: false,
        appointment: toBookedAppointment(appointment, { id: participationId, userId: beneficiary.id, status: 'unknown' }),
      };
    },
    () => {
      throw new BookingInvariantError('Contrainte de chevauchement sur un rendez-vous collectif');
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Cancel
// ---------------------------------------------------------------------------------------------

export interface CancelParticipationRequest {
  readonly appointmentId: number;
  /** The participant. */
  readonly userId: number;
  /** The signed-in usager: the participant or their responsible. Defaults to `userId` (token links). */
  readonly actorUserId?: number;
  readonly now: Date;
}

export type CancelParticipationResult = { readonly ok: true; readonly appointment: BookedAppointment } | Refusal<CancelRefusalReason>;

function factsOf(appointment: AppointmentRow, participation: ParticipationRow): AppointmentFacts {
  return {
    startsAt: appointment.startsAt,
    appointmentStatus: appointment.status,
    participationStatus: participation.status,
    isCollective: appointment.isCollective,
    createdByType: appointment.createdByType,
    agentCount: appointment.agentIds.length,
    bookableBy: appointment.type.bookableBy,
    locationType: appointment.type.locationType,
    cancelDeadlineMinutes: appointment.type.cancelDeadlineMinutes,
    rescheduleDeadlineMinutes: appointment.type.rescheduleDeadlineMinutes,
  };
}

/** The locked appointment and the participant's participation, if the actor may act for them. */
async function loadOwnParticipation(
  trx: AppointmentsDb,
  request: { appointmentId: number; userId: number; actorUserId?: number },
  lock: boolean,
): Promise<{ appointment: AppointmentRow; participation: ParticipationRow } | 'NOT_FOUND' | 'NOT_ALLOWED'> {
  const appointment = await findAppointment(trx, request.appointmentId, { lock });
  if (appointment === undefined) return 'NOT_FOUND';
  const participation = await findParticipation(trx, appointment.id, request.userId);
  if (participation === undefined) return 'NOT_FOUND';
  const participant = await findActiveUser(trx, request.userId);
  if (participant === undefined) return 'NOT_FOUND';
  if (!canActFor(request.actorUserId ?? request.userId, participant)) return 'NOT_ALLOWED';
  return { appointment, participation };
}

/**
 * Cancels the usager's participation (`excused`); an individual appointment is cancelled as a
 * whole, which frees the agent. Refused after the motif's cancel deadline (`DEADLINE_PASSED`).
 */
export async function cancelParticipation(database: Kysely<Database>, request: CancelParticipationRequest): Promise<CancelParticipationResult> {
  return cancelInTransaction<never>(database, request, () => null);
}

/** Gives a seat of a collective session back (same rules as `cancelParticipation`). */
export async function leaveCollectiveAppointment(
  database: Kysely<Database>,
  request: CancelParticipationRequest,
): Promise<{ readonly ok: true; readonly appointment: BookedAppointment } | Refusal<LeaveRefusalReason>> {
  return cancelInTransaction<'NOT_COLLECTIVE'>(database, request, (appointment) =>
    appointment.isCollective ? null : 'NOT_COLLECTIVE',
  );
}

async function cancelInTransaction<Extra extends string>(
  db: AppointmentsDb,
  request: CancelParticipationRequest,
  precondition: (appointment: AppointmentRow) => Extra | null,
): Promise<{ readonly ok: true; readonly appointment: BookedAppointment } | Refusal<CancelRefusalReason | Extra>> {
  return runInTransaction<{ readonly ok: true; readonly appointment: BookedAppointment } | Refusal<CancelRefusalReason | Extra>>(
    db,
    async (trx) => {
      const loaded = await loadOwnParticipation(trx, request, true);
      if (typeof loaded === 'string') return refuse(loaded);
      const { appointment, participation } = loaded;
      const unmet = precondition(appointment);
      if (unmet !== null) return refuse(unmet);
      const refusal = cancelRefusal(factsOf(appointment, participation), request.now);
      if (refusal !== null) return refuse(refusal);

      // The status machine has the last word (cancelRefusal already checked the usager's deadline).
      const machine = statusChangeRefusal({ from: participation.status, to: 'excused', changer: 'usager', startsAt: appointment.startsAt, now: request.now });
      if (machine !== null) throw new BookingInvariantError(`Annulation refusée par la machine à états : ${machine}`);
      await setParticipationStatus(trx, participation.id, 'excused');
      if (appointment.isCollective) {
        await removeWaitlistEntries(trx, appointment.id, participation.userId);
      } else {
        await setAppointmentStatus(trx, appointment.id, 'excused', cancelledAtFor('excused', request.now));
        await removeWaitlistEntries(trx, appointment.id, null);
      }
      await insertOutboxEvent(trx, 'appointment.cancelled', {
        appointmentId: appointment.id,
        publicId: appointment.publicId,
        participationIds: [participation.id],
        by: 'user',
      });
      await insertAuditEntry(trx, {
        actor: { type: 'user', userId: request.actorUserId ?? request.userId },
        action: 'update',
        subjectType: appointment.isCollective ? 'participation' : 'appointment',
        subjectId: appointment.isCollective ? participation.id : appointment.id,
        territoryId: appointment.territoryId,
        details: { change: 'cancel', status: 'excused', participationId: participation.id },
      });
      return {
        ok: true,
        appointment: {
          ...toBookedAppointment(appointment, participation),
          status: appointment.isCollective ? appointment.status : 'excused',
          participationStatus: 'excused',
        },
      };
    },
    () => {
      throw new BookingInvariantError('Contrainte de chevauchement lors d’une annulation');
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Reschedule
// ---------------------------------------------------------------------------------------------

export interface RescheduleAppointmentRequest {
  readonly appointmentId: number;
  /** The participant. */
  readonly userId: number;
  /** The signed-in usager: the participant or their responsible. Defaults to `userId`. */
  readonly actorUserId?: number;
  readonly newStartsAt: Date;
  /** The agent of the chosen slot; otherwise the current agent if free, else any free agent. */
  readonly agentId?: number | null;
  readonly idempotencyKey: string;
  readonly now: Date;
}

export type RescheduleAppointmentResult = IdempotentResult<RescheduleRefusalReason>;

/**
 * Moves an individual appointment to another slot of the same motif and place, until the motif's
 * reschedule deadline before the ORIGINAL start. One transaction: the agent link is removed (so
 * the engine sees the old slot free), the new slot re-checked, the range moved and the agent
 * linked again; the exclusion constraint protects the new slot, the old one frees itself.
 */
export async function rescheduleAppointment(database: Kysely<Database>, request: RescheduleAppointmentRequest): Promise<RescheduleAppointmentResult> {
  if (!isWellFormedIdempotencyKey(request.idempotencyKey)) return refuse('INVALID_IDEMPOTENCY_KEY');
  const db = database;
  const fingerprint = fingerprintRequest({
    operation: 'reschedule',
    appointmentId: request.appointmentId,
    userId: request.userId,
    actorUserId: request.actorUserId ?? request.userId,
    newStartsAt: request.newStartsAt.toISOString(),
    agentId: request.agentId ?? null,
  });
  const known = await findIdempotencyKey(db, request.idempotencyKey);
  if (known !== undefined) return replayFor(db, known, 'reschedule', fingerprint);
  return runInTransaction<RescheduleAppointmentResult>(db, (trx) => rescheduleInTransaction(trx, request, fingerprint), () => refuse('SLOT_TAKEN'));
}

async function rescheduleInTransaction(trx: AppointmentsDb, request: RescheduleAppointmentRequest, fingerprint: string): Promise<RescheduleAppointmentResult> {
  if ((await findActiveUser(trx, request.userId)) === undefined) return refuse('NOT_FOUND');
  const claim = await claimIdempotencyKey(trx, { key: request.idempotencyKey, operation: 'reschedule', userId: request.userId, fingerprint });
  if ('existing' in claim) return replayFor(trx, claim.existing, 'reschedule', fingerprint);

  const loaded = await loadOwnParticipation(trx, request, true);
  if (typeof loaded === 'string') return refuse(loaded);
  const { appointment, participation } = loaded;
  const refusal = rescheduleRefusal(factsOf(appointment, participation), request.now);
  if (refusal !== null) return refuse(refusal);
  if (request.newStartsAt.getTime() === appointment.startsAt.getTime()) return refuse('SAME_SLOT');
  if (!isWithinBookingWindow(request.newStartsAt, request.now, appointment.type)) return refuse('OUTSIDE_BOOKING_WINDOW');

  const currentAgentId = appointment.agentIds[0];
  if (currentAgentId === undefined) throw new BookingInvariantError(`Rendez-vous ${String(appointment.id)} sans agent`);
  // Unlinking the agent frees the old slot for this transaction's search (and only for it until commit).
  await deleteAppointmentAgents(trx, appointment.id);
  const query = (agentIds: readonly number[] | null): SlotQuery => ({
    type: appointment.type,
    startsAt: request.newStartsAt,
    placeId: appointment.placeId,
    agentIds,
    userId: participation.userId,
    now: request.now,
  });
  const requestedAgentId = request.agentId ?? null;
  let slot: Slot | undefined;
  if (requestedAgentId !== null) {
    slot = await findOfferedSlot(trx, query([requestedAgentId]));
  } else {
    slot = (await findOfferedSlot(trx, query([currentAgentId]))) ?? (await findOfferedSlot(trx, query(null)));
  }
  if (slot === undefined) return refuse(await explainMissingSlot(trx, query(requestedAgentId === null ? null : [requestedAgentId])));
  const agentId = requestedAgentId ?? slot.agentIds[0];
  if (agentId === undefined) throw new BookingInvariantError('Créneau sans agent');

  const endsAt = new Date(request.newStartsAt.getTime() + appointment.type.durationMinutes * MINUTE_MS);
  await moveAppointment(trx, appointment.id, request.newStartsAt, endsAt);
  await insertAppointmentAgent(trx, appointment.id, agentId);
  await insertOutboxEvent(trx, 'appointment.updated', {
    appointmentId: appointment.id,
    publicId: appointment.publicId,
    participationIds: await findParticipationIds(trx, appointment.id),
    by: 'user',
    previousStartsAt: appointment.startsAt.toISOString(),
  });
  await insertAuditEntry(trx, {
    actor: { type: 'user', userId: request.actorUserId ?? request.userId },
    action: 'update',
    subjectType: 'appointment',
    subjectId: appointment.id,
    territoryId: appointment.territoryId,
    details: {
      change: 'reschedule',
      previousStartsAt: appointment.startsAt.toISOString(),
      startsAt: request.newStartsAt.toISOString(),
      previousAgentId: currentAgentId,
      agentId,
    },
  });
  await completeIdempotencyKey(trx, claim.claimedId, { appointmentId: appointment.id, userId: participation.userId });
  return {
    ok: true,
    replayed: false,
    appointment: { ...toBookedAppointment(appointment, participation), agentIds: [agentId], startsAt: request.newStartsAt, endsAt },
  };
}

// ---------------------------------------------------------------------------------------------
// Status changes by the service
// ---------------------------------------------------------------------------------------------

export interface ChangeAppointmentStatusRequest {
  readonly appointmentId: number;
  readonly status: AppointmentStatus;
  /** An agent, an API client or the system: the service's side of the status machine. */
  readonly actor: Exclude<Actor, { type: 'user' } | { type: 'prescripteur' }>;
  readonly now: Date;
}

export type ChangeAppointmentStatusResult =
  | { readonly ok: true; readonly status: AppointmentStatus }
  | Refusal<'NOT_FOUND' | 'SLOT_TAKEN' | StatusChangeRefusal>;

/**
 * Moves an appointment (and its participations that shared its status) along the status machine:
 * seen, noshow, excused, revoked, or back to unknown. Back to unknown re-activates the agent's
 * time: an overlapping appointment taken meanwhile makes it `SLOT_TAKEN` (the constraint decides).
 */
export async function changeAppointmentStatus(db: Kysely<Database>, request: ChangeAppointmentStatusRequest): Promise<ChangeAppointmentStatusResult> {
  return runInTransaction<ChangeAppointmentStatusResult>(
    db,
    async (trx) => {
      const appointment = await findAppointment(trx, request.appointmentId, { lock: true });
      if (appointment === undefined) return refuse('NOT_FOUND');
      const from = appointment.status;
      const refusal = statusChangeRefusal({ from, to: request.status, changer: 'service', startsAt: appointment.startsAt, now: request.now });
      if (refusal !== null) return refuse(refusal);
      await setAppointmentStatus(trx, appointment.id, request.status, cancelledAtFor(request.status, request.now));
      const participationIds = await setActiveParticipationsStatus(trx, appointment.id, from, request.status);
      if (isCancelledStatus(request.status)) await removeWaitlistEntries(trx, appointment.id, null);
      await insertOutboxEvent(trx, isCancelledStatus(request.status) ? 'appointment.cancelled' : 'appointment.updated', {
        appointmentId: appointment.id,
        publicId: appointment.publicId,
        participationIds,
        by: request.actor.type,
        status: request.status,
        ...(request.actor.type === 'agent' ? { actorAgentId: request.actor.agentId } : {}),
      });
      await insertAuditEntry(trx, {
        actor: request.actor,
        action: 'update',
        subjectType: 'appointment',
        subjectId: appointment.id,
        territoryId: appointment.territoryId,
        details: { change: 'status', previousStatus: from, status: request.status },
      });
      return { ok: true, status: request.status };
    },
    () => refuse('SLOT_TAKEN'),
  );
}

// ---------------------------------------------------------------------------------------------
// Waitlist
// ---------------------------------------------------------------------------------------------

export interface SetWaitlistRequest {
  readonly appointmentId: number;
  /** The participant. */
  readonly userId: number;
  /** The signed-in usager: the participant or their responsible. Defaults to `userId`. */
  readonly actorUserId?: number;
  readonly enabled: boolean;
  readonly now: Date;
}

export type SetWaitlistResult = { readonly ok: true; readonly enabled: boolean } | Refusal<WaitlistRefusalReason>;

/** Opts in ("prévenez-moi si un créneau se libère plus tôt") or out; opting out is always allowed. */
export async function setWaitlist(database: Kysely<Database>, request: SetWaitlistRequest): Promise<SetWaitlistResult> {
  const db = database;
  const loaded = await loadOwnParticipation(db, request, false);
  if (typeof loaded === 'string') return refuse(loaded);
  const { appointment, participation } = loaded;
  if (!request.enabled) {
    await removeWaitlistEntries(db, appointment.id, participation.userId);
    return { ok: true, enabled: false };
  }
  const refusal = waitlistRefusal(factsOf(appointment, participation), request.now);
  if (refusal !== null) return refuse(refusal);
  await addWaitlistEntry(db, appointment.id, participation.userId);
  return { ok: true, enabled: true };
}

// ---------------------------------------------------------------------------------------------
// Calendar file
// ---------------------------------------------------------------------------------------------

/**
 * The ICS file of an appointment (after booking, in e-mails), or undefined. SEQUENCE is the
 * appointment's revision: it goes up by one with every change of time, place or status.
 */
export async function getAppointmentCalendarFile(
  database: Kysely<Database>,
  request: { appointmentId: number; uidDomain: string; now: Date },
): Promise<string | undefined> {
  const row = await findAppointmentForCalendar(database, request.appointmentId);
  if (row === undefined) return undefined;
  return buildAppointmentIcs({
    publicId: row.publicId,
    uidDomain: request.uidDomain,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    organisationName: row.organisationName,
    location: describeLocation(row.locationType, row.place),
    cancelled: isCancelledStatus(row.status),
    sequence: row.revision,
    stampedAt: request.now,
  });
}

// Warnings of an appointment made or changed by an agent (ADR 0016). An agent may book outside the
// rules the public funnel enforces — over another appointment, outside opening hours, during an
// absence, twice the same day, in the past — but only knowingly: the command lists the warnings
// and writes nothing until the request acknowledges exactly these warnings. Pure: the use case
// loads the facts (busy time, opening and absence occurrences, the participants' other
// appointments) and this decides.
import { localDayOf, type EpochMinutes } from '../../../shared/time/index.js';

export type AppointmentWarningKind =
  /** The agent holds another active appointment overlapping this one. */
  | 'overlap'
  /** The appointment is not wholly within the agent's opening periods for the motif. */
  | 'outside_opening'
  /** The appointment overlaps an absence of the agent. */
  | 'absence'
  /** The participant already has an active appointment with the same motif that local day. */
  | 'same_motif_same_day'
  /** The appointment starts before now. */
  | 'in_past';

export interface AppointmentWarning {
  readonly kind: AppointmentWarningKind;
  /** Stable identity of the warning, what an acknowledgement names: `overlap:12`, `in_past`. */
  readonly key: string;
  readonly agentId: number | null;
  readonly userId: number | null;
}

/** An interval of an agent's time, in epoch minutes, [startsAt, endsAt). */
export interface AgentTimeInterval {
  readonly agentId: number;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
}

/** Another active appointment of a participant. */
export interface ParticipantAppointment {
  readonly userId: number;
  readonly appointmentTypeId: number;
  readonly startsAtEpochMinutes: EpochMinutes;
}

export interface AppointmentWarningFacts {
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  /** The appointment's zone: "the same day" is a local day there. */
  readonly timeZone: string;
  readonly appointmentTypeId: number;
  readonly agentIds: readonly number[];
  /** Existing participants (new users have no other appointment). */
  readonly userIds: readonly number[];
  /** Null when the start does not change (an update that keeps the time): no "in the past" warning. */
  readonly nowEpochMinutes: EpochMinutes | null;
  /** Other active appointments of the agents (the appointment itself excluded). */
  readonly busy: readonly AgentTimeInterval[];
  /** Occurrences of the agents' opening periods for the motif around the appointment. */
  readonly openings: readonly AgentTimeInterval[];
  /**
   * Occurrences of the agents' opening periods of any motif in the organisation (joint
   * appointments): a second agent who is at work then, beside an agent open for the motif, is
   * not "outside opening hours" (ADR 0023). Empty for a single agent.
   */
  readonly presence?: readonly AgentTimeInterval[];
  /** Occurrences of the agents' absences around the appointment. */
  readonly absences: readonly AgentTimeInterval[];
  /** Other active appointments of the participants (the appointment itself excluded). */
  readonly participantAppointments: readonly ParticipantAppointment[];
}

function overlaps(interval: AgentTimeInterval, startsAt: EpochMinutes, endsAt: EpochMinutes): boolean {
  return interval.startsAtEpochMinutes < endsAt && interval.endsAtEpochMinutes > startsAt;
}

/** Whether the union of the intervals covers [startsAt, endsAt) without a hole. */
function covers(intervals: readonly AgentTimeInterval[], startsAt: EpochMinutes, endsAt: EpochMinutes): boolean {
  const sorted = [...intervals].sort((a, b) => a.startsAtEpochMinutes - b.startsAtEpochMinutes);
  let reached = startsAt;
  for (const interval of sorted) {
    if (interval.startsAtEpochMinutes > reached) break;
    reached = Math.max(reached, interval.endsAtEpochMinutes);
    if (reached >= endsAt) return true;
  }
  return reached >= endsAt;
}

function warning(kind: AppointmentWarningKind, ids: { agentId?: number; userId?: number } = {}): AppointmentWarning {
  const id = ids.agentId ?? ids.userId;
  return { kind, key: id === undefined ? kind : `${kind}:${String(id)}`, agentId: ids.agentId ?? null, userId: ids.userId ?? null };
}

/** The warnings of an appointment, in a stable order: past, then per agent, then per participant. */
export function computeAppointmentWarnings(facts: AppointmentWarningFacts): AppointmentWarning[] {
  const { startsAtEpochMinutes: startsAt, endsAtEpochMinutes: endsAt } = facts;
  const warnings: AppointmentWarning[] = [];
  if (facts.nowEpochMinutes !== null && startsAt < facts.nowEpochMinutes) warnings.push(warning('in_past'));
  const agentIds = [...new Set(facts.agentIds)];
  const openForMotif = new Set(agentIds.filter((agentId) => covers(facts.openings.filter((interval) => interval.agentId === agentId), startsAt, endsAt)));
  const presence = facts.presence ?? [];
  const atWork = (agentId: number): boolean =>
    openForMotif.has(agentId) ||
    ([...openForMotif].some((other) => other !== agentId) && covers(presence.filter((interval) => interval.agentId === agentId), startsAt, endsAt));
  for (const agentId of agentIds) {
    if (facts.busy.some((interval) => interval.agentId === agentId && overlaps(interval, startsAt, endsAt))) {
      warnings.push(warning('overlap', { agentId }));
    }
    if (!atWork(agentId)) {
      warnings.push(warning('outside_opening', { agentId }));
    }
    if (facts.absences.some((interval) => interval.agentId === agentId && overlaps(interval, startsAt, endsAt))) {
      warnings.push(warning('absence', { agentId }));
    }
  }
  const day = localDayOf(facts.timeZone, startsAt);
  for (const userId of [...new Set(facts.userIds)]) {
    const sameDay = facts.participantAppointments.some(
      (other) =>
        other.userId === userId && other.appointmentTypeId === facts.appointmentTypeId && localDayOf(facts.timeZone, other.startsAtEpochMinutes) === day,
    );
    if (sameDay) warnings.push(warning('same_motif_same_day', { userId }));
  }
  return warnings;
}

/** Whether the acknowledged keys are exactly the warnings' keys (no more, no fewer). */
export function acknowledgesExactly(warnings: readonly AppointmentWarning[], acknowledged: readonly string[]): boolean {
  const expected = new Set(warnings.map((item) => item.key));
  const given = new Set(acknowledged);
  if (expected.size !== given.size) return false;
  for (const key of expected) if (!given.has(key)) return false;
  return true;
}

/** The agents whose overlap was acknowledged: their link leaves the exclusion constraint (overlap_allowed). */
export function overriddenOverlapAgentIds(warnings: readonly AppointmentWarning[]): Set<number> {
  const agentIds = new Set<number>();
  for (const item of warnings) if (item.kind === 'overlap' && item.agentId !== null) agentIds.add(item.agentId);
  return agentIds;
}

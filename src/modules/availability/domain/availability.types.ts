// Inputs and outputs of the pure slot engine. They mirror the SQL rows of
// migrations/0001_core_model.sql in camelCase; the repository maps rows to them.
// Instants are integer epoch minutes (see src/shared/time): convert Dates at the edge with
// dateToEpochMinutes / epochMinutesToDate.

import type { EpochMinutes } from '../../../shared/time/index.js';

/** A calendar date 'YYYY-MM-DD' (Postgres `date`). */
export type IsoDate = string;
/** A wall-clock time 'HH:MM' or 'HH:MM:SS' (Postgres `time`). */
export type TimeOfDay = string;

export type LocationType = 'public_office' | 'phone' | 'home' | 'visio';
export type SectorisationLevel = 'departement' | 'organisation' | 'agent';

/** Who is searching: citizens (booking notice applies) or agents (no notice, never the past). */
export type Audience = 'public' | 'agent';

/** One occurrence of an opening period moved to other hours and/or another place. */
export interface OpeningPeriodOverride {
  readonly occurrenceDate: IsoDate;
  readonly startTime: TimeOfDay;
  readonly endTime: TimeOfDay;
  /** null keeps the period's place (the column only records a move). */
  readonly placeId: number | null;
}

/** When an agent can be booked, at a place, for some appointment types ("plage d'ouverture"). */
export interface OpeningPeriod {
  readonly id: number;
  readonly organisationId: number;
  readonly agentId: number;
  readonly placeId: number | null;
  readonly firstDay: IsoDate;
  /** Last day an occurrence may fall on; null = open-ended. Equals firstDay for a one-off period. */
  readonly lastDay: IsoDate | null;
  readonly startTime: TimeOfDay;
  readonly endTime: TimeOfDay;
  /** RFC 5545 RRULE value without the 'RRULE:' prefix (subset: see recurrence.ts); null = one-off. */
  readonly recurrence: string | null;
  readonly excludedDates: readonly IsoDate[];
  readonly overrides: readonly OpeningPeriodOverride[];
  readonly appointmentTypeIds: readonly number[];
  /** Zone of its place, or of its organisation when it has no place. */
  readonly timeZone: string;
}

/** When an agent cannot be booked; each occurrence spans endDay − firstDay days. */
export interface Absence {
  readonly agentId: number;
  readonly firstDay: IsoDate;
  readonly startTime: TimeOfDay;
  readonly endDay: IsoDate;
  readonly endTime: TimeOfDay;
  /** Last day covered by the last occurrence (≥ endDay); null = open-ended. */
  readonly lastDay: IsoDate | null;
  readonly recurrence: string | null;
  readonly excludedDates: readonly IsoDate[];
  readonly timeZone: string;
}

/** Time an agent is already taken: an appointment (any organisation, not excused/revoked). */
export interface BusyInterval {
  readonly agentId: number;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
}

/** The parts of a motif the engine needs. */
export interface AppointmentType {
  readonly id: number;
  readonly durationMinutes: number;
  /** Distance between two consecutive slot starts; null = durationMinutes. */
  readonly slotStepMinutes: number | null;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly minBookingNoticeMinutes: number;
  readonly maxBookingNoticeMinutes: number;
  readonly locationType: LocationType;
  readonly isCollective: boolean;
  readonly isFollowUpOnly: boolean;
  readonly sectorisationLevel: SectorisationLevel;
}

/** What the engine needs of an organisation to close it on public holidays. */
export interface OrganisationCalendar {
  readonly id: number;
  /** Département number of its territory: '77', '2A', '974'… */
  readonly departementNumber: string;
  /** Explicit date-holidays region ('FR', 'FR-GF', 'PM'); null = derived from departementNumber. */
  readonly holidayRegion: string | null;
  /** Holiday keys (date-holidays rules, see holidays.ts) the organisation stays open on. */
  readonly openOnHolidays: readonly string[];
  /** The territory's local closures (territory_closures, ADR 0030): closed like a public holiday, whatever openOnHolidays says. */
  readonly closures?: readonly LocalClosure[];
}

/** A local closure of a territory: every local day from firstDay to lastDay, both included. */
export interface LocalClosure {
  readonly firstDay: IsoDate;
  readonly lastDay: IsoDate;
  readonly label: string;
}

/**
 * Restrictions computed elsewhere (sectorisation, referents, agent-side filters).
 * null or absent = no restriction; an empty list = nothing allowed.
 */
export interface SlotFilters {
  /** Agents allowed: sector-attributed agents, or the agents/teams picked on the agent side. */
  readonly agentIds?: readonly number[] | null;
  readonly placeIds?: readonly number[] | null;
  readonly organisationIds?: readonly number[] | null;
  /**
   * The user's referent agents. For a follow-up-only type they are the only agents allowed;
   * on the public side a follow-up type without referents yields no slot.
   */
  readonly referentAgentIds?: readonly number[] | null;
}

/** A half-open range of instants [startsAt, endsAt). */
export interface InstantRange {
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
}

/** Everything one slot search needs; the caller loads it, the engine does no IO. */
export interface SlotSearchInput {
  readonly audience: Audience;
  readonly nowEpochMinutes: EpochMinutes;
  readonly appointmentType: AppointmentType;
  /** Candidate opening periods (the engine keeps those linked to the appointment type). */
  readonly openingPeriods: readonly OpeningPeriod[];
  /** Absences of the candidate agents, in every organisation. */
  readonly absences: readonly Absence[];
  /** Appointments of the candidate agents, in every organisation. Sorting them by agent then start saves a sort. */
  readonly busyIntervals: readonly BusyInterval[];
  /** Organisations of the candidate periods, for their public holidays. */
  readonly organisations: readonly OrganisationCalendar[];
  /** Slot starts are searched in [startsAt, endsAt) — a week for a listing, the horizon for next availability. Must be finite. */
  readonly window: InstantRange;
  readonly filters?: SlotFilters;
}

/** A bookable start time with the agent(s) and place that make it possible. */
export interface Slot {
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  /** One agent; several for a joint appointment (the first is the one whose grid aligns the slot). */
  readonly agentIds: readonly number[];
  readonly placeId: number | null;
  readonly organisationId: number;
  readonly openingPeriodId: number;
  /** Zone to display the slot in (its place's, or its organisation's). */
  readonly timeZone: string;
}

/** Joint appointment search: every listed agent must be free and open at the same time. */
export interface JointSlotSearchInput extends SlotSearchInput {
  /** Two or more agents; slots align on the first agent's opening occurrences. */
  readonly jointAgentIds: readonly number[];
}

/**
 * Agent-side joint search (ADR 0023): lead agents offer the appointment type; the partner must be
 * present (an opening occurrence of any type, at the same place for office visits, in the same
 * organisation otherwise) and free. Busy time, absences and organisations include the partner's.
 */
export interface PartnerSlotSearchInput extends SlotSearchInput {
  /** The second agent ("binôme"); never a lead agent of its own slot. */
  readonly partnerAgentId: number;
  /** The partner's opening periods, whatever their appointment types (when and where they work). */
  readonly partnerOpeningPeriods: readonly OpeningPeriod[];
}

/** An existing collective appointment, candidate "slot" for a collective type. */
export interface CollectiveAppointment {
  readonly id: number;
  readonly appointmentTypeId: number;
  readonly organisationId: number;
  readonly placeId: number | null;
  readonly agentIds: readonly number[];
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  /** null = unlimited seats. */
  readonly maxParticipants: number | null;
  /** Active participations (not excused/revoked). */
  readonly participantCount: number;
  readonly timeZone: string;
}

export interface CollectiveSlotSearchInput {
  readonly audience: Audience;
  readonly nowEpochMinutes: EpochMinutes;
  readonly appointmentType: AppointmentType;
  readonly collectiveAppointments: readonly CollectiveAppointment[];
  readonly window: InstantRange;
  readonly filters?: SlotFilters;
}

/** A collective appointment with seats left. */
export interface CollectiveSlot {
  readonly appointmentId: number;
  readonly startsAtEpochMinutes: EpochMinutes;
  readonly endsAtEpochMinutes: EpochMinutes;
  readonly agentIds: readonly number[];
  readonly placeId: number | null;
  readonly organisationId: number;
  /** null = unlimited. */
  readonly seatsLeft: number | null;
  readonly timeZone: string;
}

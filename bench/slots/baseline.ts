// The baseline: RDV-Service-Public's slot calculator (research/rdv-service-public.md §5.2),
// rewritten in TypeScript over Créneau's schema so that both calculators run on the same data.
// It keeps the structure that makes the original slow, and only that:
//   1. reduce the window to the booking notice (public side);
//   2. load the candidate plages (opening periods) of the motif intersecting the window;
//   3. expand each plage's occurrences over the window (plain day-by-day RRULE walk);
//   4. FOR EACH OCCURRENCE, query the agent's busy times: its active appointments overlapping the
//      occurrence and its absences around that day (expanded), plus public holidays;
//   5. subtract them from the occurrence recursively, busy times sorted by start;
//   6. cut each free range into slots;
//   7. next availability: per place and motif, successive 7-day windows, each a full
//      calculation, until a slot is found or the horizon ends.
// The two queries of an occurrence run concurrently (RDV-SP's `load_async`).
//
// Semantics deliberately aligned on Créneau's engine (src/modules/availability/README.md) so that
// the results can be compared slot for slot:
// - slot starts are aligned on occurrence start + k·step (step = slot_step_minutes or the
//   duration), not on the start of each free range as RDV-SP did;
// - local wall-clock times are converted with src/shared/time (DST: a time in the spring gap moves
//   forward, an ambiguous one takes its first instant);
// - buffers widen busy ranges ([start − after, end + before)) instead of being ignored;
// - public side: starts in [max(from, now + min notice), min(to, now + max notice + 1));
//   agent side: starts in [max(from, now), to);
// - busy: appointment_agents rows with is_active (not excused/revoked; collective ones included),
//   every organisation; absences of the agent in every organisation; public holidays of the
//   plage's organisation (date-holidays, minus organisations.open_on_holidays) close whole days;
// - excluded_dates skip an occurrence; opening_period_overrides are not read (RDV-SP has none,
//   the generator writes none).

import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import {
  civilFromDayNumber,
  dateToEpochMinutes,
  dayNumberToIsoDate,
  epochMinutesToIso,
  isoDateToDayNumber,
  localDayOf,
  localToEpochMinutes,
  startOfLocalDay,
  timeOfDayToMinutes,
  type DayNumber,
  type EpochMinutes,
} from '../../src/shared/time/index.js';
import type {
  Audience,
  BenchSlot,
  JointSlotSearchRequest,
  NextAvailabilityRequest,
  SlotCalculator,
  SlotSearchRequest,
} from './calculator.js';
import { closedDays } from './holidays.js';
import { occurrenceDays } from './recurrence.js';

interface Motif {
  readonly id: number;
  readonly durationMinutes: number;
  readonly stepMinutes: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly minBookingNoticeMinutes: number;
  readonly maxBookingNoticeMinutes: number;
  readonly requiresPlace: boolean;
  readonly isCollective: boolean;
}

interface Plage {
  readonly id: number;
  readonly agentId: number;
  readonly placeId: number | null;
  readonly firstDay: DayNumber;
  readonly lastDay: DayNumber | null;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly recurrence: string | null;
  readonly excludedDays: ReadonlySet<DayNumber>;
  readonly timeZone: string;
  readonly departementNumber: string;
  readonly holidayRegion: string | null;
  readonly openOnHolidays: readonly string[];
}

/** Allowed slot starts: [minStart, maxStartExclusive). */
interface Bounds {
  readonly minStart: EpochMinutes;
  readonly maxStartExclusive: EpochMinutes;
}

/** One occurrence of a plage and what is left of it once busy times are subtracted. */
interface FreeOccurrence {
  readonly plage: Plage;
  readonly startsAt: EpochMinutes;
  readonly endsAt: EpochMinutes;
  readonly free: readonly Range[];
}

type Range = readonly [EpochMinutes, EpochMinutes];

interface MotifRow {
  id: number;
  duration_minutes: number;
  slot_step_minutes: number | null;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  min_booking_notice_minutes: number;
  max_booking_notice_minutes: number;
  location_type: string;
  is_collective: boolean;
}

interface PlageRow {
  id: number;
  agent_id: number;
  place_id: number | null;
  first_day: string;
  last_day: string | null;
  start_time: string;
  end_time: string;
  recurrence: string | null;
  excluded_dates: string[];
  time_zone: string;
  departement_number: string;
  holiday_region: string | null;
  open_on_holidays: string[];
}

interface AbsenceRow {
  first_day: string;
  start_time: string;
  end_day: string;
  end_time: string;
  last_day: string | null;
  recurrence: string | null;
  excluded_dates: string[];
  time_zone: string;
}

/**
 * Subtracts busy ranges (sorted by start) from [start, end), recursively, as RDV-SP's
 * calculator does: the first overlapping busy range splits the range into what lies before it
 * (final, since later busy ranges start later) and what lies after it (recursed on).
 */
export function subtractBusy(start: EpochMinutes, end: EpochMinutes, busy: readonly Range[], index = 0): Range[] {
  if (start >= end) return [];
  const range = busy[index];
  if (range === undefined) return [[start, end]];
  const [busyStart, busyEnd] = range;
  if (busyEnd <= start) return subtractBusy(start, end, busy, index + 1);
  if (busyStart >= end) return [[start, end]];
  const before: Range[] = busyStart > start ? [[start, busyStart]] : [];
  return before.concat(busyEnd < end ? subtractBusy(busyEnd, end, busy, index + 1) : []);
}

/** Starts origin + k·step with the whole slot inside `free` and the start within bounds. */
export function cutSlots(origin: EpochMinutes, free: Range, durationMinutes: number, stepMinutes: number, bounds: Bounds): EpochMinutes[] {
  const starts: EpochMinutes[] = [];
  const from = Math.max(free[0], bounds.minStart);
  let start = origin + Math.max(0, Math.ceil((from - origin) / stepMinutes)) * stepMinutes;
  for (; start + durationMinutes <= free[1] && start < bounds.maxStartExclusive; start += stepMinutes) starts.push(start);
  return starts;
}

function compareSlots(a: BenchSlot, b: BenchSlot): number {
  return (
    a.startsAtEpochMinutes - b.startsAtEpochMinutes ||
    (a.placeId ?? -1) - (b.placeId ?? -1) ||
    (a.agentIds[0] ?? 0) - (b.agentIds[0] ?? 0)
  );
}

/** RDV-Service-Public's approach over Créneau's database (see the header). */
export class RdvspBaseline implements SlotCalculator {
  readonly name = 'baseline';
  /** Number of SQL queries sent since creation (for the report). */
  queryCount = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async searchSlots(request: SlotSearchRequest): Promise<readonly BenchSlot[]> {
    const motif = await this.loadMotif(request.appointmentTypeId);
    if (motif === null) return [];
    return this.slotsOf(motif, request.audience, request.placeIds, request.agentIds, request.from, request.to, request.now);
  }

  async searchJointSlots(request: JointSlotSearchRequest): Promise<readonly BenchSlot[]> {
    const [leadAgentId, ...otherAgentIds] = request.agentIds;
    if (leadAgentId === undefined || otherAgentIds.length === 0) return [];
    const motif = await this.loadMotif(request.appointmentTypeId);
    if (motif === null) return [];
    const bounds = this.boundsOf(motif, request.audience, request.from, request.to, request.now);
    if (bounds === null) return [];
    // The other agents' free time, computed occurrence by occurrence like the lead's.
    const othersFree: (readonly FreeOccurrence[])[] = [];
    for (const agentId of otherAgentIds) othersFree.push(await this.freeOccurrences(motif, bounds, null, [agentId]));
    const leadOccurrences = await this.freeOccurrences(motif, bounds, null, [leadAgentId]);
    const jointAgentIds = [leadAgentId, ...otherAgentIds];
    const slots: BenchSlot[] = [];
    for (const occurrence of leadOccurrences) {
      for (const free of occurrence.free) {
        for (const start of cutSlots(occurrence.startsAt, free, motif.durationMinutes, motif.stepMinutes, bounds)) {
          const end = start + motif.durationMinutes;
          const everyoneFree = othersFree.every((occurrences) =>
            occurrences.some(
              (other) =>
                (!motif.requiresPlace || other.plage.placeId === occurrence.plage.placeId) &&
                other.free.some(([freeStart, freeEnd]) => freeStart <= start && end <= freeEnd),
            ),
          );
          if (everyoneFree) {
            slots.push({ startsAtEpochMinutes: start, endsAtEpochMinutes: end, agentIds: jointAgentIds, placeId: occurrence.plage.placeId });
          }
        }
      }
    }
    slots.sort(compareSlots);
    return slots.filter(
      (slot, index) =>
        index === 0 ||
        slots[index - 1]?.startsAtEpochMinutes !== slot.startsAtEpochMinutes ||
        slots[index - 1]?.placeId !== slot.placeId,
    );
  }

  async findNextAvailability(request: NextAvailabilityRequest): Promise<ReadonlyMap<number, BenchSlot>> {
    const best = new Map<number, BenchSlot>();
    const now = dateToEpochMinutes(request.now);
    const horizonEnd = dateToEpochMinutes(request.horizonEnd);
    for (const appointmentTypeId of request.appointmentTypeIds) {
      const motif = await this.loadMotif(appointmentTypeId);
      if (motif === null || motif.isCollective) continue;
      // The places offering the motif, then a next-availability search for each of them.
      const places = await this.count(
        sql<{ place_id: number; time_zone: string }>`
          SELECT DISTINCT op.place_id, p.time_zone
          FROM opening_periods op
          JOIN opening_period_appointment_types opat ON opat.opening_period_id = op.id
          JOIN places p ON p.id = op.place_id
          WHERE opat.appointment_type_id = ${appointmentTypeId}
            AND op.place_id = ANY(${[...request.placeIds]}::int8[])
            AND (op.last_day IS NULL OR op.last_day >= ${dayNumberToIsoDate(Math.floor(now / 1440) - 1)}::date)
          ORDER BY op.place_id`.execute(this.db),
      );
      for (const place of places.rows) {
        const lastStart = Math.min(horizonEnd, now + motif.maxBookingNoticeMinutes + 1);
        for (let day = localDayOf(place.time_zone, now); startOfLocalDay(place.time_zone, day) < lastStart; day += 7) {
          const to = Math.min(startOfLocalDay(place.time_zone, day + 7), horizonEnd);
          const slots = await this.slotsOf(
            motif,
            'public',
            [place.place_id],
            null,
            new Date(startOfLocalDay(place.time_zone, day) * 60_000),
            new Date(to * 60_000),
            request.now,
          );
          const first = slots[0];
          if (first !== undefined) {
            const known = best.get(place.place_id);
            if (known === undefined || first.startsAtEpochMinutes < known.startsAtEpochMinutes) best.set(place.place_id, first);
            break;
          }
        }
      }
    }
    return best;
  }

  // --- the calculation ---------------------------------------------------------------------------

  private async slotsOf(
    motif: Motif,
    audience: Audience,
    placeIds: readonly number[] | null,
    agentIds: readonly number[] | null,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<BenchSlot[]> {
    const bounds = this.boundsOf(motif, audience, from, to, now);
    if (bounds === null) return [];
    const slots: BenchSlot[] = [];
    for (const occurrence of await this.freeOccurrences(motif, bounds, placeIds, agentIds)) {
      for (const free of occurrence.free) {
        for (const start of cutSlots(occurrence.startsAt, free, motif.durationMinutes, motif.stepMinutes, bounds)) {
          slots.push({
            startsAtEpochMinutes: start,
            endsAtEpochMinutes: start + motif.durationMinutes,
            agentIds: [occurrence.plage.agentId],
            placeId: occurrence.plage.placeId,
          });
        }
      }
    }
    return slots.sort(compareSlots);
  }

  /** The booking-notice reduction of the window (CreneauxSearch::Range.reduce_range_to_delay). */
  private boundsOf(motif: Motif, audience: Audience, from: Date, to: Date, now: Date): Bounds | null {
    if (motif.isCollective) return null;
    const nowMinutes = dateToEpochMinutes(now);
    const isPublic = audience === 'public';
    const minStart = Math.max(dateToEpochMinutes(from), isPublic ? nowMinutes + motif.minBookingNoticeMinutes : nowMinutes);
    const maxStartExclusive = Math.min(
      dateToEpochMinutes(to),
      isPublic ? nowMinutes + motif.maxBookingNoticeMinutes + 1 : Number.POSITIVE_INFINITY,
    );
    return minStart < maxStartExclusive ? { minStart, maxStartExclusive } : null;
  }

  /** Steps 2–5: candidate plages, their occurrences, and each occurrence minus its busy times. */
  private async freeOccurrences(
    motif: Motif,
    bounds: Bounds,
    placeIds: readonly number[] | null,
    agentIds: readonly number[] | null,
  ): Promise<FreeOccurrence[]> {
    const result: FreeOccurrence[] = [];
    // Local days covering the bounds in any zone on Earth; each plage narrows them in its own zone.
    const fromDay = Math.floor(bounds.minStart / 1440) - 1;
    const toDay = Math.floor((bounds.maxStartExclusive + motif.durationMinutes) / 1440) + 1;
    for (const plage of await this.loadPlages(motif, fromDay, toDay, placeIds, agentIds)) {
      for (const day of occurrenceDays(plage, fromDay, toDay)) {
        const startsAt = localToEpochMinutes(plage.timeZone, day, plage.startMinute);
        const endsAt = localToEpochMinutes(plage.timeZone, day, plage.endMinute);
        // Occurrences already over, or starting after the last allowed start, are dropped.
        if (endsAt <= bounds.minStart || startsAt >= bounds.maxStartExclusive) continue;
        const busy = await this.busyTimes(plage, day, startsAt - motif.bufferBeforeMinutes, endsAt + motif.bufferAfterMinutes);
        const widened = busy.map(([start, end]): Range => [start - motif.bufferAfterMinutes, end + motif.bufferBeforeMinutes]);
        result.push({ plage, startsAt, endsAt, free: subtractBusy(startsAt, endsAt, widened) });
      }
    }
    return result;
  }

  /** Step 4: the agent's busy times around one occurrence, sorted by start. */
  private async busyTimes(plage: Plage, day: DayNumber, from: EpochMinutes, to: EpochMinutes): Promise<Range[]> {
    const [appointments, absences] = await Promise.all([
      this.count(
        sql<{ starts_at: number; ends_at: number }>`
          SELECT floor(extract(epoch FROM lower(during)) / 60)::int8 AS starts_at,
                 ceil(extract(epoch FROM upper(during)) / 60)::int8 AS ends_at
          FROM appointment_agents
          WHERE agent_id = ${plage.agentId} AND is_active
            AND during && tstzrange(${epochMinutesToIso(from)}::timestamptz, ${epochMinutesToIso(to)}::timestamptz)`.execute(this.db),
      ),
      this.count(
        sql<AbsenceRow>`
          SELECT first_day::text, start_time::text, end_day::text, end_time::text, last_day::text, recurrence,
                 excluded_dates::text[] AS excluded_dates, time_zone
          FROM absences
          WHERE agent_id = ${plage.agentId}
            AND active_days && daterange(${dayNumberToIsoDate(day - 1)}::date, ${dayNumberToIsoDate(day + 1)}::date, '[]')`.execute(this.db),
      ),
    ]);
    const busy: Range[] = appointments.rows.map((row) => [row.starts_at, row.ends_at]);
    for (const absence of absences.rows) busy.push(...expandAbsence(absence, day - 1, day + 1));
    // Public holidays are whole-day busy times of the organisation's territory.
    if (closedDays(plage.departementNumber, plage.holidayRegion, plage.openOnHolidays, civilFromDayNumber(day).year).has(day)) {
      busy.push([startOfLocalDay(plage.timeZone, day), startOfLocalDay(plage.timeZone, day + 1)]);
    }
    return busy.filter(([start, end]) => start < to && end > from).sort((a, b) => a[0] - b[0]);
  }

  private async loadPlages(
    motif: Motif,
    fromDay: DayNumber,
    toDay: DayNumber,
    placeIds: readonly number[] | null,
    agentIds: readonly number[] | null,
  ): Promise<Plage[]> {
    const result = await this.count(
      sql<PlageRow>`
        SELECT op.id, op.agent_id, op.place_id, op.first_day::text, op.last_day::text, op.start_time::text, op.end_time::text,
               op.recurrence, op.excluded_dates::text[] AS excluded_dates, COALESCE(p.time_zone, o.time_zone) AS time_zone,
               t.departement_number, t.holiday_region, o.open_on_holidays
        FROM opening_periods op
        JOIN opening_period_appointment_types opat ON opat.opening_period_id = op.id AND opat.appointment_type_id = ${motif.id}
        JOIN organisations o ON o.id = op.organisation_id
        JOIN territories t ON t.id = o.territory_id
        LEFT JOIN places p ON p.id = op.place_id
        WHERE op.active_days && daterange(${dayNumberToIsoDate(fromDay)}::date, ${dayNumberToIsoDate(toDay)}::date, '[]')
          AND (${placeIds === null} OR op.place_id = ANY(${placeIds === null ? [] : [...placeIds]}::int8[]))
          AND (${agentIds === null} OR op.agent_id = ANY(${agentIds === null ? [] : [...agentIds]}::int8[]))
        ORDER BY op.id`.execute(this.db),
    );
    const plages: Plage[] = [];
    for (const row of result.rows) {
      // Office visits need a place; without a place filter, remote types accept place-less plages.
      if (row.place_id === null && (motif.requiresPlace || placeIds !== null)) continue;
      plages.push({
        id: row.id,
        agentId: row.agent_id,
        placeId: row.place_id,
        firstDay: isoDateToDayNumber(row.first_day),
        lastDay: row.last_day === null ? null : isoDateToDayNumber(row.last_day),
        startMinute: timeOfDayToMinutes(row.start_time),
        endMinute: timeOfDayToMinutes(row.end_time),
        recurrence: row.recurrence,
        excludedDays: new Set(row.excluded_dates.map(isoDateToDayNumber)),
        timeZone: row.time_zone,
        departementNumber: row.departement_number,
        holidayRegion: row.holiday_region,
        openOnHolidays: row.open_on_holidays,
      });
    }
    return plages;
  }

  private async loadMotif(appointmentTypeId: number): Promise<Motif | null> {
    const result = await this.count(
      sql<MotifRow>`
        SELECT id, duration_minutes, slot_step_minutes, buffer_before_minutes, buffer_after_minutes,
               min_booking_notice_minutes, max_booking_notice_minutes, location_type, is_collective
        FROM appointment_types WHERE id = ${appointmentTypeId}`.execute(this.db),
    );
    const row = result.rows[0];
    if (row === undefined) return null;
    return {
      id: row.id,
      durationMinutes: row.duration_minutes,
      stepMinutes: row.slot_step_minutes !== null && row.slot_step_minutes > 0 ? row.slot_step_minutes : row.duration_minutes,
      bufferBeforeMinutes: row.buffer_before_minutes,
      bufferAfterMinutes: row.buffer_after_minutes,
      minBookingNoticeMinutes: row.min_booking_notice_minutes,
      maxBookingNoticeMinutes: row.max_booking_notice_minutes,
      requiresPlace: row.location_type === 'public_office',
      isCollective: row.is_collective,
    };
  }

  private count<T>(query: Promise<T>): Promise<T> {
    this.queryCount += 1;
    return query;
  }
}

/** Busy ranges of an absence whose occurrences touch local days [fromDay, toDay]. */
function expandAbsence(absence: AbsenceRow, fromDay: DayNumber, toDay: DayNumber): Range[] {
  const firstDay = isoDateToDayNumber(absence.first_day);
  const spanDays = isoDateToDayNumber(absence.end_day) - firstDay;
  const startMinute = timeOfDayToMinutes(absence.start_time);
  const endMinute = timeOfDayToMinutes(absence.end_time);
  const lastDay = absence.last_day === null ? null : isoDateToDayNumber(absence.last_day) - spanDays;
  const days = occurrenceDays(
    {
      firstDay,
      lastDay: absence.recurrence === null ? firstDay : lastDay,
      recurrence: absence.recurrence,
      excludedDays: new Set(absence.excluded_dates.map(isoDateToDayNumber)),
    },
    fromDay - spanDays,
    toDay,
  );
  return days.map((day): Range => [
    localToEpochMinutes(absence.time_zone, day, startMinute),
    localToEpochMinutes(absence.time_zone, day + spanDays, endMinute),
  ]);
}

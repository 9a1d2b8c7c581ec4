// Builders for the engine's tests: sensible defaults, override what the test is about.

import {
  formatLocalDateTime,
  isoDateToDayNumber,
  localToEpochMinutes,
  startOfLocalDay,
  timeOfDayToMinutes,
  type EpochMinutes,
} from '../../../shared/time/index.js';
import type {
  Absence,
  AppointmentType,
  InstantRange,
  OpeningPeriod,
  OrganisationCalendar,
  Slot,
  SlotSearchInput,
} from './availability.types.js';

export const PARIS = 'Europe/Paris';
export const REUNION = 'Indian/Reunion';
export const CAYENNE = 'America/Cayenne';

/** Instant of a local wall-clock time. */
export function at(timeZone: string, isoDate: string, time: string): EpochMinutes {
  return localToEpochMinutes(timeZone, isoDateToDayNumber(isoDate), timeOfDayToMinutes(time));
}

/** [local midnight of firstDay, local midnight after lastDay) in a zone. */
export function localDays(timeZone: string, firstDay: string, lastDay: string): InstantRange {
  return {
    startsAtEpochMinutes: startOfLocalDay(timeZone, isoDateToDayNumber(firstDay)),
    endsAtEpochMinutes: startOfLocalDay(timeZone, isoDateToDayNumber(lastDay) + 1),
  };
}

/** Slot starts as local 'YYYY-MM-DDTHH:MM' in the slot's own zone. */
export function localStarts(slots: readonly Slot[]): string[] {
  return slots.map((slot) => formatLocalDateTime(slot.timeZone, slot.startsAtEpochMinutes));
}

/** Slot starts as local 'HH:MM'. */
export function localTimes(slots: readonly Slot[]): string[] {
  return localStarts(slots).map((text) => text.slice(11));
}

export function buildAppointmentType(overrides: Partial<AppointmentType> = {}): AppointmentType {
  return {
    id: 1,
    durationMinutes: 60,
    slotStepMinutes: null,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minBookingNoticeMinutes: 0,
    maxBookingNoticeMinutes: 60 * 24 * 365,
    locationType: 'public_office',
    isCollective: false,
    isFollowUpOnly: false,
    sectorisationLevel: 'departement',
    ...overrides,
  };
}

export function buildOpeningPeriod(overrides: Partial<OpeningPeriod> = {}): OpeningPeriod {
  return {
    id: 1,
    organisationId: 1,
    agentId: 1,
    placeId: 1,
    firstDay: '2025-01-06',
    lastDay: null,
    startTime: '08:00',
    endTime: '12:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU',
    excludedDates: [],
    overrides: [],
    appointmentTypeIds: [1],
    timeZone: PARIS,
    ...overrides,
  };
}

export function buildAbsence(overrides: Partial<Absence> = {}): Absence {
  return {
    agentId: 1,
    firstDay: '2025-01-06',
    startTime: '09:00',
    endDay: '2025-01-06',
    endTime: '10:00',
    lastDay: '2025-01-06',
    recurrence: null,
    excludedDates: [],
    timeZone: PARIS,
    ...overrides,
  };
}

export function buildOrganisation(overrides: Partial<OrganisationCalendar> = {}): OrganisationCalendar {
  return { id: 1, departementNumber: '77', holidayRegion: null, openOnHolidays: [], ...overrides };
}

/** A search over local days of Paris, on the agent side, with "now" long before. */
export function buildSearch(overrides: Partial<SlotSearchInput> = {}): SlotSearchInput {
  return {
    audience: 'agent',
    nowEpochMinutes: at(PARIS, '2024-12-01', '00:00'),
    appointmentType: buildAppointmentType(),
    openingPeriods: [buildOpeningPeriod()],
    absences: [],
    busyIntervals: [],
    organisations: [buildOrganisation()],
    window: localDays(PARIS, '2025-01-06', '2025-01-06'),
    ...overrides,
  };
}

// Public API of the availability module: slot search use cases, and the pure engine's types and
// write-time validation for the agenda module.
export {
  findNextAvailabilities,
  searchCollectiveSlots,
  searchCollectiveSlotsOfTypes,
  searchJointSlots,
  searchPartnerSlots,
  searchSlots,
  UnknownAppointmentTypeError,
  type JointSlotRequest,
  type NextAvailabilityRequest,
  type PartnerSlotRequest,
  type SearchFilters,
  type SlotSearchRequest,
} from './availability.use-cases.js';
export { findAgentWorkingTime, type AgentInterval, type AgentWorkingTimeRequest } from './availability.working-time.js';
export {
  HOLIDAY_KEYS,
  compileRecurrence,
  computeLastDay,
  isLocalClosureDay,
  listPublicHolidays,
  listPublicHolidaysOfRegion,
  resolveHolidayRegion,
  nextOccurrenceDay,
  parseRecurrence,
  validateAbsence,
  validateOpeningPeriod,
  type Audience,
  type CollectiveSlot,
  type CompiledRecurrence,
  type FieldError,
  type OpeningPeriodOverride,
  type RecurrenceRule,
  type Slot,
} from './domain/index.js';
// The occurrence expansion of opening periods and absences, for the agenda's read model (the
// same code the engine uses, so the agenda draws exactly the openings the funnel offers).
export { HolidayClosures, expandAbsence, nextOpeningDay, occurrenceOn, prepareOpeningPeriod, type Occurrence } from './domain/occurrences.js';
export type { Absence, LocalClosure, OpeningPeriod, OrganisationCalendar, PublicHoliday } from './domain/index.js';
export { findTerritoryClosures } from './availability.repository.js';

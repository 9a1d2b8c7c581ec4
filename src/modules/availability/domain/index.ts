// Public surface of the pure slot engine (see ../README.md, section "Engine").
export type * from './availability.types.js';
export {
  availabilityGroupOf,
  compareSlots,
  computeJointSlots,
  computePartnerSlots,
  computeSlots,
  dedupePublicSlots,
  findNextAvailability,
  listCollectiveSlots,
  slotGroupKey,
  type AvailabilityGroup,
} from './slot-engine.js';
export {
  HOLIDAY_KEYS,
  closedHolidayDays,
  isLocalClosureDay,
  listPublicHolidays,
  listPublicHolidaysOfRegion,
  resolveHolidayRegion,
  type HolidayRegion,
  type PublicHoliday,
} from './holidays.js';
export {
  computeLastDay,
  validateAbsence,
  validateOpeningPeriod,
  type AbsenceDraft,
  type FieldError,
  type OpeningPeriodDraft,
  type ScheduleWriteValues,
  type ValidationResult,
} from './schedule-validation.js';
export {
  compileRecurrence,
  lastOccurrenceDay,
  nextOccurrenceDay,
  parseRecurrence,
  type CompiledRecurrence,
  type MonthlyByDay,
  type RecurrenceRule,
} from './recurrence.js';

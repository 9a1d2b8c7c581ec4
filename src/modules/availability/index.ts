// Public API of the availability module: slot search use cases, and the pure engine's types and
// write-time validation for the agenda module.
export {
  findNextAvailabilities,
  searchCollectiveSlots,
  searchCollectiveSlotsOfTypes,
  searchJointSlots,
  searchSlots,
  UnknownAppointmentTypeError,
  type JointSlotRequest,
  type NextAvailabilityRequest,
  type SearchFilters,
  type SlotSearchRequest,
} from './availability.use-cases.js';
export { findAgentWorkingTime, type AgentInterval, type AgentWorkingTimeRequest } from './availability.working-time.js';
export {
  HOLIDAY_KEYS,
  computeLastDay,
  listPublicHolidays,
  validateAbsence,
  validateOpeningPeriod,
  type Audience,
  type CollectiveSlot,
  type FieldError,
  type Slot,
} from './domain/index.js';

// Public API of the appointments core: the only write path for appointments and participations
// (book, join, leave, cancel, reschedule, waitlist), the reads other modules need, and the pure
// rules (booking window, deadlines, status machine, agent choice, ICS).
export {
  bookAppointment,
  cancelParticipation,
  changeAppointmentStatus,
  getAppointmentCalendarFile,
  joinCollectiveAppointment,
  leaveCollectiveAppointment,
  rescheduleAppointment,
  setWaitlist,
  type BookAppointmentRequest,
  type BookAppointmentResult,
  type BookedAppointment,
  type BookedBy,
  type CancelParticipationRequest,
  type CancelParticipationResult,
  type ChangeAppointmentStatusRequest,
  type ChangeAppointmentStatusResult,
  type NewRelative,
  type IdempotentResult,
  type JoinCollectiveAppointmentRequest,
  type JoinCollectiveAppointmentResult,
  type PrescripteurIdentity,
  type RescheduleAppointmentRequest,
  type RescheduleAppointmentResult,
  type SetWaitlistRequest,
  type SetWaitlistResult,
} from './appointments.use-cases.js';
export {
  MAX_AGENT_DURATION_MINUTES,
  createAppointmentByAgent,
  previewAgentAppointmentWarnings,
  updateAppointmentByAgent,
  type AgentAppointmentDraft,
  type AgentAppointmentRefusalReason,
  type AgentAppointmentResult,
  type CreateAppointmentByAgentRequest,
  type NewParticipantByAgent,
  type PreviewAgentAppointmentRequest,
  type UpdateAppointmentByAgentRequest,
} from './appointments.agent-commands.js';
export {
  MAX_COLLECTIVE_CAPACITY,
  MAX_COLLECTIVE_TITLE_LENGTH,
  addCollectiveParticipant,
  changeParticipationStatus,
  createCollectiveAppointment,
  removeCollectiveParticipant,
  updateCollectiveAppointment,
  type ChangeParticipationStatusRequest,
  type CollectiveAppointmentDraft,
  type CollectiveParticipantRequest,
  type CollectiveRefusalReason,
  type CollectiveResult,
  type CreateCollectiveAppointmentRequest,
  type ParticipantRefusalReason,
  type ParticipantResult,
  type UpdateCollectiveAppointmentRequest,
} from './appointments.collective-commands.js';
export { findAppointment, findReferentAgentIds, type AppointmentRow, type AppointmentTopic, type AppointmentEventPayload } from './appointments.repository.js';
export {
  BookingInvariantError,
  type BookingRefusalReason,
  type CancelRefusalReason,
  type JoinRefusalReason,
  type LeaveRefusalReason,
  type RescheduleRefusalReason,
  type WaitlistRefusalReason,
} from './appointments.errors.js';
export * from './domain/index.js';
export { APPOINTMENT_REFUSALS, AppointmentRefusalError, type AppointmentRefusalReason, type RefusalAnswer } from './appointments.refusals.js';

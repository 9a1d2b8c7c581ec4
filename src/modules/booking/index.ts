// Public API of the booking module: the public funnel's writes (book, join, cancel, reschedule,
// waitlist), "Mes rendez-vous", token links, prescripteur beneficiaries and the ICS file.
export {
  bookAppointment,
  cancelParticipation,
  getAppointmentCalendarFile,
  joinCollectiveAppointment,
  leaveCollectiveAppointment,
  listUserAppointments,
  rescheduleAppointment,
  setWaitlist,
  type BookAppointmentRequest,
  type BookAppointmentResult,
  type BookedAppointment,
  type BookedBy,
  type CancelParticipationRequest,
  type CancelParticipationResult,
  type IdempotentResult,
  type JoinCollectiveAppointmentRequest,
  type JoinCollectiveAppointmentResult,
  type PrescripteurIdentity,
  type RescheduleAppointmentRequest,
  type RescheduleAppointmentResult,
  type SetWaitlistRequest,
  type SetWaitlistResult,
  type UserAppointments,
  type UserAppointmentView,
} from './booking.use-cases.js';
export {
  consumeAccessToken,
  InvalidAccessTokenRequestError,
  issueAccessToken,
  peekAccessToken,
  revokePendingAccessTokens,
  verifyAppointmentAccess,
  type AppointmentAccess,
  type ConsumedAccessToken,
  type IssueAccessTokenRequest,
  type IssuedAccessToken,
} from './access-tokens.use-cases.js';
export { findOrCreateBeneficiary, type BeneficiaryIdentity, type FindOrCreateBeneficiaryResult } from './beneficiaries.use-cases.js';
export {
  BookingInvariantError,
  type AccessTokenRefusalReason,
  type BeneficiaryRefusalReason,
  type BookingRefusalReason,
  type CancelRefusalReason,
  type JoinRefusalReason,
  type LeaveRefusalReason,
  type Refusal,
  type RescheduleRefusalReason,
  type WaitlistRefusalReason,
} from './booking.errors.js';
export type { AccessTokenPurpose, BookingTables } from './booking.tables.js';
export type { AppointmentEventPayload, AppointmentTopic } from './booking.repository.js';
export {
  DEFAULT_TOKEN_TTL_MINUTES,
  MAX_FAILED_NAME_ATTEMPTS,
  buildAppointmentIcs,
  describeLocation,
  type AppointmentIcsInput,
} from './domain/index.js';
// The public funnel's read side and pages (funnel.*.ts, views/), written alongside.
export * from './funnel.index-exports.js';
export * from './my-appointments.index-exports.js';

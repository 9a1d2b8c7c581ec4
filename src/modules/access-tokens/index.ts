// Public API of the access-tokens module: links sent by e-mail or SMS (appointment access,
// passwordless sign-in, e-mail confirmation, invitations), stored as SHA-256 only.
export {
  consumeAccessToken,
  InvalidAccessTokenRequestError,
  issueAccessToken,
  issueAppointmentAccessTokens,
  peekAccessToken,
  revokePendingAccessTokens,
  verifyAppointmentAccess,
  type AppointmentAccess,
  type AppointmentLinkTarget,
  type ConsumedAccessToken,
  type IssueAccessTokenRequest,
  type IssuedAccessToken,
} from './access-tokens.use-cases.js';
export { findAccessTokenByHash, type AccessTokenRow } from './access-tokens.repository.js';
export {
  DEFAULT_TOKEN_TTL_MINUTES,
  MAX_FAILED_NAME_ATTEMPTS,
  accessTokenProblem,
  hashAccessToken,
  isWellFormedAccessToken,
  type AccessTokenLength,
  type AccessTokenPurpose,
  type AccessTokenRefusalReason,
} from './domain/access-token.js';

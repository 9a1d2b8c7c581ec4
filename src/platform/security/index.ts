export { DEFAULT_SESSION_ABSOLUTE_TIMEOUT_HOURS, registerSecurity, regenerateSession, endSession, sessionCookieName, type SecurityOptions } from './register-security.js';
export { csrfToken, isValidCsrfToken, CsrfRejectedError, CSRF_FIELD_NAME, CSRF_HEADER_NAME } from './csrf.js';
export { CsrfField } from './csrf-field.js';
export { rateLimit, purgeExpiredRateLimitHits, createPostgresRateLimitStore, type RouteRateLimit } from './rate-limit.js';
export { PostgresSessionStore, purgeExpiredSessions } from './session-store.js';
export { hashPassword, verifyPassword, passwordHashNeedsRehash, PASSWORD_HASH_PARAMETERS } from './passwords.js';
export {
  createSecretKeyring,
  encryptSecret,
  decryptSecret,
  isEncryptedWithCurrentKey,
  SecretDecryptionError,
  type SecretKeyring,
} from './secrets.js';
export type { SecurityTables, HttpSessionsTable, RateLimitHitsTable } from './security.tables.js';
export {
  throttleKey,
  countHit,
  claimSignInAttempt,
  clearSignInThrottle,
  purgeExpiredSignInThrottles,
  SIGN_IN_THROTTLE,
  type SignInThrottlePolicy,
  type ThrottleDecision,
} from './throttles.js';

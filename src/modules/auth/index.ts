// Public API of the auth module: usager accounts (sign-in, sign-up, passwordless link, password
// reset) as an encapsulated plugin, the signed-in usager's id, and the return-address rule.
export { authPlugin, currentUserId, requireUser } from './auth.routes.js';
export { checkEmailForm, checkNewPasswordForm, checkPassword, checkSignInForm, PASSWORD_HINT, safeReturnTo, type FieldErrors } from './domain/index.js';

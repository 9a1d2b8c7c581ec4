// Public API of the auth module: usager accounts (sign-in, sign-up, passwordless link, password
// reset) as an encapsulated plugin, the signed-in usager's id, and the return-address rule.
export { authPlugin, currentUserId, requireUser } from './auth.routes.js';
export { checkPassword, PASSWORD_HINT, safeReturnTo } from './domain/index.js';

// Public API of the auth module: usager accounts (sign-in, sign-up, passwordless link).
export { currentUserId, registerAuthRoutes, safeReturnTo } from './auth.routes.js';
export { checkPassword, PASSWORD_HINT } from './domain/index.js';

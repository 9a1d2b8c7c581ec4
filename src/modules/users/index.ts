// Public API of the users directory: the usagers an agent may see (ADR 0019).
export { isKnownUser, knownUsersCondition, usersScopeOf, type UsersScope } from './users-scope.js';

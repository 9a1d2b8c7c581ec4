// Public API of the users directory: the usagers an agent may see (ADR 0019), the directory's
// pages and its search (ADR 0020), the one search of usagers the pickers call too (ADR 0027).
export { isKnownUser, knownUsersCondition, organisationUsersScopeOf, usersScopeOf, type UsersScope } from './users-scope.js';
export { usersPlugin } from './users.plugin.js';
export { searchAndJournalUsers, type UserSearchOptions } from './users.use-cases.js';
export { SEARCH_LIMIT, searchUsers, searchUsersQuery, type UserSearchResult } from './users.repository.js';
export { parseUserSearch, type UserSearchQuery } from './domain/search-query.js';
export { findDuplicates, type Duplicate, type DuplicateVerdict } from './domain/duplicates.js';
export { MAX_READ_REASON_LENGTH, READ_REASON_TTL_MS, checkReadReason, rememberReadReason, rememberedReadReason } from './read-reasons.js';
export { NEW_USER_PARAMETER, ReasonPage, newUserPath } from './views/users-pages.js';
export { USER_FIELD_LABELS } from './domain/user-form.js';

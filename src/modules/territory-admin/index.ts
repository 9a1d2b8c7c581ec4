// Public API of the territory administration (ADR 0030): the plugin app.ts registers, and the pure
// rules other code may want to show (holiday regions, the last-admin rule).
export { territoryAdminPlugin } from './territory-admin.plugin.js';
export { HOLIDAY_REGIONS } from './domain/territory-forms.js';
export { decideRevocation, type RevocationDecision } from './domain/territorial-roles.js';

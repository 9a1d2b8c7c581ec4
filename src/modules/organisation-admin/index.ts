// Public API of organisation administration (ADR 0028): the plugin app.ts registers.
export { organisationAdminPlugin } from './organisation-admin.plugin.js';

// Public API of the sectorisation administration (issue 11 §2, ADR 0031): its pages, under
// /agents/territoires/:territoryId/sectorisation.
export { sectorisationAdminPlugin } from './sectorisation-admin.plugin.js';
export { sectorisationAdminJobs } from './sectorisation-admin.jobs.js';

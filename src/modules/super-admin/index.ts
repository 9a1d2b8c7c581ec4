// Public API of the super admin back office (ADR 0032): its plugin, and the pure rules tests and
// the seed may use (TOTP codes, départements).
export { superAdminPlugin } from './super-admin.plugin.js';
export { totpCodeAt, timeStepOf } from './domain/totp.js';
export { DEPARTEMENTS, findDepartement, type Departement } from './domain/departements.js';
export { appointSuperAdmin, resetSecondFactor, type AppointSuperAdminResult } from './super-admin.operator.js';

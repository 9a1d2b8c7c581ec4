// Exports of "Mes rendez-vous" and the token-link pages, re-exported by index.ts.
export { registerMyAppointmentsRoutes, type AppointmentAccessGrant } from './my-appointments.routes.js';

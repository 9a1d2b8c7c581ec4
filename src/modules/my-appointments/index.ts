// Public API of "Mes rendez-vous": the usager's appointments and the appointment opened from an
// e-mail or SMS link.
export { registerMyAppointmentsRoutes, type AppointmentAccessGrant } from './my-appointments.routes.js';
export { listUserAppointments, type UserAppointmentView, type UserAppointments } from './my-appointments.use-cases.js';

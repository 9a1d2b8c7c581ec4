// Public API of "Mes rendez-vous": the usager's appointments and the appointment opened from an
// e-mail or SMS link.
export { myAppointmentsPlugin } from './my-appointments.plugin.js';
export type { AppointmentAccessGrant } from './my-appointments.routes.js';
export { listUserAppointments, type UserAppointmentView, type UserAppointments } from './my-appointments.use-cases.js';

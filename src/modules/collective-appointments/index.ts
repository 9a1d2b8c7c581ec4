// Public API of the collective appointment pages: the plugin (list, creation, one session, edit).
export { collectiveAppointmentsPlugin } from './collective-appointments.plugin.js';

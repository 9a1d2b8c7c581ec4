// Public API of the agenda: the plugin, the read model and page of the week for the benchmark, and
// the appointment list's filters (fields, reading, checks, SQL condition) for the exports.
export { agendaPlugin } from './agenda.plugin.js';
export { loadAgenda, type AgendaModel, type AgendaRequest } from './agenda.use-cases.js';
export { AgendaPage } from './views/agenda-page.js';
export { appointmentListFilterFields } from './agenda.schemas.js';
export { listTimeZoneOf, readAppointmentListFilters, type AppointmentListFilterInput, type AppointmentListSelection, type ListFormValues } from './appointment-list-filters.js';
export { resolveAppointmentListFilters, type ResolvedListFilters } from './agenda.use-cases.js';
export { appointmentListCondition, type AppointmentListFilters } from './agenda.repository.js';
export { statusDisplay, type AppointmentStatus } from './domain/appointment-status.js';

// Public API of the agenda: the plugin, and the read model and page of the week for the benchmark.
export { agendaPlugin } from './agenda.plugin.js';
export { loadAgenda, type AgendaModel, type AgendaRequest } from './agenda.use-cases.js';
export { AgendaPage } from './views/agenda-page.js';

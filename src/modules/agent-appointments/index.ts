// Public API of the agent appointment pages: the plugin (creation wizard, detail, status, edit).
export { agentAppointmentsPlugin } from './agent-appointments.plugin.js';

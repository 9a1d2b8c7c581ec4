// Public API of the agent appointment pages: the plugin (creation wizard, detail, status, edit).
export { agentAppointmentsPlugin } from './agent-appointments.plugin.js';
// The organisation's enabled places and its agents, as the scheduling forms list them (collective appointments reuse them).
export { findOrganisationAgents, findPlaces, type AgentOption, type PlaceOption } from './agent-appointments.repository.js';

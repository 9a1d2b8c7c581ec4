// Public API of agents administration and teams (ADR 0029): the plugin only.
export { organisationAgentsPlugin } from './organisation-agents.plugin.js';

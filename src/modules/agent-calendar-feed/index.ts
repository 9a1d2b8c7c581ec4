// Public API of the agents' personal calendar feed (issue 8 part 6): the plugin app.ts registers.
export { agentCalendarFeedPlugin } from './agent-calendar-feed.plugin.js';

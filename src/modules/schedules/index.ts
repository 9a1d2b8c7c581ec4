// Public API of the schedules module: the agent workspace's opening periods and absences (plugin),
// and the pure rules other modules may show (plain-French descriptions, single-occurrence edits).
export { schedulesPlugin } from './schedules.plugin.js';
export { describeAbsence, describeSchedule } from './domain/recurrence-form.js';
export { applyOccurrenceEdit, listOccurrences, type OccurrenceEdit, type OccurrenceView, type PeriodSchedule } from './domain/occurrence-edits.js';

// Pure time helpers: local calendar days, times of day, and zone ↔ UTC conversion with a
// documented DST policy. No IO, no wall clock, no machine zone.
export * from './calendar-date.js';
export * from './zoned-time.js';
export * from './vtimezone.js';

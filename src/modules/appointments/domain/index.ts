// Pure rules of the appointments core.
export * from './agent-choice.js';
export * from './booking-rules.js';
export * from './ics.js';
export * from './request-fingerprint.js';
export * from './status-machine.js';
export * from './agent-warnings.js';

// Pure rules of the appointments core.
export * from './booking-rules.js';
export * from './ics.js';
export * from './request-fingerprint.js';

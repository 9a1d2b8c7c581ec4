// Pure rules of the booking module.
export * from './booking-rules.js';
export * from './ics.js';
export * from './person-name.js';
export * from './request-fingerprint.js';
export * from './access-token.js';

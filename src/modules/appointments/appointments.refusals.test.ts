import { describe, expect, it } from 'vitest';
import { APPOINTMENT_REFUSALS, AppointmentRefusalError } from './appointments.refusals.js';

describe('refusals of the appointments core, as HTTP', () => {
  it('answers every refusal with a client status and a French message', () => {
    for (const [reason, answer] of Object.entries(APPOINTMENT_REFUSALS)) {
      expect([404, 409, 422], reason).toContain(answer.statusCode);
      expect(answer.message, reason).toMatch(/^\p{Lu}.+\.$/u);
    }
  });

  it('answers a foreign or unknown appointment with 404, so ids cannot be probed', () => {
    expect(APPOINTMENT_REFUSALS.NOT_ALLOWED).toEqual(APPOINTMENT_REFUSALS.NOT_FOUND);
    expect(APPOINTMENT_REFUSALS.NOT_FOUND.statusCode).toBe(404);
  });

  it('carries the status and message of its reason to the error handler', () => {
    const error = new AppointmentRefusalError('SLOT_TAKEN');
    expect(error.statusCode).toBe(409);
    expect(error.publicMessage).toBe(APPOINTMENT_REFUSALS.SLOT_TAKEN.message);
    expect(error.reason).toBe('SLOT_TAKEN');
  });
});

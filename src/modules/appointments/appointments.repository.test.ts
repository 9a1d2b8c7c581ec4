import { describe, expect, it } from 'vitest';
import { isOverlapViolation, isRetryableConflict, toRange } from './appointments.repository.js';

describe('isOverlapViolation', () => {
  it('recognises the agent overlap exclusion constraint, and only it', () => {
    expect(isOverlapViolation({ code: '23P01', constraint: 'agent_has_no_overlapping_individual_appointments' })).toBe(true);
    expect(isOverlapViolation({ code: '23P01', constraint: 'another_exclusion' })).toBe(false);
    expect(isOverlapViolation({ code: '23505', constraint: 'agent_has_no_overlapping_individual_appointments' })).toBe(false);
    expect(isOverlapViolation(new Error('boom'))).toBe(false);
    expect(isOverlapViolation(null)).toBe(false);
  });
});

describe('toRange', () => {
  it('writes a half-open tstzrange literal', () => {
    expect(toRange(new Date('2026-12-01T09:00:00Z'), new Date('2026-12-01T09:30:00Z'))).toBe('[2026-12-01T09:00:00.000Z,2026-12-01T09:30:00.000Z)');
  });
});

describe('isRetryableConflict', () => {
  it('retries deadlock victims and serialisation failures only', () => {
    expect(isRetryableConflict({ code: '40P01' })).toBe(true);
    expect(isRetryableConflict({ code: '40001' })).toBe(true);
    expect(isRetryableConflict({ code: '23P01' })).toBe(false);
    expect(isRetryableConflict('40P01')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { AppointmentStatus } from './booking-rules.js';
import { cancelledAtFor, statusChangeRefusal, type StatusChangeRefusal, type StatusChanger } from './status-machine.js';

const STARTS_AT = new Date('2026-12-01T09:00:00Z');
const BEFORE = new Date('2026-12-01T08:00:00Z');
const AFTER = new Date('2026-12-01T09:30:00Z');

// from, to, changer, now, expected (null = allowed)
const TABLE: readonly [AppointmentStatus, AppointmentStatus, StatusChanger, Date, StatusChangeRefusal | null][] = [
  // upcoming appointment
  ['unknown', 'excused', 'usager', BEFORE, null],
  ['unknown', 'excused', 'service', BEFORE, null],
  ['unknown', 'revoked', 'service', BEFORE, null],
  ['unknown', 'revoked', 'usager', BEFORE, 'NOT_ALLOWED_FOR_USAGER'],
  ['unknown', 'seen', 'service', BEFORE, 'NOT_STARTED_YET'],
  ['unknown', 'noshow', 'service', BEFORE, 'NOT_STARTED_YET'],
  ['unknown', 'unknown', 'service', BEFORE, 'UNCHANGED'],
  // begun or past
  ['unknown', 'seen', 'service', AFTER, null],
  ['unknown', 'seen', 'service', STARTS_AT, null],
  ['unknown', 'noshow', 'service', AFTER, null],
  ['unknown', 'seen', 'usager', AFTER, 'NOT_ALLOWED_FOR_USAGER'],
  ['seen', 'noshow', 'service', AFTER, null],
  ['noshow', 'seen', 'service', AFTER, null],
  ['seen', 'excused', 'service', AFTER, 'TRANSITION_NOT_ALLOWED'],
  ['seen', 'revoked', 'service', AFTER, 'TRANSITION_NOT_ALLOWED'],
  ['noshow', 'excused', 'usager', AFTER, 'TRANSITION_NOT_ALLOWED'],
  // back to unknown, from every status, by the service only
  ['seen', 'unknown', 'service', AFTER, null],
  ['noshow', 'unknown', 'service', AFTER, null],
  ['excused', 'unknown', 'service', BEFORE, null],
  ['revoked', 'unknown', 'service', BEFORE, null],
  ['excused', 'unknown', 'usager', BEFORE, 'NOT_ALLOWED_FOR_USAGER'],
  // cancelled stays cancelled until put back to unknown
  ['excused', 'revoked', 'service', BEFORE, 'TRANSITION_NOT_ALLOWED'],
  ['revoked', 'excused', 'usager', BEFORE, 'TRANSITION_NOT_ALLOWED'],
  ['excused', 'excused', 'usager', BEFORE, 'UNCHANGED'],
  ['revoked', 'seen', 'service', AFTER, 'TRANSITION_NOT_ALLOWED'],
];

describe('status machine', () => {
  it.each(TABLE)('%s → %s by the %s: %s', (from, to, changer, now, expected) => {
    expect(statusChangeRefusal({ from, to, changer, startsAt: STARTS_AT, now })).toBe(expected);
  });

  it('covers every pair of statuses in the table above', () => {
    const statuses: AppointmentStatus[] = ['unknown', 'seen', 'noshow', 'excused', 'revoked'];
    const allowedByService = statuses.flatMap((from) =>
      statuses.filter((to) => statusChangeRefusal({ from, to, changer: 'service', startsAt: STARTS_AT, now: AFTER }) === null).map((to) => `${from}→${to}`),
    );
    expect(allowedByService.sort()).toEqual(
      ['unknown→seen', 'unknown→noshow', 'unknown→excused', 'unknown→revoked', 'seen→unknown', 'seen→noshow', 'noshow→unknown', 'noshow→seen', 'excused→unknown', 'revoked→unknown'].sort(),
    );
  });

  it('sets cancelled_at exactly for the cancelled statuses', () => {
    expect(cancelledAtFor('excused', AFTER)).toEqual(AFTER);
    expect(cancelledAtFor('revoked', AFTER)).toEqual(AFTER);
    expect(cancelledAtFor('seen', AFTER)).toBeNull();
    expect(cancelledAtFor('unknown', AFTER)).toBeNull();
  });
});

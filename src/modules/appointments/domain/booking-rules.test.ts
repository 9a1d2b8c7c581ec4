import { describe, expect, it } from 'vitest';
import {
  canActFor,
  cancelRefusal,
  isBookableOnlineBy,
  isWithinBookingWindow,
  notificationFlagsFor,
  rescheduleRefusal,
  waitlistRefusal,
  type AppointmentFacts,
} from './booking-rules.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const HOUR_MS = 3_600_000;
const inHours = (hours: number): Date => new Date(NOW.getTime() + hours * HOUR_MS);

function facts(overrides: Partial<AppointmentFacts> = {}): AppointmentFacts {
  return {
    startsAt: inHours(24 * 10),
    appointmentStatus: 'unknown',
    participationStatus: 'unknown',
    isCollective: false,
    createdByType: 'user',
    agentCount: 1,
    bookableBy: 'everyone',
    locationType: 'public_office',
    cancelDeadlineMinutes: 240,
    rescheduleDeadlineMinutes: 2880,
    ...overrides,
  };
}

describe('isBookableOnlineBy', () => {
  it('opens only "everyone" motifs to usagers, and every non-agent motif to prescripteurs', () => {
    expect(isBookableOnlineBy('everyone', 'user')).toBe(true);
    expect(isBookableOnlineBy('agents_and_prescripteurs_and_invited_users', 'user')).toBe(false);
    expect(isBookableOnlineBy('agents', 'user')).toBe(false);
    expect(isBookableOnlineBy('agents_and_prescripteurs', 'prescripteur')).toBe(true);
    expect(isBookableOnlineBy('agents_and_prescripteurs_and_invited_users', 'prescripteur')).toBe(true);
    expect(isBookableOnlineBy('everyone', 'prescripteur')).toBe(true);
    expect(isBookableOnlineBy('agents', 'prescripteur')).toBe(false);
  });
});

describe('isWithinBookingWindow', () => {
  const window = { minBookingNoticeMinutes: 30, maxBookingNoticeMinutes: 60 * 24 * 90 };
  it('accepts starts from now + min to now + max, both included', () => {
    expect(isWithinBookingWindow(inHours(0.5), NOW, window)).toBe(true);
    expect(isWithinBookingWindow(inHours(24 * 90), NOW, window)).toBe(true);
  });
  it('refuses starts sooner than the minimum notice or later than the maximum', () => {
    expect(isWithinBookingWindow(inHours(0.49), NOW, window)).toBe(false);
    expect(isWithinBookingWindow(inHours(24 * 90 + 0.01), NOW, window)).toBe(false);
    expect(isWithinBookingWindow(inHours(-1), NOW, window)).toBe(false);
  });
});

describe('cancelRefusal', () => {
  it('allows cancelling until the deadline before the start, deadline included', () => {
    expect(cancelRefusal(facts({ startsAt: inHours(4) }), NOW)).toBeNull();
    expect(cancelRefusal(facts({ startsAt: inHours(3.99) }), NOW)).toBe('DEADLINE_PASSED');
    expect(cancelRefusal(facts({ startsAt: inHours(-1) }), NOW)).toBe('DEADLINE_PASSED');
  });
  it('refuses cancelling what is already cancelled or settled by the agent', () => {
    expect(cancelRefusal(facts({ participationStatus: 'excused' }), NOW)).toBe('ALREADY_CANCELLED');
    expect(cancelRefusal(facts({ appointmentStatus: 'revoked' }), NOW)).toBe('ALREADY_CANCELLED');
    expect(cancelRefusal(facts({ participationStatus: 'seen' }), NOW)).toBe('STATUS_FINAL');
  });
  it('lets a participant leave a collective session with the same deadline', () => {
    expect(cancelRefusal(facts({ isCollective: true, startsAt: inHours(5) }), NOW)).toBeNull();
  });
});

describe('rescheduleRefusal', () => {
  it('allows moving an individual appointment booked online until two days before', () => {
    expect(rescheduleRefusal(facts({ startsAt: inHours(48) }), NOW)).toBeNull();
    expect(rescheduleRefusal(facts({ startsAt: inHours(47) }), NOW)).toBe('DEADLINE_PASSED');
  });
  it('refuses collective, agent-set, joint and not-bookable-online appointments', () => {
    expect(rescheduleRefusal(facts({ isCollective: true }), NOW)).toBe('COLLECTIVE_APPOINTMENT');
    expect(rescheduleRefusal(facts({ createdByType: 'agent' }), NOW)).toBe('BOOKED_BY_AGENT');
    expect(rescheduleRefusal(facts({ agentCount: 2 }), NOW)).toBe('JOINT_APPOINTMENT');
    expect(rescheduleRefusal(facts({ bookableBy: 'agents_and_prescripteurs' }), NOW)).toBe('NOT_BOOKABLE_ONLINE');
    expect(rescheduleRefusal(facts({ appointmentStatus: 'excused', participationStatus: 'excused' }), NOW)).toBe('ALREADY_CANCELLED');
  });
  it('lets a prescripteur-booked appointment be moved by its usager', () => {
    expect(rescheduleRefusal(facts({ createdByType: 'prescripteur' }), NOW)).toBeNull();
  });
});

describe('waitlistRefusal', () => {
  it('accepts individual office, phone and visio appointments at least seven days away', () => {
    expect(waitlistRefusal(facts({ startsAt: inHours(24 * 7) }), NOW)).toBeNull();
    expect(waitlistRefusal(facts({ locationType: 'phone' }), NOW)).toBeNull();
    expect(waitlistRefusal(facts({ startsAt: inHours(24 * 7 - 1) }), NOW)).toBe('TOO_SOON');
  });
  it('refuses home visits, collective sessions and motifs closed to online booking', () => {
    expect(waitlistRefusal(facts({ locationType: 'home' }), NOW)).toBe('HOME_VISIT');
    expect(waitlistRefusal(facts({ isCollective: true }), NOW)).toBe('COLLECTIVE_APPOINTMENT');
    expect(waitlistRefusal(facts({ bookableBy: 'agents' }), NOW)).toBe('NOT_BOOKABLE_ONLINE');
  });
});

describe('notificationFlagsFor and canActFor', () => {
  it('notifies only for visible-and-notified motifs', () => {
    expect(notificationFlagsFor('visible_and_notified')).toEqual({ sendLifecycleNotifications: true, sendReminderNotification: true });
    expect(notificationFlagsFor('visible_and_not_notified')).toEqual({ sendLifecycleNotifications: false, sendReminderNotification: false });
    expect(notificationFlagsFor('invisible')).toEqual({ sendLifecycleNotifications: false, sendReminderNotification: false });
  });
  it('lets a usager act for themself and their relatives only', () => {
    expect(canActFor(1, { id: 1, responsibleId: null })).toBe(true);
    expect(canActFor(1, { id: 2, responsibleId: 1 })).toBe(true);
    expect(canActFor(3, { id: 2, responsibleId: 1 })).toBe(false);
  });
});

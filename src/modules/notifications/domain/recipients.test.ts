import { describe, expect, it } from 'vitest';
import { agentRecipients, isNotifiable, isSoon, userRecipients, type ParticipantFacts, type ReachableUser } from './recipients.js';

const participant = (overrides: Partial<ParticipantFacts> = {}): ParticipantFacts => ({
  participationId: 1,
  userId: 10,
  recipientUserId: 10,
  active: true,
  sendLifecycleNotifications: true,
  sendReminderNotification: true,
  ...overrides,
});
const reachable = (entries: ReachableUser[]) => new Map(entries.map((entry) => [entry.userId, entry]));

describe('usagers to tell', () => {
  it('each reachable channel once, a relative’s messages to their responsible', () => {
    const recipients = userRecipients({
      event: 'appointment_created',
      participants: [participant({ participationId: 1, userId: 11, recipientUserId: 10 }), participant({ participationId: 2, userId: 12, recipientUserId: 10 })],
      reachable: reachable([{ userId: 10, canMail: true, canSms: true }]),
      cancelledByUser: false,
    });
    expect(recipients).toEqual([
      { kind: 'user', event: 'appointment_created', userId: 10, channel: 'mail' },
      { kind: 'user', event: 'appointment_created', userId: 10, channel: 'sms' },
    ]);
  });

  it('follows the participation’s flags: lifecycle for changes, reminder for reminders', () => {
    const quiet = participant({ sendLifecycleNotifications: false, sendReminderNotification: true });
    const both = reachable([{ userId: 10, canMail: true, canSms: false }]);
    expect(userRecipients({ event: 'appointment_updated', participants: [quiet], reachable: both, cancelledByUser: false })).toEqual([]);
    expect(userRecipients({ event: 'reminder', participants: [quiet], reachable: both, cancelledByUser: false })).toHaveLength(1);
  });

  it('a usager who cancels gets the e-mail, not the SMS; inactive participations hear only of their cancellation', () => {
    const cancelled = participant({ active: false });
    const both = reachable([{ userId: 10, canMail: true, canSms: true }]);
    expect(userRecipients({ event: 'appointment_cancelled', participants: [cancelled], reachable: both, cancelledByUser: true }).map((r) => r.channel)).toEqual(['mail']);
    expect(userRecipients({ event: 'appointment_cancelled', participants: [cancelled], reachable: both, cancelledByUser: false }).map((r) => r.channel)).toEqual(['mail', 'sms']);
    expect(userRecipients({ event: 'reminder', participants: [cancelled], reachable: both, cancelledByUser: false })).toEqual([]);
  });

  it('nobody without a way to be reached', () => {
    expect(userRecipients({ event: 'appointment_created', participants: [participant()], reachable: reachable([{ userId: 10, canMail: false, canSms: false }]), cancelledByUser: false })).toEqual([]);
    expect(userRecipients({ event: 'appointment_created', participants: [participant()], reachable: new Map(), cancelledByUser: false })).toEqual([]);
  });
});

describe('agents to tell', () => {
  const now = new Date('2026-12-02T09:00:00Z');
  const agents = [
    { agentId: 1, level: 'all' as const, hasEmail: true },
    { agentId: 2, level: 'others' as const, hasEmail: true },
    { agentId: 3, level: 'soon' as const, hasEmail: true },
    { agentId: 4, level: 'none' as const, hasEmail: true },
    { agentId: 5, level: 'all' as const, hasEmail: false },
  ];
  const ids = (startsAt: Date, actorAgentId: number | null, previousStartsAt: Date | null = null) =>
    agentRecipients({ event: 'appointment_updated', agents, actorAgentId, startsAt, previousStartsAt, timeZone: 'Europe/Paris', now }).map((recipient) => recipient.agentId);

  it('by level, never without an e-mail address', () => {
    const inAWeek = new Date('2026-12-09T09:00:00Z');
    expect(ids(inAWeek, null)).toEqual([1, 2]);
    expect(ids(inAWeek, 2)).toEqual([1]);
    expect(ids(inAWeek, 1)).toEqual([1, 2]);
  });

  it('`soon`: others’ changes to an appointment today or tomorrow in its zone, before or after the change', () => {
    const tomorrowEvening = new Date('2026-12-03T21:30:00Z'); // 22:30 in Paris, still tomorrow
    expect(ids(tomorrowEvening, null)).toEqual([1, 2, 3]);
    expect(ids(tomorrowEvening, 3)).toEqual([1, 2]);
    const movedAway = new Date('2026-12-20T09:00:00Z');
    expect(ids(movedAway, null, tomorrowEvening)).toEqual([1, 2, 3]);
    // The day after tomorrow in Paris is not soon, even when UTC says otherwise.
    expect(isSoon({ startsAt: new Date('2026-12-03T23:30:00Z'), previousStartsAt: null, timeZone: 'Europe/Paris', now })).toBe(false);
    expect(isSoon({ startsAt: new Date('2026-12-03T19:30:00Z'), previousStartsAt: null, timeZone: 'Indian/Reunion', now })).toBe(true);
  });
});

describe('what may be notified at all', () => {
  const now = new Date('2026-12-02T09:00:00Z');
  it('neither an invisible motif nor an appointment that has started', () => {
    expect(isNotifiable({ visibility: 'visible_and_notified', startsAt: new Date('2026-12-02T09:01:00Z'), now })).toBe(true);
    expect(isNotifiable({ visibility: 'visible_and_not_notified', startsAt: new Date('2026-12-02T09:01:00Z'), now })).toBe(true);
    expect(isNotifiable({ visibility: 'invisible', startsAt: new Date('2026-12-05T09:00:00Z'), now })).toBe(false);
    expect(isNotifiable({ visibility: 'visible_and_notified', startsAt: now, now })).toBe(false);
  });
});

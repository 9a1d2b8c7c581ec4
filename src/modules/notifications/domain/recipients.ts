/**
 * Who hears about an appointment event, on which channel (research/rdv-service-public.md §4.1).
 * Pure: the planner loads the facts, this decides, the planner writes one notification per
 * (event, recipient, channel) under an idempotency key.
 *
 * - Nothing is sent for an appointment that has started, nor for a motif marked invisible.
 * - Usagers: the participations the event concerns, whose lifecycle flag (or reminder flag) is
 *   on; a relative's messages go to their responsible; e-mail when they have an address and
 *   accept e-mail, SMS when they have a mobile number and accept SMS. A usager who cancelled
 *   gets the e-mail only (they know; an SMS would cost for nothing).
 * - Agents (e-mail only) by their level: `all`, `others` (changes made by someone else), `soon`
 *   (others' changes to an appointment today or tomorrow, before or after the change), `none`.
 */
import { localDayOf, dateToEpochMinutes } from '../../../shared/time/index.js';
import type { AppointmentEvent } from './message-facts.js';

export type Channel = 'mail' | 'sms';
export type Visibility = 'visible_and_notified' | 'visible_and_not_notified' | 'invisible';
export type AgentNotificationLevel = 'all' | 'others' | 'soon' | 'none';

export interface ParticipantFacts {
  readonly participationId: number;
  readonly userId: number;
  /** The usager's messages go to this person (a relative's responsible), or to the usager. */
  readonly recipientUserId: number;
  readonly active: boolean;
  readonly sendLifecycleNotifications: boolean;
  readonly sendReminderNotification: boolean;
}

export interface ReachableUser {
  readonly userId: number;
  readonly canMail: boolean;
  readonly canSms: boolean;
}

export interface AgentFacts {
  readonly agentId: number;
  readonly level: AgentNotificationLevel;
  readonly hasEmail: boolean;
}

export interface UserRecipient {
  readonly kind: 'user';
  readonly event: AppointmentEvent;
  readonly userId: number;
  readonly channel: Channel;
}

export interface AgentRecipient {
  readonly kind: 'agent';
  readonly event: AppointmentEvent;
  readonly agentId: number;
  readonly channel: 'mail';
}

export type Recipient = UserRecipient | AgentRecipient;

export interface UserAudience {
  readonly event: AppointmentEvent;
  /** Participations this event is about (the others hear nothing). */
  readonly participants: readonly ParticipantFacts[];
  readonly reachable: ReadonlyMap<number, ReachableUser>;
  /** `appointment_cancelled` by the usager themself: e-mail only. */
  readonly cancelledByUser: boolean;
}

/** The usagers' recipients of one event, deduplicated (a parent of two children gets one message). */
export function userRecipients(audience: UserAudience): UserRecipient[] {
  const flag = audience.event === 'reminder' ? 'sendReminderNotification' : 'sendLifecycleNotifications';
  const seen = new Set<string>();
  const recipients: UserRecipient[] = [];
  for (const participant of audience.participants) {
    if (!participant[flag]) continue;
    // A cancellation concerns participations that were just cancelled; everything else, active ones.
    if (audience.event !== 'appointment_cancelled' && !participant.active) continue;
    const reachable = audience.reachable.get(participant.recipientUserId);
    if (reachable === undefined) continue;
    const channels: Channel[] = [];
    if (reachable.canMail) channels.push('mail');
    if (reachable.canSms && !(audience.event === 'appointment_cancelled' && audience.cancelledByUser)) channels.push('sms');
    for (const channel of channels) {
      const key = `${String(reachable.userId)}:${channel}`;
      if (seen.has(key)) continue;
      seen.add(key);
      recipients.push({ kind: 'user', event: audience.event, userId: reachable.userId, channel });
    }
  }
  return recipients;
}

export interface AgentAudience {
  readonly event: AppointmentEvent;
  readonly agents: readonly AgentFacts[];
  /** The agent who made the change; null when a usager, a prescripteur or the system did. */
  readonly actorAgentId: number | null;
  /** Start of the appointment, and before the change (updates). */
  readonly startsAt: Date;
  readonly previousStartsAt: Date | null;
  readonly timeZone: string;
  readonly now: Date;
}

/** Whether the appointment (before or after the change) falls today or tomorrow in its zone. */
export function isSoon(audience: Pick<AgentAudience, 'startsAt' | 'previousStartsAt' | 'timeZone' | 'now'>): boolean {
  const today = localDayOf(audience.timeZone, dateToEpochMinutes(audience.now));
  const days = [audience.startsAt, audience.previousStartsAt].filter((date): date is Date => date !== null).map((date) => localDayOf(audience.timeZone, dateToEpochMinutes(date)));
  return days.some((day) => day === today || day === today + 1);
}

/** The agents' recipients of one event (e-mail), by their notification level. */
export function agentRecipients(audience: AgentAudience): AgentRecipient[] {
  const soon = isSoon(audience);
  return audience.agents
    .filter((agent) => {
      if (!agent.hasEmail) return false;
      const byThemself = audience.actorAgentId === agent.agentId;
      switch (agent.level) {
        case 'none':
          return false;
        case 'all':
          return true;
        case 'others':
          return !byThemself;
        case 'soon':
          return !byThemself && soon;
      }
    })
    .map((agent) => ({ kind: 'agent' as const, event: audience.event, agentId: agent.agentId, channel: 'mail' as const }));
}

/** Whether anyone may hear about this appointment at all. */
export function isNotifiable(input: { readonly visibility: Visibility; readonly startsAt: Date; readonly now: Date }): boolean {
  return input.visibility !== 'invisible' && input.startsAt.getTime() > input.now.getTime();
}

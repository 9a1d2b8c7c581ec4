// French words of the collective appointment pages: statuses of a participant and seats.
import type { AppointmentStatus } from '../../appointments/index.js';

/** A participant's status as the agent reads it (`unknown` depends on whether the session has begun). */
export function participantStatusLabel(status: AppointmentStatus, started: boolean): string {
  switch (status) {
    case 'unknown':
      return started ? 'À renseigner' : 'Inscrit';
    case 'seen':
      return 'Présent';
    case 'noshow':
      return 'Absent non excusé';
    case 'excused':
      return 'Excusé';
    case 'revoked':
      return 'Annulé par le service';
  }
}

/** The choice offered to move a participant to this status. */
export const STATUS_CHOICES: Readonly<Record<AppointmentStatus, string>> = {
  unknown: 'Remettre « à renseigner » (réinscrire)',
  seen: 'Présent',
  noshow: 'Absent non excusé',
  excused: 'Excusé',
  revoked: 'Annulé par le service',
};

/** "3 / 8" or "3 (sans limite)": seats taken over the capacity. */
export function seatsLabel(participantCount: number, maxParticipants: number | null): string {
  return maxParticipants === null ? `${String(participantCount)} (sans limite)` : `${String(participantCount)} / ${String(maxParticipants)}`;
}

/** Whether no seat is left. */
export function isFull(participantCount: number, maxParticipants: number | null): boolean {
  return maxParticipants !== null && participantCount >= maxParticipants;
}

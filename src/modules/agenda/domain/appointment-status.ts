// How an appointment's status reads in the agenda and the list: French text and a DSFR icon, so
// that it never depends on colour alone. An appointment not yet marked reads "À venir" before it
// starts and "À renseigner" once it has started (RDV-Service-Public's wording).
import type { EpochMinutes } from '../../../shared/time/index.js';

export type AppointmentStatus = 'unknown' | 'seen' | 'noshow' | 'excused' | 'revoked';

/** The statuses as the list's filter names them in URLs. */
export const STATUS_FILTERS = ['a-venir', 'a-renseigner', 'vu', 'absent', 'excuse', 'annule'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface StatusDisplay {
  readonly filter: StatusFilter;
  readonly label: string;
  /** DSFR icon class. */
  readonly icon: string;
  /** Whether the appointment no longer occupies its time (excused or cancelled). */
  readonly isCancelled: boolean;
}

const DISPLAYS: Readonly<Record<StatusFilter, StatusDisplay>> = {
  'a-venir': { filter: 'a-venir', label: 'À venir', icon: 'fr-icon-time-line', isCancelled: false },
  'a-renseigner': { filter: 'a-renseigner', label: 'À renseigner', icon: 'fr-icon-question-line', isCancelled: false },
  vu: { filter: 'vu', label: 'Vu', icon: 'fr-icon-checkbox-circle-line', isCancelled: false },
  absent: { filter: 'absent', label: 'Absent non excusé', icon: 'fr-icon-close-circle-line', isCancelled: false },
  excuse: { filter: 'excuse', label: 'Excusé', icon: 'fr-icon-arrow-go-back-line', isCancelled: true },
  annule: { filter: 'annule', label: 'Annulé', icon: 'fr-icon-close-line', isCancelled: true },
};

/** The filter (and display) of a status at `now`. */
export function statusFilterOf(status: AppointmentStatus, startsAt: EpochMinutes, now: EpochMinutes): StatusFilter {
  switch (status) {
    case 'unknown':
      return startsAt <= now ? 'a-renseigner' : 'a-venir';
    case 'seen':
      return 'vu';
    case 'noshow':
      return 'absent';
    case 'excused':
      return 'excuse';
    case 'revoked':
      return 'annule';
  }
}

/** Text and icon of an appointment's status at `now`. */
export function statusDisplay(status: AppointmentStatus, startsAt: EpochMinutes, now: EpochMinutes): StatusDisplay {
  return DISPLAYS[statusFilterOf(status, startsAt, now)];
}

/** Text and icon of a filter value (the list's select). */
export function statusFilterDisplay(filter: StatusFilter): StatusDisplay {
  return DISPLAYS[filter];
}

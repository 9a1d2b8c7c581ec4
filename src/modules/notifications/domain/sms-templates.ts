// SMS texts (owned by the "sms text" helper): GSM-7, one segment for a reminder, never the motif.
import type { AppointmentMessageFacts } from './message-facts.js';

/** The SMS text of an appointment event, already normalised to GSM-7. */
export function renderSms(facts: AppointmentMessageFacts): string {
  throw new Error(`renderSms is not written yet (${facts.event})`);
}

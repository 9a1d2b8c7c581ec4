// E-mails about appointments (owned by the "mail" helper): French HTML + text, ICS REQUEST/CANCEL.
import type { AppointmentMessageFacts, RenderedMail } from './message-facts.js';

export function renderMail(facts: AppointmentMessageFacts, options: { readonly stampedAt: Date }): RenderedMail {
  throw new Error(`renderMail is not written yet (${facts.event}, ${options.stampedAt.toISOString()})`);
}

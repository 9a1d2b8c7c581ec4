/**
 * What a message about an appointment says, gathered by the pipeline at sending time from the
 * database (so a message always shows the appointment as it is now). Templates are pure functions
 * of these facts: mail-templates.ts (e-mail + ICS), sms-templates.ts (one GSM-7 segment).
 */
/** Where the appointment happens (the motif's location type). */
export type LocationType = 'public_office' | 'phone' | 'home' | 'visio';

export type AppointmentEvent = 'appointment_created' | 'appointment_updated' | 'appointment_cancelled' | 'reminder' | 'waitlist_offer';

export interface AppointmentMessageFacts {
  readonly event: AppointmentEvent;
  /** Usagers get a token link and no agent-only detail; agents get the motif and the workspace link. */
  readonly audience: 'user' | 'agent';
  /** The appointment's public id: the ICS UID is `<publicId>@<uidDomain>`. */
  readonly publicId: string;
  readonly uidDomain: string;
  /** ICS SEQUENCE: the appointment's revision counter. */
  readonly sequence: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** IANA zone of the place (or organisation): every time shown is in it. */
  readonly timeZone: string;
  /** `appointment_updated`: the start before the change (null when only the place changed). */
  readonly previousStartsAt: Date | null;
  /** `waitlist_offer`: the earlier slot offered. */
  readonly offeredStartsAt: Date | null;
  /** Short service name (`PMI`, `Service social`): what an SMS names instead of the motif. */
  readonly serviceShortName: string;
  /** The motif's name: e-mails only (never SMS, never the ICS title); agents always, usagers in the body. */
  readonly motifName: string;
  readonly organisationName: string;
  readonly organisationPhone: string | null;
  readonly locationType: LocationType;
  /** Null for phone/visio/home appointments. */
  readonly place: { readonly name: string; readonly address: string } | null;
  /** Who the appointment is for when the recipient is the responsible of relatives (first names). */
  readonly beneficiaryFirstNames: readonly string[];
  /** Display names of the agents (`Marie Dupont`). */
  readonly agentNames: readonly string[];
  /** Collective appointments: their title (may be null). */
  readonly collectiveTitle: string | null;
  /** Absolute URL: the usager's token link, or the agent's appointment page. Null: no link. */
  readonly link: string | null;
  /** `appointment_cancelled`: the usager cancelled it themselves (the message then says so). */
  readonly cancelledByUser: boolean;
  /** The motif's instructions for the usager (what to bring…), e-mails only. */
  readonly instructions: string | null;
}

/** A rendered e-mail; the ICS is attached twice by the pipeline (attachment + text/calendar part). */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** RFC 5545 text with METHOD REQUEST or CANCEL; null when the event has no calendar (waitlist offer). */
  readonly ics: { readonly method: 'REQUEST' | 'CANCEL'; readonly content: string } | null;
}

import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildFacts, MOTIF } from './mail-facts.test-builders.js';
import type { AppointmentMessageFacts } from './message-facts.js';
import { buildNotificationIcs, icsMethodOf, type NotificationIcsOptions } from './notification-ics.js';

const OPTIONS: NotificationIcsOptions = {
  stampedAt: new Date('2026-11-24T09:00:00Z'),
  organizerAddress: 'ne-pas-repondre@rdv.example.fr',
  attendeeAddress: 'jeanne.martin@example.fr',
};

interface ParsedInvitation {
  readonly method: unknown;
  readonly calendar: ICAL.Component;
  readonly vevent: ICAL.Component;
  readonly event: ICAL.Event;
}

/** Reads the file with ical.js (an independent parser), registering the file's own VTIMEZONEs. */
function parse(content: string): ParsedInvitation {
  const calendar = new ICAL.Component(ICAL.parse(content) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const vevents = calendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  const vevent = vevents[0]!;
  return { method: calendar.getFirstPropertyValue('method'), calendar, vevent, event: new ICAL.Event(vevent) };
}

function icsOf(facts: AppointmentMessageFacts): { method: string; content: string } {
  const ics = buildNotificationIcs(facts, OPTIONS);
  expect(ics).not.toBeNull();
  return ics!;
}

describe('buildNotificationIcs', () => {
  it('asks calendars to add or update the event for created, updated and reminder (METHOD:REQUEST)', () => {
    for (const event of ['appointment_created', 'appointment_updated', 'reminder'] as const) {
      const ics = icsOf(buildFacts({ event, sequence: 2, previousStartsAt: new Date('2026-11-30T09:30:00Z') }));
      expect(ics.method).toBe('REQUEST');
      const parsed = parse(ics.content);
      expect(parsed.method).toBe('REQUEST');
      expect(parsed.event.uid).toBe('0f8fad5bd9cb469fa16570867728950e@rdv.example.fr');
      expect(parsed.event.sequence).toBe(2);
      expect(parsed.vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    }
  });

  it('cancels the same event with METHOD:CANCEL and STATUS:CANCELLED, keeping the UID', () => {
    const ics = icsOf(buildFacts({ event: 'appointment_cancelled', sequence: 3 }));
    expect(ics.method).toBe('CANCEL');
    const parsed = parse(ics.content);
    expect(parsed.method).toBe('CANCEL');
    expect(parsed.event.uid).toBe('0f8fad5bd9cb469fa16570867728950e@rdv.example.fr');
    expect(parsed.event.sequence).toBe(3);
    expect(parsed.vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(parsed.vevent.getFirstProperty('organizer')).not.toBeNull();
  });

  it('attaches no calendar to a waitlist offer (nothing is booked yet)', () => {
    expect(icsMethodOf('waitlist_offer')).toBeNull();
    expect(buildNotificationIcs(buildFacts({ event: 'waitlist_offer', offeredStartsAt: new Date('2026-11-26T09:00:00Z') }), OPTIONS)).toBeNull();
  });

  it('titles the event with the organisation and never writes the motif anywhere in the file', () => {
    for (const audience of ['user', 'agent'] as const) {
      for (const event of ['appointment_created', 'appointment_updated', 'appointment_cancelled', 'reminder'] as const) {
        const ics = icsOf(buildFacts({ event, audience, instructions: `Pour le ${MOTIF}`, collectiveTitle: null }));
        const parsed = parse(ics.content);
        expect(parsed.event.summary).toBe('Rendez-vous – MDS de Melun');
        expect(ics.content.replace(/\r\n /g, '')).not.toContain(MOTIF);
        expect(ics.content.replace(/\r\n /g, '')).not.toContain('Suivi');
      }
    }
  });

  it('names the place in LOCATION and keeps the usager’s token link out of the file', () => {
    const ics = icsOf(buildFacts());
    const parsed = parse(ics.content);
    expect(parsed.event.location).toBe('Maison des solidarités, 20 quai Hippolyte Rossignol, 77000 Melun');
    expect(ics.content).not.toContain('/r/abcdefghijkl');
    expect(parsed.event.description).toContain('01 64 10 20 30');
    const agent = parse(icsOf(buildFacts({ audience: 'agent', link: 'https://rdv.example.fr/agent/rdv/42' })).content);
    expect(agent.event.description).toContain('https://rdv.example.fr/agent/rdv/42');
    expect(parse(icsOf(buildFacts({ locationType: 'phone', place: null })).content).event.location).toBe('Par téléphone');
  });

  it('has the organizer (a no-reply address named after the organisation) and the recipient as the one attendee, no answer expected', () => {
    const { vevent } = parse(icsOf(buildFacts()).content);
    const organizer = vevent.getFirstProperty('organizer');
    expect(organizer?.getFirstValue()).toBe('mailto:ne-pas-repondre@rdv.example.fr');
    expect(organizer?.getParameter('cn')).toBe('MDS de Melun');
    const attendees = vevent.getAllProperties('attendee');
    expect(attendees).toHaveLength(1);
    expect(attendees[0]?.getFirstValue()).toBe('mailto:jeanne.martin@example.fr');
    expect(attendees[0]?.getParameter('rsvp')).toBe('FALSE');
    expect(attendees[0]?.getParameter('partstat')).toBe('ACCEPTED');
    expect(attendees[0]?.getParameter('cn')).toBeUndefined();
  });

  it.each([
    // [zone, instant, local hour:minute]
    ['Europe/Paris', '2026-12-01T09:30:00Z', '10:30'],
    ['Europe/Paris', '2026-07-01T08:00:00Z', '10:00'],
    // the days DST starts and ends in 2027, and January before the first change of the year
    ['Europe/Paris', '2027-03-28T08:00:00Z', '10:00'],
    ['Europe/Paris', '2027-10-31T09:00:00Z', '10:00'],
    ['Europe/Paris', '2027-01-04T08:00:00Z', '09:00'],
    ['Indian/Reunion', '2026-12-01T06:30:00Z', '10:30'],
    ['Indian/Mayotte', '2026-12-01T07:30:00Z', '10:30'],
    ['America/Guadeloupe', '2026-12-01T14:00:00Z', '10:00'],
    ['America/Martinique', '2026-07-01T14:00:00Z', '10:00'],
    ['America/Cayenne', '2026-12-01T13:00:00Z', '10:00'],
  ])('writes %s times in the zone’s wall clock with its VTIMEZONE, read back as the same instant (%s)', (timeZone, startsAtIso, localTime) => {
    const startsAt = new Date(startsAtIso);
    const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
    const ics = icsOf(buildFacts({ timeZone, startsAt, endsAt }));
    expect(ics.content).toContain(`DTSTART;TZID=${timeZone}:`);
    const parsed = parse(ics.content);
    expect(parsed.calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual([timeZone]);
    expect(parsed.event.startDate.zone.tzid).toBe(timeZone);
    expect(`${String(parsed.event.startDate.hour).padStart(2, '0')}:${String(parsed.event.startDate.minute).padStart(2, '0')}`).toBe(localTime);
    expect(parsed.event.startDate.toJSDate().toISOString()).toBe(startsAt.toISOString());
    expect(parsed.event.endDate.toJSDate().toISOString()).toBe(endsAt.toISOString());
  });

  it('describes Paris with its two yearly rules and overseas zones with one fixed offset', () => {
    const paris = icsOf(buildFacts()).content;
    expect(paris).toContain('BEGIN:DAYLIGHT');
    expect(paris).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    expect(paris).toContain('RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU');
    const reunion = icsOf(buildFacts({ timeZone: 'Indian/Reunion' })).content;
    expect(reunion).not.toContain('DAYLIGHT');
    expect(reunion).toContain('TZOFFSETTO:+0400');
    expect(icsOf(buildFacts({ timeZone: 'America/Guadeloupe' })).content).toContain('TZOFFSETTO:-0400');
  });

  it('falls back to UTC times when the zone is unknown to the runtime', () => {
    const ics = icsOf(buildFacts({ timeZone: 'Mars/Olympus_Mons' }));
    expect(ics.content).toContain('\r\nDTSTART:20261201T093000Z\r\n');
    expect(ics.content).not.toContain('VTIMEZONE');
    expect(parse(ics.content).event.startDate.toJSDate().toISOString()).toBe('2026-12-01T09:30:00.000Z');
  });

  it('keeps hostile names inert: escaped text, quoted parameter, CRLF lines of at most 75 octets', () => {
    const organisationName = 'MDS "Nord"; Melun, <b>\r\nATTENDEE:mailto:espion@example.com';
    const ics = icsOf(buildFacts({ organisationName, place: { name: 'Salle 1;2,3\\4', address: 'Rue\nBEGIN:VALARM' }, organisationPhone: '01\r\nX-INJECT:1' }));
    for (const line of ics.content.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(ics.content.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const parsed = parse(ics.content);
    expect(parsed.vevent.getAllProperties('attendee')).toHaveLength(1);
    expect(parsed.vevent.getAllSubcomponents('valarm')).toHaveLength(0);
    expect(parsed.vevent.getFirstPropertyValue('x-inject')).toBeNull();
    expect(parsed.event.summary).toBe('Rendez-vous – MDS "Nord"; Melun, <b> ATTENDEE:mailto:espion@example.com');
    expect(parsed.event.location).toBe('Salle 1;2,3\\4, Rue BEGIN:VALARM');
    expect(parsed.vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe("MDS 'Nord'; Melun, <b> ATTENDEE:mailto:espion@example.com");
  });

  it('refuses an address that is not one plain mailbox, without quoting it', () => {
    expect(() => buildNotificationIcs(buildFacts(), { ...OPTIONS, attendeeAddress: 'a@b.fr\r\nATTENDEE:mailto:c@d.fr' })).toThrow(/^Adresse de participant invalide/);
    expect(() => buildNotificationIcs(buildFacts(), { ...OPTIONS, organizerAddress: 'x;y@b.fr' })).toThrow(/^Adresse d’organisateur invalide/);
  });
});

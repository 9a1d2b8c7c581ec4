import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  absenceEvent,
  appointmentEvent,
  appointmentSummary,
  buildCalendarFeed,
  dateTimeProperty,
  detailLevelOf,
  feedWindow,
  personInitials,
  type CalendarEvent,
  type FeedAppointment,
} from './calendar-feed.js';

const DOMAIN = 'rdv.example.fr';
const STAMP = new Date('2026-11-24T09:00:00Z');

const APPOINTMENT: FeedAppointment = {
  publicId: '0f8fad5bd9cb469fa16570867728950e',
  startsAt: new Date('2026-11-24T09:00:00Z'),
  endsAt: new Date('2026-11-24T09:30:00Z'),
  timeZone: 'Europe/Paris',
  status: 'unknown',
  revision: 2,
  isCollective: false,
  motifName: 'Accompagnement RSA',
  locationType: 'public_office',
  place: { name: 'MDS de Melun', address: '20 quai Hippolyte Rossignol, 77000 Melun' },
  participants: [{ firstName: 'Camille', lastName: 'Durand' }],
};

const utf8Length = (line: string): number => new TextEncoder().encode(line).length;
const unfold = (text: string): string => text.replace(/\r\n /g, '');

/** Parses a feed with ical.js, registering the feed's own VTIMEZONEs (ical.js ships no zone data). */
function parseFeed(text: string): { calendar: ICAL.Component; events: ICAL.Event[] } {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent)) };
}

function eventAt(startsAt: string, timeZone: string, uid: string): CalendarEvent {
  const start = new Date(startsAt);
  return appointmentEvent({ ...APPOINTMENT, publicId: uid, startsAt: start, endsAt: new Date(start.getTime() + 45 * 60_000), timeZone }, 'minimal', DOMAIN);
}

describe('appointment summaries by detail level', () => {
  it('says only "Rendez-vous" and the place by default: no motif, no name', () => {
    expect(appointmentSummary(APPOINTMENT, 'minimal')).toBe('Rendez-vous — MDS de Melun');
  });
  it('adds the motif, the initials, or both, as the agent chose', () => {
    expect(appointmentSummary(APPOINTMENT, 'motif')).toBe('Rendez-vous : Accompagnement RSA — MDS de Melun');
    expect(appointmentSummary(APPOINTMENT, 'initials')).toBe('Rendez-vous — MDS de Melun (C. D.)');
    expect(appointmentSummary(APPOINTMENT, 'motif_and_initials')).toBe('Rendez-vous : Accompagnement RSA — MDS de Melun (C. D.)');
  });
  it('shows at most three participants’ initials, then a count', () => {
    const participants = ['Ana Bo', 'Carl Dee', 'Eve Fay', 'Gus Hal', 'Ida Jo'].map((name) => ({ firstName: name.split(' ')[0] ?? '', lastName: name.split(' ')[1] ?? '' }));
    expect(appointmentSummary({ ...APPOINTMENT, isCollective: true, participants }, 'initials')).toBe('Rendez-vous collectif — MDS de Melun (A. B., C. D., E. F. et 2 autres)');
  });
  it('never writes a usager’s address for a home visit', () => {
    const event = appointmentEvent({ ...APPOINTMENT, locationType: 'home', place: null }, 'motif_and_initials', DOMAIN);
    expect(event.summary).toBe('Rendez-vous : Accompagnement RSA — à domicile (C. D.)');
    expect(event.location).toBe('À domicile');
  });
  it('marks a revoked or excused appointment as cancelled', () => {
    for (const status of ['revoked', 'excused'] as const) {
      const event = appointmentEvent({ ...APPOINTMENT, status }, 'minimal', DOMAIN);
      expect(event.cancelled).toBe(true);
      expect(event.summary).toBe('Annulé — Rendez-vous — MDS de Melun');
    }
  });
  it('reads the two checkboxes as a level', () => {
    expect(detailLevelOf({ showsMotif: false, showsInitials: false })).toBe('minimal');
    expect(detailLevelOf({ showsMotif: true, showsInitials: false })).toBe('motif');
    expect(detailLevelOf({ showsMotif: false, showsInitials: true })).toBe('initials');
    expect(detailLevelOf({ showsMotif: true, showsInitials: true })).toBe('motif_and_initials');
  });
});

describe('personInitials', () => {
  it('keeps one letter per name part, accents and hyphens included', () => {
    expect(personInitials({ firstName: 'Camille', lastName: 'Durand' })).toBe('C. D.');
    expect(personInitials({ firstName: 'Marie-Josée', lastName: 'Payet' })).toBe('M.-J. P.');
    expect(personInitials({ firstName: 'élodie', lastName: 'Ébrard' })).toBe('É. É.');
    expect(personInitials({ firstName: '  Jean  Luc ', lastName: 'Hoarau' })).toBe('J. H.');
  });
});

describe('dateTimeProperty', () => {
  it('writes the wall time of the zone with its TZID, in winter, in summer and in La Réunion', () => {
    expect(dateTimeProperty('DTSTART', new Date('2026-11-24T09:00:00Z'), 'Europe/Paris')).toBe('DTSTART;TZID=Europe/Paris:20261124T100000');
    expect(dateTimeProperty('DTSTART', new Date('2026-07-01T07:30:00Z'), 'Europe/Paris')).toBe('DTSTART;TZID=Europe/Paris:20260701T093000');
    expect(dateTimeProperty('DTEND', new Date('2026-11-24T05:00:00Z'), 'Indian/Reunion')).toBe('DTEND;TZID=Indian/Reunion:20261124T090000');
  });
  it('writes UTC for both 02:30 of the autumn night (clients disagree on which one a TZID time means) and for an unknown zone', () => {
    expect(dateTimeProperty('DTSTART', new Date('2026-10-25T00:30:00Z'), 'Europe/Paris')).toBe('DTSTART:20261025T003000Z');
    expect(dateTimeProperty('DTSTART', new Date('2026-10-25T00:00:00Z'), 'Europe/Paris')).toBe('DTSTART:20261025T000000Z');
    expect(dateTimeProperty('DTSTART', new Date('2026-10-24T23:30:00Z'), 'Europe/Paris')).toBe('DTSTART;TZID=Europe/Paris:20261025T013000');
    expect(dateTimeProperty('DTSTART', new Date('2026-10-25T02:00:00Z'), 'Europe/Paris')).toBe('DTSTART;TZID=Europe/Paris:20261025T030000');
    expect(dateTimeProperty('DTSTART', new Date('2026-10-25T01:30:00Z'), 'Europe/Paris')).toBe('DTSTART:20261025T013000Z');
    expect(dateTimeProperty('DTSTART', new Date('2026-10-25T01:30:00Z'), 'Mars/Olympus_Mons')).toBe('DTSTART:20261025T013000Z');
  });
});

describe('buildCalendarFeed', () => {
  it('writes a VCALENDAR with its headers, one VTIMEZONE per zone used, CRLF lines', () => {
    const text = buildCalendarFeed({
      calendarName: 'Créneau — Nadia Benali',
      events: [eventAt('2026-11-24T09:00:00Z', 'Europe/Paris', 'a'.repeat(32)), eventAt('2026-11-24T05:00:00Z', 'Indian/Reunion', 'b'.repeat(32)), eventAt('2026-11-25T09:00:00Z', 'Europe/Paris', 'c'.repeat(32))],
      stampedAt: STAMP,
    });
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Créneau//Agenda personnel//FR\r\nCALSCALE:GREGORIAN\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text).toContain('\r\nX-WR-CALNAME:Créneau — Nadia Benali\r\n');
    expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(2);
    expect(text).toContain('\r\nTZID:Europe/Paris\r\n');
    expect(text).toContain('\r\nTZID:Indian/Reunion\r\n');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(text).toContain(`\r\nUID:rdv-${'a'.repeat(32)}@rdv.example.fr\r\n`);
    expect(text).toContain('\r\nSEQUENCE:2\r\n');
    expect(text).toContain('\r\nDTSTAMP:20261124T090000Z\r\n');
    expect(text).toContain('\r\nCLASS:PRIVATE\r\n');
  });

  it('writes no VTIMEZONE and no event for an empty window', () => {
    const text = buildCalendarFeed({ calendarName: 'Créneau', events: [], stampedAt: STAMP });
    expect(text).not.toContain('VTIMEZONE');
    expect(text).not.toContain('VEVENT');
    expect(parseFeed(text).events).toHaveLength(0);
  });

  it('escapes commas, semicolons, backslashes and line breaks of text values', () => {
    const absence = absenceEvent({ absenceId: 7, title: 'Formation; site A, salle \\2\nétage 3', timeZone: 'Europe/Paris', startsAt: Date.parse('2026-12-04T13:00:00Z') / 60_000, endsAt: Date.parse('2026-12-04T15:00:00Z') / 60_000 }, DOMAIN);
    const text = unfold(buildCalendarFeed({ calendarName: 'Créneau', events: [absence], stampedAt: STAMP }));
    expect(text).toContain('\r\nSUMMARY:Absence — Formation\\; site A\\, salle \\\\2\\nétage 3\r\n');
    expect(text).toContain('\r\nUID:absence-7-20261204@rdv.example.fr\r\n');
    expect(parseFeed(text).events[0]?.summary).toBe('Absence — Formation; site A, salle \\2\nétage 3');
  });

  it('folds lines at 75 octets without cutting a multi-byte character', () => {
    const place = { name: 'Maison départementale des solidarités — pôle éducation, santé et prévention « Sud »', address: '1 rue de l’Église, 77300 Fontainebleau' };
    const text = buildCalendarFeed({ calendarName: 'Créneau — Éloïse Dubœuf-Müller', events: [appointmentEvent({ ...APPOINTMENT, place }, 'motif', DOMAIN)], stampedAt: STAMP });
    const lines = text.split('\r\n');
    for (const line of lines) {
      expect(utf8Length(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
    }
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    const [event] = parseFeed(text).events;
    expect(event?.summary).toBe(`Rendez-vous : Accompagnement RSA — ${place.name}`);
    expect(event?.location).toBe(`${place.name}, ${place.address}`);
  });

  it('is read back by ical.js with the right instants through a spring DST week in Paris and in La Réunion', () => {
    // Monday 23 to Sunday 29 March 2026 (summer time starts on the Sunday at 02:00), 09:00 local.
    const paris = ['2026-03-23T08:00:00Z', '2026-03-24T08:00:00Z', '2026-03-25T08:00:00Z', '2026-03-26T08:00:00Z', '2026-03-27T08:00:00Z', '2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z'];
    const reunion = ['2026-03-27T05:00:00Z', '2026-03-30T05:00:00Z'];
    const events = [...paris.map((at, index) => eventAt(at, 'Europe/Paris', `p${String(index)}`.padEnd(32, '0'))), ...reunion.map((at, index) => eventAt(at, 'Indian/Reunion', `r${String(index)}`.padEnd(32, '0')))];
    const text = buildCalendarFeed({ calendarName: 'Créneau', events, stampedAt: STAMP });
    const parsed = parseFeed(text).events;
    expect(parsed).toHaveLength(10);
    for (const event of parsed) {
      const original = events.find((candidate) => candidate.uid === event.uid);
      expect(original, event.uid).toBeDefined();
      expect(event.startDate.zone.tzid).toBe(original?.timeZone);
      expect(event.startDate.hour).toBe(9);
      expect(event.startDate.toJSDate().toISOString()).toBe(original?.startsAt.toISOString());
      expect(event.endDate.toJSDate().toISOString()).toBe(original?.endsAt.toISOString());
    }
  });

  it('is read back by ical.js with the right instants through the autumn change', () => {
    const times = ['2026-10-24T07:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-10-25T08:00:00Z', '2026-10-26T08:00:00Z'];
    const events = times.map((at, index) => eventAt(at, 'Europe/Paris', `o${String(index)}`.padEnd(32, '0')));
    const parsed = parseFeed(buildCalendarFeed({ calendarName: 'Créneau', events, stampedAt: STAMP })).events;
    expect(parsed.map((event) => event.startDate.toJSDate().toISOString()).sort()).toEqual(times.map((at) => new Date(at).toISOString()).sort());
  });
});

describe('feedWindow', () => {
  it('covers 30 days back and 180 days ahead', () => {
    expect(feedWindow(STAMP)).toEqual({ from: new Date('2026-10-25T09:00:00Z'), to: new Date('2027-05-23T09:00:00Z') });
  });
});

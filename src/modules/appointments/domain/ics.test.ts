import { describe, expect, it } from 'vitest';
import { buildAppointmentIcs, describeLocation, escapeIcsText, foldIcsLine, formatIcsUtc, type AppointmentIcsInput } from './ics.js';

const INPUT: AppointmentIcsInput = {
  publicId: '0f8fad5bd9cb469fa16570867728950e',
  uidDomain: 'rdv.example.fr',
  startsAt: new Date('2026-12-01T09:30:00Z'),
  endsAt: new Date('2026-12-01T10:00:00Z'),
  organisationName: 'Maison départementale des solidarités de Melun',
  location: '20 quai Hippolyte Rossignol, 77000 Melun',
  cancelled: false,
  sequence: 0,
  stampedAt: new Date('2026-11-24T09:00:00Z'),
};

const utf8Length = (line: string): number => new TextEncoder().encode(line).length;

describe('buildAppointmentIcs', () => {
  it('writes one VEVENT with a UID from the public id and UTC times', () => {
    const ics = buildAppointmentIcs(INPUT);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('\r\nUID:0f8fad5bd9cb469fa16570867728950e@rdv.example.fr\r\n');
    expect(ics).toContain('\r\nDTSTART:20261201T093000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20261201T100000Z\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20261124T090000Z\r\n');
    expect(ics).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(ics).toContain('\r\nSTATUS:CONFIRMED\r\n');
    // every line break is CRLF
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('titles the event "Rendez-vous" and the organisation, never the motif', () => {
    const unfolded = buildAppointmentIcs(INPUT).replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Rendez-vous – Maison départementale des solidarités de Melun\r\n');
  });

  it('escapes commas, semicolons, backslashes and newlines in text values', () => {
    expect(escapeIcsText('a,b;c\\d\ne\r\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
    const unfolded = buildAppointmentIcs({ ...INPUT, description: 'Étage 2;\nporte B' }).replace(/\r\n /g, '');
    expect(unfolded).toContain('LOCATION:20 quai Hippolyte Rossignol\\, 77000 Melun\r\n');
    expect(unfolded).toContain('DESCRIPTION:Étage 2\\;\\nporte B\r\n');
  });

  it('folds lines longer than 75 octets without cutting a UTF-8 character', () => {
    const ics = buildAppointmentIcs({ ...INPUT, organisationName: 'Maison départementale des solidarités — pôle éducation, santé et prévention de Fontainebleau' });
    for (const line of ics.split('\r\n')) expect(utf8Length(line)).toBeLessThanOrEqual(75);
    expect(ics).toContain('\r\n ');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Rendez-vous – Maison départementale des solidarités — pôle éducation\\, santé et prévention de Fontainebleau\r\n');
  });

  it('marks a cancelled appointment with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const ics = buildAppointmentIcs({ ...INPUT, cancelled: true, sequence: 3 });
    expect(ics).toContain('\r\nMETHOD:CANCEL\r\n');
    expect(ics).toContain('\r\nSTATUS:CANCELLED\r\n');
    expect(ics).toContain('\r\nSEQUENCE:3\r\n');
  });
});

describe('foldIcsLine', () => {
  it('leaves a 75-octet line alone and folds the 76th octet', () => {
    const exact = 'X'.repeat(75);
    expect(foldIcsLine(exact)).toBe(exact);
    expect(foldIcsLine(`${exact}Y`)).toBe(`${exact}\r\n Y`);
  });
  it('keeps multi-byte characters whole across folds', () => {
    const folded = foldIcsLine(`SUMMARY:${'é'.repeat(80)}`);
    for (const line of folded.split('\r\n')) {
      expect(utf8Length(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'é'.repeat(80)}`);
  });
});

describe('describeLocation and formatIcsUtc', () => {
  it('uses the address for office visits and a neutral phrase otherwise', () => {
    expect(describeLocation('public_office', { name: 'MDS de Melun', address: '1 rue de la Paix, 77000 Melun' })).toBe('MDS de Melun, 1 rue de la Paix, 77000 Melun');
    expect(describeLocation('public_office', null)).toBeNull();
    expect(describeLocation('phone', null)).toBe('Par téléphone');
    expect(describeLocation('visio', null)).toBe('En visioconférence');
    expect(describeLocation('home', null)).toBe('À domicile');
  });
  it('formats instants in UTC with a Z', () => {
    expect(formatIcsUtc(new Date('2026-03-29T01:30:00.000Z'))).toBe('20260329T013000Z');
  });
});

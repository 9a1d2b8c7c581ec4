import { describe, expect, it } from 'vitest';
import {
  APPOINTMENT_EXPORT_COLUMNS,
  appointmentExportCells,
  exportFileName,
  localDateCell,
  localDateTimeCell,
  localTimeCell,
  participationExportCells,
  participationExportColumns,
  type AppointmentExportRow,
  type CellContext,
  type ParticipationExportRow,
} from './export-columns.js';

const minutes = (iso: string): number => Date.parse(iso) / 60_000;

const context: CellContext = {
  statusLabel: (status, startsAt) => `${status}@${String(startsAt)}`,
  organisationTimeZone: 'Europe/Paris',
};

const appointment: AppointmentExportRow = {
  id: 42,
  startsAtEpochMinutes: minutes('2026-11-24T08:30:00Z'),
  endsAtEpochMinutes: minutes('2026-11-24T09:15:00Z'),
  timeZone: 'Europe/Paris',
  status: 'seen',
  isCollective: false,
  name: null,
  motifName: 'Suivi RSA',
  serviceName: 'Service social',
  locationType: 'public_office',
  placeName: 'MDS de Melun',
  agentNames: ['Nadia Benali', 'Sophie Lambert'],
  createdByType: 'agent',
  createdByAgentName: 'Sophie Lambert',
  createdAtEpochMinutes: minutes('2026-11-20T15:05:00Z'),
  participants: [
    { firstName: 'Camille', lastName: 'Durand', isCancelled: false },
    { firstName: 'Léo', lastName: '=cmd|calc', isCancelled: true },
  ],
};

describe('appointments export cells', () => {
  it('gives one cell per column, dates and times in the appointment’s zone, the duration in minutes', () => {
    const cells = appointmentExportCells(appointment, context);
    expect(cells).toHaveLength(APPOINTMENT_EXPORT_COLUMNS.length);
    expect(cells[0]).toBe(42);
    // 08:30Z is 09:30 in Paris (UTC+1 in November): the cell shows the local wall clock.
    expect(cells[1]).toEqual(new Date('2026-11-24T00:00:00Z'));
    expect(cells[2]).toBeCloseTo((9 * 60 + 30) / 1440, 10);
    expect(cells[3]).toBe(45);
    expect(cells[4]).toBe('Europe/Paris');
    expect(cells.slice(5, 14)).toEqual([
      'Suivi RSA',
      'Service social',
      'Sur place',
      'MDS de Melun',
      'Nadia Benali, Sophie Lambert',
      `seen@${String(appointment.startsAtEpochMinutes)}`,
      'Non',
      null,
      'Agent (Sophie Lambert)',
    ]);
    expect(cells[14]).toEqual(new Date('2026-11-20T16:05:00Z'));
    // One active participant, one excused; names « NOM Prénom », the hostile one neutralised as a whole cell.
    expect(cells.slice(15)).toEqual([1, 1, 'DURAND Camille, =CMD|CALC Léo']);
  });

  it('neutralises a cell that starts with a formula character', () => {
    const cells = appointmentExportCells({ ...appointment, motifName: '=HYPERLINK("x")', placeName: '@lieu', participants: [{ firstName: 'A', lastName: '+B', isCancelled: false }] }, context);
    expect(cells[5]).toBe('\'=HYPERLINK("x")');
    expect(cells[8]).toBe("'@lieu");
    expect(cells[17]).toBe("'+B A");
  });

  it('writes times of overseas appointments in their own zone', () => {
    const reunion = { ...appointment, timeZone: 'Indian/Reunion', startsAtEpochMinutes: minutes('2026-11-24T05:00:00Z'), endsAtEpochMinutes: minutes('2026-11-24T05:30:00Z') };
    const cells = appointmentExportCells(reunion, context);
    expect(cells[2]).toBeCloseTo((9 * 60) / 1440, 10);
    expect(cells[4]).toBe('Indian/Reunion');
  });
});

describe('participations export cells', () => {
  const participation: ParticipationExportRow = {
    ...appointment,
    participationStatus: 'excused',
    participationCreatedByType: 'user',
    userId: 7,
    firstName: 'Camille',
    lastName: 'Durand',
    birthName: null,
    birthDate: '1990-05-17',
    phoneNumber: '+33 6 12 34 56 78',
    email: 'camille@example.fr',
    address: '1 rue de la Paix, 77000 Melun',
    caseNumber: 'D-123',
  };

  it('adds the usager and the participation after the appointment’s columns', () => {
    const cells = participationExportCells(participation, context, { withCaseNumber: false });
    expect(cells).toHaveLength(participationExportColumns({ withCaseNumber: false }).length);
    expect(cells.slice(15)).toEqual([
      `excused@${String(appointment.startsAtEpochMinutes)}`,
      'Usager',
      7,
      'Durand',
      'Camille',
      null,
      new Date('1990-05-17T00:00:00Z'),
      "'+33 6 12 34 56 78",
      'camille@example.fr',
      '1 rue de la Paix, 77000 Melun',
    ]);
  });

  it('adds « Numéro de dossier » only where the territory shows it', () => {
    const columns = participationExportColumns({ withCaseNumber: true });
    expect(columns.at(-1)?.header).toBe('Numéro de dossier');
    expect(participationExportCells(participation, context, { withCaseNumber: true }).at(-1)).toBe('D-123');
  });
});

describe('cells of time', () => {
  it('keeps the wall clock across the DST change (Paris, 29 March 2026)', () => {
    expect(localDateTimeCell('Europe/Paris', minutes('2026-03-29T00:30:00Z'))).toEqual(new Date('2026-03-29T01:30:00Z'));
    expect(localDateTimeCell('Europe/Paris', minutes('2026-03-29T01:30:00Z'))).toEqual(new Date('2026-03-29T03:30:00Z'));
    expect(localDateCell('Europe/Paris', minutes('2026-03-28T23:30:00Z'))).toEqual(new Date('2026-03-29T00:00:00Z'));
    expect(localTimeCell('Europe/Paris', minutes('2026-03-29T01:30:00Z'))).toBeCloseTo((3 * 60 + 30) / 1440, 10);
  });
});

describe('exportFileName', () => {
  it('is made of fixed words, the local date and time of the request and the id’s first hex digits', () => {
    expect(exportFileName('appointments', minutes('2026-11-24T09:00:00Z'), 'Europe/Paris', '0123456789abcdef0123456789abcdef')).toBe('rendez-vous-2026-11-24-10h00-01234567.xlsx');
    expect(exportFileName('participations', minutes('2026-11-24T09:00:00Z'), 'Indian/Reunion', '"/../x')).toBe('participations-2026-11-24-13h00-.xlsx');
  });
});

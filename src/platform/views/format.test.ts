import { describe, expect, it } from 'vitest';
import { isoDateToDayNumber, isoToEpochMinutes } from '../../shared/time/index.js';
import { formatDayLong, formatSlotLong, formatTime, zoneLabel } from './format.js';

describe('French formatting', () => {
  it('writes days with their weekday and "1er" for the first of the month', () => {
    expect(formatDayLong(isoDateToDayNumber('2026-12-01'))).toBe('mardi 1er décembre 2026');
    expect(formatDayLong(isoDateToDayNumber('2026-11-29'))).toBe('dimanche 29 novembre 2026');
  });

  it('writes times in the zone of the place', () => {
    const at = isoToEpochMinutes('2026-12-01T08:30:00Z') ?? 0;
    expect(formatTime('Europe/Paris', at)).toBe('9h30');
    expect(formatTime('Indian/Reunion', at)).toBe('12h30');
    expect(formatSlotLong({ startsAtEpochMinutes: at, timeZone: 'Europe/Paris' })).toBe('mardi 1er décembre 2026 à 9h30');
    expect(formatSlotLong({ startsAtEpochMinutes: at, timeZone: 'America/Cayenne' })).toBe('mardi 1er décembre 2026 à 5h30 (heure de Guyane)');
  });

  it('names overseas zones in French, never as raw IANA ids', () => {
    const at = isoToEpochMinutes('2026-12-01T08:30:00Z') ?? 0;
    expect(formatSlotLong({ startsAtEpochMinutes: at, timeZone: 'Indian/Reunion' })).toBe('mardi 1er décembre 2026 à 12h30 (heure de La Réunion)');
    expect(zoneLabel('Indian/Reunion')).toBe('heure de La Réunion');
    expect(zoneLabel('Antarctica/Troll')).toBe('heure locale du lieu de rendez-vous');
  });
});

import { describe, expect, it } from 'vitest';
import { journalQuery, parseJournalFilters } from './journal-filters.js';

describe('parseJournalFilters', () => {
  it('reads empty fields as no filter, first page', () => {
    expect(parseJournalFilters({ agent: '', usager: ' ', du: '', au: '' }, 'Europe/Paris')).toEqual({ ok: true, filters: { page: 1 } });
  });

  it('bounds the period by whole days of the organisation’s zone, the last day included', () => {
    const paris = parseJournalFilters({ du: '2026-11-02', au: '2026-11-03' }, 'Europe/Paris');
    expect(paris).toEqual({ ok: true, filters: { page: 1, from: new Date('2026-11-01T23:00:00Z'), to: new Date('2026-11-03T23:00:00Z') } });
    const reunion = parseJournalFilters({ du: '2026-11-02' }, 'Indian/Reunion');
    expect(reunion.ok && reunion.filters.from?.toISOString()).toBe('2026-11-01T20:00:00.000Z');
    // Across the autumn change of time in Paris: the day of 25 hours is whole.
    const dst = parseJournalFilters({ du: '2026-10-25', au: '2026-10-25' }, 'Europe/Paris');
    expect(dst.ok && (dst.filters.to!.getTime() - dst.filters.from!.getTime()) / 3_600_000).toBe(25);
  });

  it('reads the agent, the usager (with or without « n° ») and the page', () => {
    expect(parseJournalFilters({ agent: '12', usager: 'n° 345', page: '3' }, 'Europe/Paris')).toEqual({ ok: true, filters: { agentId: 12, userId: 345, page: 3 } });
  });

  it('answers French messages for impossible dates, reversed periods, words and pages out of range', () => {
    const check = parseJournalFilters({ agent: 'x', usager: '-1', du: '2026-02-30', au: '2026-13-01', page: '100000' }, 'Europe/Paris');
    expect(check).toEqual({
      ok: false,
      errors: {
        agent: 'Choisissez un agent dans la liste.',
        usager: 'Le numéro d’usager est un nombre entier, par exemple 1234.',
        du: 'La date de début est une date au format jj/mm/aaaa.',
        au: 'La date de fin est une date au format jj/mm/aaaa.',
        page: 'La page est un nombre entre 1 et 200.',
      },
    });
    expect(parseJournalFilters({ du: '2026-11-10', au: '2026-11-09' }, 'Europe/Paris')).toEqual({
      ok: false,
      errors: { au: 'La date de fin est le même jour que la date de début ou après.' },
    });
    expect(parseJournalFilters({ usager: '\u0000' }, 'Europe/Paris').ok).toBe(false);
  });
});

describe('journalQuery', () => {
  it('keeps the filters and the page, drops the empty ones and page 1', () => {
    expect(journalQuery({ agent: '4', usager: '', du: '2026-11-01', au: undefined }, 2)).toBe('agent=4&du=2026-11-01&page=2');
    expect(journalQuery({ agent: '4' }, 1)).toBe('agent=4');
  });
});

import { describe, expect, it } from 'vitest';
import { statusDisplay } from './appointment-status.js';
import { motifStylesheet } from './motif-colors.js';

describe('statusDisplay', () => {
  it('says « À venir » before the start and « À renseigner » once begun for an unmarked appointment', () => {
    expect(statusDisplay('unknown', 100, 99).label).toBe('À venir');
    expect(statusDisplay('unknown', 100, 100).label).toBe('À renseigner');
  });

  it('names every status in words with an icon, never by colour alone', () => {
    expect(['seen', 'noshow', 'excused', 'revoked'].map((status) => statusDisplay(status as 'seen', 0, 0))).toEqual([
      { filter: 'vu', label: 'Vu', icon: 'fr-icon-checkbox-circle-line', isCancelled: false },
      { filter: 'absent', label: 'Absent non excusé', icon: 'fr-icon-close-circle-line', isCancelled: false },
      { filter: 'excuse', label: 'Excusé', icon: 'fr-icon-arrow-go-back-line', isCancelled: true },
      { filter: 'annule', label: 'Annulé', icon: 'fr-icon-close-line', isCancelled: true },
    ]);
  });
});

describe('motifStylesheet', () => {
  it('writes one rule per motif with a #rrggbb colour and leaves anything else out', () => {
    const css = motifStylesheet([
      { id: 1, color: '#000091' },
      { id: 2, color: 'red;} body{display:none' },
      { id: 3, color: '#ABCDEF' },
    ]);
    expect(css).toContain('.agenda-motif-1{--agenda-motif-color:#000091}');
    expect(css).toContain('.agenda-motif-3{--agenda-motif-color:#abcdef}');
    expect(css).not.toContain('agenda-motif-2');
    expect(css).not.toContain('display');
  });
});

import { describe, expect, it } from 'vitest';
import { isoDateToDayNumber, isoToEpochMinutes } from '../../../shared/time/index.js';
import { checkSearchForm, groupSlots, weekPage, wizardHref, type FoundSlot } from './slot-search.js';

const day = (iso: string): number => isoDateToDayNumber(iso);
const minutes = (iso: string): number => isoToEpochMinutes(iso) ?? 0;
const TODAY = day('2026-11-24');

function slot(iso: string, agentIds: number[], placeId: number | null = 1, timeZone = 'Europe/Paris'): FoundSlot {
  return { startsAtEpochMinutes: minutes(iso), agentIds, placeId, organisationId: 5, timeZone };
}

describe('checkSearchForm', () => {
  it('asks for a motif, refuses past days and days beyond a year, and a partner who is the only agent', () => {
    expect(checkSearchForm({ motifId: 1, fromDay: TODAY, today: TODAY, leadAgentIds: null, partnerId: 3 })).toEqual({});
    expect(Object.keys(checkSearchForm({ motifId: undefined, fromDay: TODAY - 1, today: TODAY, leadAgentIds: [3], partnerId: 3 }))).toEqual(['motif', 'du', 'binome']);
    expect(checkSearchForm({ motifId: 1, fromDay: TODAY + 367, today: TODAY, leadAgentIds: [3, 4], partnerId: 3 })).toEqual({ du: 'Choisissez un jour dans l’année qui vient.' });
  });
});

describe('weekPage', () => {
  it('pages by seven days and never goes back before today', () => {
    expect(weekPage(TODAY, TODAY)).toEqual({ fromDay: TODAY, toDayExclusive: TODAY + 7, previousFromDay: null, nextFromDay: TODAY + 7 });
    expect(weekPage(TODAY + 3, TODAY).previousFromDay).toBe(TODAY);
    expect(weekPage(TODAY + 14, TODAY).previousFromDay).toBe(TODAY + 7);
    expect(weekPage(TODAY + 362, TODAY).nextFromDay).toBeNull();
  });
});

describe('wizardHref', () => {
  it('prefills the wizard with the motif, the agents lead first and the instant in UTC', () => {
    expect(wizardHref(12, 7, slot('2026-12-01T09:00:00Z', [31, 4], 3))).toBe('/agents/organisations/12/rdv/nouveau?motif=7&agents=31%2C4&debut=2026-12-01T09%3A00%3A00Z&lieu=3');
    expect(wizardHref(12, 7, slot('2026-12-01T09:00:00Z', [31], null))).toBe('/agents/organisations/12/rdv/nouveau?motif=7&agents=31&debut=2026-12-01T09%3A00%3A00Z');
  });
});

describe('groupSlots', () => {
  it('groups per place and local day of the place, one slot per start and agents, places by next availability', () => {
    const groups = groupSlots({
      weekSlots: [slot('2026-11-26T09:00:00Z', [1]), slot('2026-11-24T10:00:00Z', [1]), slot('2026-11-24T10:00:00Z', [1]), slot('2026-11-24T10:00:00Z', [2]), slot('2026-11-25T08:00:00Z', [1], 2)],
      nextSlots: [],
      fromDay: TODAY,
      timeZone: 'Europe/Paris',
    });
    expect(groups.map((group) => group.placeId)).toEqual([1, 2]);
    const [melun] = groups;
    expect(melun?.days).toHaveLength(7);
    expect(melun?.days[0]?.slots.map((found) => found.agentIds[0])).toEqual([1, 2]);
    expect(melun?.days[2]?.slots).toHaveLength(1);
    expect(melun?.next?.startsAtEpochMinutes).toBe(minutes('2026-11-24T10:00:00Z'));
  });

  it('keeps places whose next availability is after the week, and files a late-evening slot under its local day overseas', () => {
    const groups = groupSlots({
      weekSlots: [slot('2026-11-24T20:30:00Z', [1], 3, 'Indian/Reunion')],
      nextSlots: [slot('2027-01-05T08:00:00Z', [4], 9)],
      fromDay: TODAY,
      timeZone: 'Europe/Paris',
    });
    expect(groups.map((group) => [group.placeId, group.days.flatMap((entry) => entry.slots).length])).toEqual([
      [3, 1],
      [9, 0],
    ]);
    // 20:30Z is 00:30 on Wednesday 25 in La Réunion
    expect(groups[0]?.days[1]?.slots).toHaveLength(1);
    expect(groups[1]?.next?.agentIds).toEqual([4]);
  });
});

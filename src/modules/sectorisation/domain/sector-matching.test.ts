import { describe, expect, it } from 'vitest';
import { decideSectorisedTargets, type MatchingZoneAttribution } from './sector-matching.js';

function organisationRow(zoneLevel: 'city' | 'street', organisationId: number): MatchingZoneAttribution {
  return { zoneLevel, attributionLevel: 'organisation', organisationId, agentId: null };
}

function agentRow(zoneLevel: 'city' | 'street', organisationId: number, agentId: number): MatchingZoneAttribution {
  return { zoneLevel, attributionLevel: 'agent', organisationId, agentId };
}

describe('decideSectorisedTargets', () => {
  it('routes by the commune when no street zone matches', () => {
    expect(decideSectorisedTargets(1, [organisationRow('city', 10)])).toEqual({
      territoryId: 1,
      matchedLevel: 'city',
      organisationIds: [10],
      agentIds: [],
      agentAttributions: [],
    });
  });

  it('lets a matching street zone override the zones of its commune', () => {
    const targets = decideSectorisedTargets(1, [organisationRow('city', 10), organisationRow('street', 20), agentRow('city', 10, 100)]);
    expect(targets).toMatchObject({ matchedLevel: 'street', organisationIds: [20], agentIds: [] });
  });

  it('separates agent-level attributions from organisation-level ones', () => {
    const targets = decideSectorisedTargets(1, [agentRow('city', 10, 101), organisationRow('city', 11), agentRow('city', 12, 100)]);
    expect(targets.organisationIds).toEqual([11]);
    expect(targets.agentIds).toEqual([100, 101]);
    expect(targets.agentAttributions).toEqual([
      { organisationId: 12, agentId: 100 },
      { organisationId: 10, agentId: 101 },
    ]);
  });

  it('de-duplicates and sorts, whatever the row order', () => {
    const rows = [organisationRow('city', 12), organisationRow('city', 10), organisationRow('city', 12), agentRow('city', 10, 5), agentRow('city', 11, 5)];
    const targets = decideSectorisedTargets(1, rows);
    expect(targets.organisationIds).toEqual([10, 12]);
    expect(targets.agentIds).toEqual([5]);
    expect(targets.agentAttributions).toHaveLength(2);
    expect(decideSectorisedTargets(1, [...rows].reverse())).toEqual(targets);
  });

  it('keeps the street match even when its sector has no attribution yet', () => {
    const unattributed: MatchingZoneAttribution = { zoneLevel: 'street', attributionLevel: null, organisationId: null, agentId: null };
    expect(decideSectorisedTargets(1, [unattributed, organisationRow('city', 10)])).toMatchObject({ matchedLevel: 'street', organisationIds: [], agentIds: [] });
  });

  it('matches nothing when no zone matches, or when no territory serves the département', () => {
    expect(decideSectorisedTargets(1, [])).toEqual({ territoryId: 1, matchedLevel: 'none', organisationIds: [], agentIds: [], agentAttributions: [] });
    expect(decideSectorisedTargets(null, [organisationRow('city', 10)])).toMatchObject({ territoryId: null, matchedLevel: 'none', organisationIds: [] });
  });
});

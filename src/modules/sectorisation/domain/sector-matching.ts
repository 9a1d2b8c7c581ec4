/**
 * Sectorisation decision (RDV-Solidarités `Users::GeoSearch`): an address is matched against the
 * zones of its territory street first, then commune. When a street zone matches, its sectors alone
 * decide, even where a commune zone also matches: a street zone is the exception to its commune.
 */

export type ZoneLevel = 'city' | 'street';
export type MatchedLevel = ZoneLevel | 'none';

/** One matching zone joined to one attribution of its sector (no attribution: all null). */
export interface MatchingZoneAttribution {
  zoneLevel: ZoneLevel;
  attributionLevel: 'organisation' | 'agent' | null;
  organisationId: number | null;
  agentId: number | null;
}

export interface AgentAttribution {
  organisationId: number;
  agentId: number;
}

export interface SectorisedTargets {
  /** The territory serving the address's département; null when this instance serves none. */
  territoryId: number | null;
  matchedLevel: MatchedLevel;
  /** Organisations attributed at organisation level: they hold the `organisation`-level motifs. */
  organisationIds: number[];
  /** Agents attributed at agent level: they hold the `agent`-level motifs. */
  agentIds: number[];
  /** The same agents with the organisation their attribution is for (an agent may serve several). */
  agentAttributions: AgentAttribution[];
}

/** Nothing matched: only the département-wide motifs of the territory (if any) remain. */
export function noSectorisedTargets(territoryId: number | null): SectorisedTargets {
  return { territoryId, matchedLevel: 'none', organisationIds: [], agentIds: [], agentAttributions: [] };
}

/**
 * Organisations and agents the usager may book with, from the zones matching the address: the
 * street-level matches when there is any, otherwise the commune-level ones. Identifiers come out
 * de-duplicated and sorted, so that the answer does not depend on the row order.
 */
export function decideSectorisedTargets(territoryId: number | null, rows: readonly MatchingZoneAttribution[]): SectorisedTargets {
  if (territoryId === null) return noSectorisedTargets(null);
  const matchedLevel: MatchedLevel = rows.some((row) => row.zoneLevel === 'street') ? 'street' : rows.length > 0 ? 'city' : 'none';
  if (matchedLevel === 'none') return noSectorisedTargets(territoryId);
  const organisationIds = new Set<number>();
  const agentAttributions = new Map<string, AgentAttribution>();
  for (const row of rows) {
    if (row.zoneLevel !== matchedLevel || row.organisationId === null) continue;
    if (row.attributionLevel === 'organisation') organisationIds.add(row.organisationId);
    if (row.attributionLevel === 'agent' && row.agentId !== null) {
      agentAttributions.set(`${row.organisationId}:${row.agentId}`, { organisationId: row.organisationId, agentId: row.agentId });
    }
  }
  const sortedAttributions = [...agentAttributions.values()].sort((a, b) => a.agentId - b.agentId || a.organisationId - b.organisationId);
  return {
    territoryId,
    matchedLevel,
    organisationIds: [...organisationIds].sort((a, b) => a - b),
    agentIds: [...new Set(sortedAttributions.map((attribution) => attribution.agentId))],
    agentAttributions: sortedAttributions,
  };
}

export { findSectorisedTargets, type SectorisationQuery } from './sectorisation.use-cases.js';
export type { AgentAttribution, MatchedLevel, SectorisedTargets, ZoneLevel } from './domain/sector-matching.js';

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { decideSectorisedTargets, noSectorisedTargets, type SectorisedTargets } from './domain/sector-matching.js';
import { findMatchingZoneAttributions, findTerritoryIdByDepartement } from './sectorisation.repository.js';

export interface SectorisationQuery {
  /** '77', '2A', '974' — the geocoder derives it from the INSEE code. */
  departementNumber: string;
  /** INSEE code of the commune. */
  cityCode: string;
  /** Street-level BAN key ('77288_0740'), when the address was placed on a street. */
  streetBanId?: string | undefined;
}

/**
 * The organisations and agents an usager living at an address may book with: street zones of the
 * territory first, then commune zones (see domain/sector-matching.ts). Two reads, no transaction.
 */
export async function findSectorisedTargets(db: Kysely<Database>, query: SectorisationQuery): Promise<SectorisedTargets> {
  const territoryId = await findTerritoryIdByDepartement(db, query.departementNumber);
  if (territoryId === null) return noSectorisedTargets(null);
  const streetBanId = query.streetBanId === '' ? undefined : query.streetBanId;
  const rows = await findMatchingZoneAttributions(db, { territoryId, cityCode: query.cityCode, streetBanId });
  return decideSectorisedTargets(territoryId, rows);
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { MatchingZoneAttribution } from './domain/sector-matching.js';

/** The territory serving a département ('77', '2A', '974'), if this instance serves it. */
export async function findTerritoryIdByDepartement(db: Kysely<Database>, departementNumber: string): Promise<number | null> {
  const row = await db.selectFrom('territories').select('id').where('departement_number', '=', departementNumber).executeTakeFirst();
  return row?.id ?? null;
}

export interface ZoneLookup {
  territoryId: number;
  cityCode: string;
  streetBanId: string | undefined;
}

/**
 * Every zone of the territory matching the commune (city level) or the street (street level),
 * joined to each attribution of its sector — one set-based query through the `zones_city_idx` and
 * `zones_street_idx` indexes. A sector without attribution still yields its zone (attribution null).
 *
 *   SELECT z.level, sa.level, sa.organisation_id, sa.agent_id
 *   FROM zones z JOIN sectors s ON s.id = z.sector_id
 *   LEFT JOIN sector_attributions sa ON sa.sector_id = s.id
 *   WHERE s.territory_id = $1
 *     AND ((z.level = 'city' AND z.city_code = $2) OR (z.level = 'street' AND z.street_ban_id = $3))
 */
export async function findMatchingZoneAttributions(db: Kysely<Database>, lookup: ZoneLookup): Promise<MatchingZoneAttribution[]> {
  const { streetBanId } = lookup;
  const rows = await db
    .selectFrom('zones as z')
    .innerJoin('sectors as s', 's.id', 'z.sector_id')
    .leftJoin('sector_attributions as sa', 'sa.sector_id', 's.id')
    .select(['z.level as zone_level', 'sa.level as attribution_level', 'sa.organisation_id', 'sa.agent_id'])
    .where('s.territory_id', '=', lookup.territoryId)
    .where((eb) =>
      eb.or([
        eb.and([eb('z.level', '=', 'city'), eb('z.city_code', '=', lookup.cityCode)]),
        ...(streetBanId === undefined ? [] : [eb.and([eb('z.level', '=', 'street'), eb('z.street_ban_id', '=', streetBanId)])]),
      ]),
    )
    .execute();
  return rows.map((row) => ({
    zoneLevel: row.zone_level,
    attributionLevel: row.attribution_level,
    organisationId: row.organisation_id,
    agentId: row.agent_id,
  }));
}

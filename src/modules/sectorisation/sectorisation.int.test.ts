/**
 * Sectorisation on the demo territory (Seine-et-Marne and La Réunion), on PGlite or on PostgreSQL
 * when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { OfflineGeocoder } from '../geocoding/index.js';
import { findSectorisedTargets } from './index.js';

const NOW = new Date('2026-11-24T09:00:00Z');

describe('findSectorisedTargets', () => {
  let database: TestDatabase;
  const organisationIds = new Map<string, number>();
  const territoryIds = new Map<string, number>();

  function organisationIdOf(slug: string): number {
    const id = organisationIds.get(slug);
    if (id === undefined) throw new Error(`no demo organisation ${slug}`);
    return id;
  }

  async function agentIdOf(email: string): Promise<number> {
    const row = await database.db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return row.id;
  }

  /** A sector of the 77 made of street zones of Melun, attributed as given. */
  async function addStreetSector(humanId: string, streetBanIds: string[], attributions: { organisationSlug: string; agentEmail?: string }[]): Promise<void> {
    const db = database.db;
    const sector = await db
      .insertInto('sectors')
      .values({ territory_id: territoryIds.get('77') ?? 0, name: `Secteur ${humanId}`, human_id: humanId })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const streetBanId of streetBanIds) {
      await db
        .insertInto('zones')
        .values({ sector_id: sector.id, level: 'street', city_code: '77288', city_name: 'Melun', street_ban_id: streetBanId, street_name: 'Rue de test' })
        .execute();
    }
    for (const attribution of attributions) {
      const agentId = attribution.agentEmail === undefined ? null : await agentIdOf(attribution.agentEmail);
      await db
        .insertInto('sector_attributions')
        .values({
          sector_id: sector.id,
          organisation_id: organisationIdOf(attribution.organisationSlug),
          agent_id: agentId,
          level: agentId === null ? 'organisation' : 'agent',
        })
        .execute();
    }
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    for (const row of await database.db.selectFrom('organisations').select(['id', 'slug']).execute()) organisationIds.set(row.slug, row.id);
    for (const row of await database.db.selectFrom('territories').select(['id', 'departement_number']).execute()) territoryIds.set(row.departement_number, row.id);
  });

  afterAll(async () => {
    await database.destroy();
  });

  it('routes an address in Melun to the MDS of Melun', async () => {
    const targets = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '77288', streetBanId: '77288_0740' });
    expect(targets).toEqual({
      territoryId: territoryIds.get('77'),
      matchedLevel: 'city',
      organisationIds: [organisationIdOf('mds-melun')],
      agentIds: [],
      agentAttributions: [],
    });
  });

  it('routes Avon to the MDS of Fontainebleau, whose sector covers it', async () => {
    const targets = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '77014' });
    expect(targets).toMatchObject({ matchedLevel: 'city', organisationIds: [organisationIdOf('mds-fontainebleau')] });
  });

  it('routes Saint-Denis of La Réunion within the 974 territory', async () => {
    const targets = await findSectorisedTargets(database.db, { departementNumber: '974', cityCode: '97411' });
    expect(targets).toMatchObject({ territoryId: territoryIds.get('974'), matchedLevel: 'city', organisationIds: [organisationIdOf('solidarites-saint-denis-974')] });
  });

  it('matches nothing for a commune of the 77 outside every sector, but names the territory', async () => {
    const provins = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '77379' });
    expect(provins).toEqual({ territoryId: territoryIds.get('77'), matchedLevel: 'none', organisationIds: [], agentIds: [], agentAttributions: [] });
  });

  it('matches nothing, and no territory, for a département this instance does not serve', async () => {
    const paris = await findSectorisedTargets(database.db, { departementNumber: '75', cityCode: '75111' });
    expect(paris).toEqual({ territoryId: null, matchedLevel: 'none', organisationIds: [], agentIds: [], agentAttributions: [] });
  });

  it('never crosses territories: a 974 commune code asked for the 77 matches nothing', async () => {
    const targets = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '97411' });
    expect(targets.matchedLevel).toBe('none');
  });

  it('lets a street zone override the zone of its commune, with organisation- and agent-level attributions', async () => {
    await addStreetSector('melun-quai-sud', ['77288_9001'], [
      { organisationSlug: 'mds-fontainebleau' },
      { organisationSlug: 'mds-meaux', agentEmail: 'puericultrice.meaux@demo.creneau.fr' },
    ]);
    const meauxAgentId = await agentIdOf('puericultrice.meaux@demo.creneau.fr');

    const onTheStreet = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '77288', streetBanId: '77288_9001' });
    expect(onTheStreet).toEqual({
      territoryId: territoryIds.get('77'),
      matchedLevel: 'street',
      organisationIds: [organisationIdOf('mds-fontainebleau')],
      agentIds: [meauxAgentId],
      agentAttributions: [{ organisationId: organisationIdOf('mds-meaux'), agentId: meauxAgentId }],
    });

    const nextStreet = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '77288', streetBanId: '77288_9002' });
    expect(nextStreet).toMatchObject({ matchedLevel: 'city', organisationIds: [organisationIdOf('mds-melun')], agentIds: [] });
  });

  it('keeps a matched street zone decisive even when its sector is not attributed yet', async () => {
    await addStreetSector('melun-sans-attribution', ['77288_9003'], []);
    const targets = await findSectorisedTargets(database.db, { departementNumber: '77', cityCode: '77288', streetBanId: '77288_9003' });
    expect(targets).toMatchObject({ matchedLevel: 'street', organisationIds: [], agentIds: [] });
  });

  it('returns every organisation of a commune shared by two sectors', async () => {
    const db = database.db;
    const sector = await db
      .insertInto('sectors')
      .values({ territory_id: territoryIds.get('77') ?? 0, name: 'Secteur partagé', human_id: 'avon-partage' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('zones').values({ sector_id: sector.id, level: 'city', city_code: '77014', city_name: 'Avon' }).execute();
    await db.insertInto('sector_attributions').values({ sector_id: sector.id, organisation_id: organisationIdOf('mds-melun'), level: 'organisation' }).execute();
    const targets = await findSectorisedTargets(db, { departementNumber: '77', cityCode: '77014' });
    expect(targets.organisationIds).toEqual([organisationIdOf('mds-melun'), organisationIdOf('mds-fontainebleau')].sort((a, b) => a - b));
  });

  it('sectorises what the offline geocoder answers, from the typed address to the MDS', async () => {
    const geocoder = new OfflineGeocoder();
    const [melun] = await geocoder.search('20 quai Hippolyte Rossignol 77000 Melun');
    const [fontainebleau] = await geocoder.search('14 rue de la Paroisse 77300 Fontainebleau');
    if (melun === undefined || fontainebleau === undefined) throw new Error('the demo addresses are recorded');
    for (const [address, slug] of [[melun, 'mds-melun'], [fontainebleau, 'mds-fontainebleau']] as const) {
      const targets = await findSectorisedTargets(database.db, { departementNumber: address.departementNumber, cityCode: address.cityCode, streetBanId: address.banId });
      expect(targets.organisationIds).toEqual([organisationIds.get(slug)]);
    }
  });
});

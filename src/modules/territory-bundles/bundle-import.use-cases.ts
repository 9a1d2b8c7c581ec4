/**
 * `territory:import`: creates or updates a whole territory from a validated bundle, in ONE
 * transaction. Everything that already exists is found by its natural key (docs/territory-bundles.md);
 * a row is written only when it differs, so importing the same bundle twice changes nothing.
 * The checks that need the database (a slug taken by another territory, a removed agent…) run
 * before the first write; any error rolls the whole import back.
 */
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import { computeLastDay } from '../availability/index.js';
import { agentKeyOf, type BundleError, type BundleMotif, type BundleOpeningPeriod, type TerritoryBundle } from './domain/bundle.js';
import { sortErrors, type ZonesContext } from './domain/bundle-validation.js';
import { BUNDLE_FILES } from './domain/vocabulary.js';
import { ErrorCollector, MAX_KEPT_ERRORS, ZonesCsvReader } from './domain/zones-stream.js';
import { BundleFileError, fileSize, streamBundleFile } from './bundle-files.js';
import * as repository from './bundle-import.repository.js';
import type { Db } from './bundle-import.repository.js';
import { noProgress, type Progress } from './progress.js';

/** The bundle contradicts what the database holds; nothing was written. */
export class BundleRejectedError extends Error {
  override name = 'BundleRejectedError';
  /** `errors`: the first ones (at most about MAX_KEPT_ERRORS from zones.csv); `total`: how many in all. */
  constructor(
    readonly errors: readonly BundleError[],
    readonly total: number = errors.length,
  ) {
    super(`lot refusé : ${total} erreur(s)`);
  }
}

export interface ChangeCount {
  created: number;
  updated: number;
  deleted: number;
}

export interface ImportReport {
  territoryId: number;
  /** Per kind of row (organisations, lieux, zones…): what was created, updated, deleted. */
  changes: Record<string, ChangeCount>;
  /** False when the database already matched the bundle (nothing was written). */
  changed: boolean;
}

const F = BUNDLE_FILES;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Imports a validated bundle; throws BundleRejectedError (nothing written) on a conflict with the
 * database. `dryRun`: everything is done and counted, then rolled back. `zonesFile`: the bundle's
 * `zones.csv`, streamed (bundle.zones is then empty, validateBundle's `zonesStreamed`): each line
 * is checked as validateBundle would, and any error rejects the bundle before the first write.
 */
export async function importTerritoryBundle(db: Db, bundle: TerritoryBundle, options: { progress?: Progress; dryRun?: boolean; zonesFile?: string } = {}): Promise<ImportReport> {
  const progress = options.progress ?? noProgress;
  try {
    return await db.transaction().execute(async (trx) => {
      const report = await runImport(trx, bundle, options.zonesFile, progress);
      if (options.dryRun === true) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

/** Kinds of rows the report counts, in the order of the writes. */
const KINDS = [
  'territoire',
  'services',
  'services du territoire',
  'catégories',
  'catégories du territoire',
  'organisations',
  'lieux',
  'motifs',
  'équipes',
  'agents',
  'rôles',
  'services des agents',
  'équipes des agents',
  'admins du territoire',
  'plages',
  'secteurs',
  'zones',
  'attributions',
] as const;

async function runImport(db: Db, bundle: TerritoryBundle, zonesFile: string | undefined, progress: Progress): Promise<ImportReport> {
  const changes: Record<string, ChangeCount> = Object.fromEntries(KINDS.map((kind) => [kind, { created: 0, updated: 0, deleted: 0 }]));
  const count = (kind: (typeof KINDS)[number]): ChangeCount => changes[kind] ?? { created: 0, updated: 0, deleted: 0 };
  const errors: BundleError[] = [];
  const fail = (file: string, line: number, field: string | null, message: string): void => {
    errors.push({ file, line, field, message });
  };

  // ---- Zones into the temporary table, each line checked; repeated zones found in SQL --------
  const zoneErrors = new ErrorCollector();
  const zoneCount = await loadZones(db, bundle, zonesFile, zoneErrors, progress);

  // ---- Reads and checks against the database (nothing written yet) --------------------------
  progress.phase('vérification', 1);
  const existingTerritory = await repository.findTerritory(db, bundle.territory.departementNumber);
  const territoryIdBefore = existingTerritory?.id ?? null;

  const services = await repository.listServices(db);
  const serviceByShort = new Map(services.map((service) => [service.short_name, service]));
  for (const service of bundle.services) {
    const byShort = serviceByShort.get(service.shortName);
    const byName = services.find((other) => other.name === service.name);
    if (byShort !== undefined && (byShort.name !== service.name || byShort.is_secretariat !== service.isSecretariat)) {
      fail(F.services, service.line, 'nom', `le service « ${service.shortName} » existe déjà sur cette instance sous le nom « ${byShort.name} » (secrétariat : ${byShort.is_secretariat ? 'oui' : 'non'}) : reprenez ces valeurs`);
    } else if (byShort === undefined && byName !== undefined) {
      fail(F.services, service.line, 'nom_court', `le service « ${service.name} » existe déjà sur cette instance sous le nom court « ${byName.short_name} »`);
    }
  }
  const categories = await repository.listMotifCategories(db);
  const categoryByShort = new Map(categories.map((category) => [category.short_name, category]));
  for (const category of bundle.motifCategories) {
    const existing = categoryByShort.get(category.shortName);
    if (existing !== undefined && existing.name !== category.name) {
      fail(F.motifCategories, category.line, 'nom', `la catégorie « ${category.shortName} » existe déjà sous le nom « ${existing.name} »`);
    }
  }

  const organisationRows = await repository.findOrganisations(db, bundle.organisations.map((o) => o.slug), territoryIdBefore);
  const organisationBySlug = new Map(organisationRows.map((row) => [row.slug, row]));
  for (const organisation of bundle.organisations) {
    const existing = organisationBySlug.get(organisation.slug);
    if (existing !== undefined && existing.territory_id !== territoryIdBefore) {
      fail(F.organisations, organisation.line, 'slug', `le slug « ${organisation.slug} » est déjà celui d’une organisation d’un autre territoire`);
    }
    const externalOwner = organisationRows.find((row) => row.territory_id === territoryIdBefore && row.external_id !== null && row.external_id === organisation.externalId && row.slug !== organisation.slug);
    if (externalOwner !== undefined && !bundle.organisations.some((other) => other.slug === externalOwner.slug && other.externalId !== organisation.externalId)) {
      fail(F.organisations, organisation.line, 'id_externe', `l’identifiant externe « ${organisation.externalId ?? ''} » est déjà celui de l’organisation « ${externalOwner.slug} »`);
    }
  }
  const territoryOrganisationIds = organisationRows.filter((row) => row.territory_id === territoryIdBefore).map((row) => row.id);

  const existingPlaces = await repository.listPlaces(db, territoryOrganisationIds);
  const existingMotifs = await repository.listActiveMotifs(db, territoryOrganisationIds);
  const slugOfOrganisationId = new Map(organisationRows.map((row) => [row.id, row.slug]));
  const placeByKey = uniqueByKey(existingPlaces, (place) => `${slugOfOrganisationId.get(place.organisation_id) ?? ''}\u0001${place.name}`);
  for (const place of bundle.places) {
    if (placeByKey.get(`${place.organisation}\u0001${place.name}`) === 'ambiguous') {
      fail(F.places, place.line, 'nom', `plusieurs lieux nommés « ${place.name} » existent déjà dans l’organisation « ${place.organisation} » : renommez-en un avant d’importer`);
    }
  }
  const motifByKey = uniqueByKey(existingMotifs, (motif) => `${slugOfOrganisationId.get(motif.organisation_id) ?? ''}\u0001${motif.name}`);
  for (const motif of bundle.motifs) {
    if (motifByKey.get(`${motif.organisation}\u0001${motif.name}`) === 'ambiguous') {
      fail(F.motifs, motif.line, 'nom', `plusieurs motifs actifs nommés « ${motif.name} » existent déjà dans l’organisation « ${motif.organisation} » : renommez-en un avant d’importer`);
    }
  }

  const emails = bundle.agents.flatMap((agent) => (agent.email === null ? [] : [agent.email]));
  const agentsByEmail = new Map((await repository.findAgentsByEmail(db, emails)).map((row) => [(row.email ?? '').toLowerCase(), row]));
  const intervenantRows = await repository.listIntervenants(db, territoryOrganisationIds);
  const intervenantByName = uniqueByKey(intervenantRows, (row) => `${row.first_name} ${row.last_name}`);
  for (const agent of bundle.agents) {
    const key = agentKeyOf(agent);
    const existing = agent.email === null ? intervenantByName.get(key) : agentsByEmail.get(agent.email);
    if (existing === 'ambiguous') fail(F.agents, agent.line, 'nom', `plusieurs intervenants nommés « ${key} » existent déjà dans ce territoire`);
    else if (existing !== undefined && existing.deleted_at !== null) {
      fail(F.agents, agent.line, 'email', `l’agent « ${key} » a été supprimé sur cette instance : retirez-le du lot ou réactivez son compte d’abord`);
    }
  }
  if (errors.length > 0 || zoneErrors.total > 0) throw new BundleRejectedError(sortErrors([...errors, ...zoneErrors.kept]), errors.length + zoneErrors.total);

  // ---- Writes, in dependency order --------------------------------------------------------------
  progress.phase('territoire, services, organisations', 3);
  const t = bundle.territory;
  let territoryId: number;
  if (existingTerritory === undefined) {
    territoryId = (
      await db.insertInto('territories').values({ departement_number: t.departementNumber, name: t.name, holiday_region: t.holidayRegion }).returning('id').executeTakeFirstOrThrow()
    ).id;
    count('territoire').created += 1;
  } else {
    territoryId = existingTerritory.id;
    if (existingTerritory.name !== t.name || existingTerritory.holiday_region !== t.holidayRegion) {
      await db.updateTable('territories').set({ name: t.name, holiday_region: t.holidayRegion }).where('id', '=', territoryId).execute();
      count('territoire').updated += 1;
    }
  }

  const serviceIds = new Map(services.map((service) => [service.short_name, service.id]));
  for (const service of bundle.services) {
    if (serviceIds.has(service.shortName)) continue;
    const row = await db.insertInto('services').values({ name: service.name, short_name: service.shortName, is_secretariat: service.isSecretariat }).returning('id').executeTakeFirstOrThrow();
    serviceIds.set(service.shortName, row.id);
    count('services').created += 1;
  }
  const wantedServiceIds = new Set(bundle.services.map((service) => serviceIds.get(service.shortName) ?? 0));
  const currentServiceIds = new Set(await repository.listTerritoryServiceIds(db, territoryId));
  const addServices = [...wantedServiceIds].filter((id) => !currentServiceIds.has(id));
  const removeServices = [...currentServiceIds].filter((id) => !wantedServiceIds.has(id));
  if (addServices.length > 0) await db.insertInto('territory_services').values(addServices.map((service_id) => ({ territory_id: territoryId, service_id }))).execute();
  if (removeServices.length > 0) await db.deleteFrom('territory_services').where('territory_id', '=', territoryId).where('service_id', 'in', removeServices).execute();
  count('services du territoire').created += addServices.length;
  count('services du territoire').deleted += removeServices.length;

  const categoryIds = new Map(categories.map((category) => [category.short_name, category.id]));
  for (const category of bundle.motifCategories) {
    if (categoryIds.has(category.shortName)) continue;
    const row = await db.insertInto('motif_categories').values({ name: category.name, short_name: category.shortName }).returning('id').executeTakeFirstOrThrow();
    categoryIds.set(category.shortName, row.id);
    count('catégories').created += 1;
  }
  // The categories enabled in the territory are the bundle's list (the motif form offers them, ADR 0028).
  const wantedCategoryIds = new Set(bundle.motifCategories.map((category) => categoryIds.get(category.shortName) ?? 0));
  const currentCategoryIds = new Set(await repository.listTerritoryCategoryIds(db, territoryId));
  const addCategories = [...wantedCategoryIds].filter((id) => !currentCategoryIds.has(id));
  const removeCategories = [...currentCategoryIds].filter((id) => !wantedCategoryIds.has(id));
  if (addCategories.length > 0) await db.insertInto('territory_motif_categories').values(addCategories.map((motif_category_id) => ({ territory_id: territoryId, motif_category_id }))).execute();
  if (removeCategories.length > 0) await db.deleteFrom('territory_motif_categories').where('territory_id', '=', territoryId).where('motif_category_id', 'in', removeCategories).execute();
  count('catégories du territoire').created += addCategories.length;
  count('catégories du territoire').deleted += removeCategories.length;

  const organisationIds = new Map<string, number>();
  for (const organisation of bundle.organisations) {
    const values = {
      name: organisation.name,
      external_id: organisation.externalId,
      time_zone: organisation.timeZone,
      phone_number: organisation.phoneNumber,
      email: organisation.email,
      website: organisation.website,
      open_on_holidays: [...organisation.openOnHolidays],
    };
    const existing = organisationBySlug.get(organisation.slug);
    if (existing === undefined) {
      const row = await db.insertInto('organisations').values({ ...values, territory_id: territoryId, slug: organisation.slug }).returning('id').executeTakeFirstOrThrow();
      organisationIds.set(organisation.slug, row.id);
      count('organisations').created += 1;
      continue;
    }
    organisationIds.set(organisation.slug, existing.id);
    const stored = { name: existing.name, external_id: existing.external_id, time_zone: existing.time_zone, phone_number: existing.phone_number, email: existing.email, website: existing.website, open_on_holidays: existing.open_on_holidays };
    if (!same(stored, values)) {
      await db.updateTable('organisations').set(values).where('id', '=', existing.id).execute();
      count('organisations').updated += 1;
    }
  }
  const organisationIdOf = (slug: string): number => organisationIds.get(slug) ?? 0;

  progress.phase('lieux et motifs', bundle.places.length + bundle.motifs.length);
  const placeIds = new Map<string, number>();
  for (const place of bundle.places) {
    const key = `${place.organisation}\u0001${place.name}`;
    const values = { address: place.address, latitude: place.latitude, longitude: place.longitude, time_zone: place.timeZone, phone_number: place.phoneNumber, status: 'enabled' as const };
    const existing = placeByKey.get(key);
    if (existing === undefined || existing === 'ambiguous') {
      const row = await db.insertInto('places').values({ ...values, organisation_id: organisationIdOf(place.organisation), name: place.name }).returning('id').executeTakeFirstOrThrow();
      placeIds.set(key, row.id);
      count('lieux').created += 1;
    } else {
      placeIds.set(key, existing.id);
      const stored = { address: existing.address, latitude: existing.latitude, longitude: existing.longitude, time_zone: existing.time_zone, phone_number: existing.phone_number, status: existing.status };
      if (!same(stored, values)) {
        await db.updateTable('places').set(values).where('id', '=', existing.id).execute();
        count('lieux').updated += 1;
      }
    }
    progress.advance(1);
  }

  const motifIds = new Map<string, number>();
  for (const motif of bundle.motifs) {
    const key = `${motif.organisation}\u0001${motif.name}`;
    const values = motifValues(motif, serviceIds.get(motif.service) ?? 0, motif.category === null ? null : (categoryIds.get(motif.category) ?? null));
    const existing = motifByKey.get(key);
    if (existing === undefined || existing === 'ambiguous') {
      const row = await db.insertInto('appointment_types').values({ ...values, organisation_id: organisationIdOf(motif.organisation), name: motif.name }).returning('id').executeTakeFirstOrThrow();
      motifIds.set(key, row.id);
      count('motifs').created += 1;
    } else {
      motifIds.set(key, existing.id);
      const stored = Object.fromEntries(Object.keys(values).map((column) => [column, existing[column as keyof typeof existing]]));
      if (!same(stored, values)) {
        await db.updateTable('appointment_types').set(values).where('id', '=', existing.id).execute();
        count('motifs').updated += 1;
      }
    }
    progress.advance(1);
  }

  progress.phase('équipes et agents', bundle.agents.length);
  const teamIds = new Map((await repository.listTeams(db, territoryId)).map((team) => [team.name, team.id]));
  for (const team of bundle.teams) {
    if (teamIds.has(team.name)) continue;
    const row = await db.insertInto('teams').values({ territory_id: territoryId, name: team.name }).returning('id').executeTakeFirstOrThrow();
    teamIds.set(team.name, row.id);
    count('équipes').created += 1;
  }

  const agentIds = new Map<string, number>();
  for (const agent of bundle.agents) {
    const key = agentKeyOf(agent);
    const found = agent.email === null ? intervenantByName.get(key) : agentsByEmail.get(agent.email);
    const existing = found === 'ambiguous' ? undefined : found;
    if (existing === undefined) {
      // No password: an agent signs in once invited (docs/territory-bundles.md, "Agents").
      const row = await db.insertInto('agents').values({ email: agent.email, first_name: agent.firstName, last_name: agent.lastName, password_hash: null }).returning('id').executeTakeFirstOrThrow();
      agentIds.set(key, row.id);
      count('agents').created += 1;
    } else {
      agentIds.set(key, existing.id);
      if (existing.first_name !== agent.firstName || existing.last_name !== agent.lastName) {
        await db.updateTable('agents').set({ first_name: agent.firstName, last_name: agent.lastName }).where('id', '=', existing.id).execute();
        count('agents').updated += 1;
      }
    }
    progress.advance(1);
  }
  const bundleAgentIds = [...agentIds.values()];
  const allOrganisationIds = [...new Set([...territoryOrganisationIds, ...organisationIds.values()])];

  // Roles in this territory's organisations, services and teams: the bundle's lists replace the stored ones.
  const roleRows = await repository.listAgentRoles(db, bundleAgentIds, allOrganisationIds);
  const wantedRoles = bundle.agents.flatMap((agent) => agent.roles.map((role) => ({ agent_id: agentIds.get(agentKeyOf(agent)) ?? 0, organisation_id: organisationIdOf(role.organisation), access_level: role.accessLevel })));
  const roleKey = (row: { agent_id: number; organisation_id: number }): string => `${row.agent_id}:${row.organisation_id}`;
  const storedRoles = new Map(roleRows.map((row) => [roleKey(row), row]));
  const wantedRoleKeys = new Set(wantedRoles.map(roleKey));
  for (const role of wantedRoles) {
    const stored = storedRoles.get(roleKey(role));
    if (stored === undefined) {
      await db.insertInto('agent_roles').values(role).execute();
      count('rôles').created += 1;
    } else if (stored.access_level !== role.access_level) {
      await db.updateTable('agent_roles').set({ access_level: role.access_level }).where('agent_id', '=', role.agent_id).where('organisation_id', '=', role.organisation_id).execute();
      count('rôles').updated += 1;
    }
  }
  for (const stored of roleRows.filter((row) => !wantedRoleKeys.has(roleKey(row)))) {
    await db.deleteFrom('agent_roles').where('agent_id', '=', stored.agent_id).where('organisation_id', '=', stored.organisation_id).execute();
    count('rôles').deleted += 1;
  }

  const pairDiff = async (
    kind: (typeof KINDS)[number],
    stored: readonly { agent_id: number; other: number }[],
    wanted: readonly { agent_id: number; other: number }[],
    insert: (rows: { agent_id: number; other: number }[]) => Promise<void>,
    remove: (row: { agent_id: number; other: number }) => Promise<void>,
  ): Promise<void> => {
    const key = (row: { agent_id: number; other: number }): string => `${row.agent_id}:${row.other}`;
    const storedKeys = new Set(stored.map(key));
    const wantedKeys = new Set(wanted.map(key));
    const toInsert = wanted.filter((row) => !storedKeys.has(key(row)));
    if (toInsert.length > 0) await insert(toInsert);
    for (const row of stored.filter((r) => !wantedKeys.has(key(r)))) await remove(row);
    count(kind).created += toInsert.length;
    count(kind).deleted += stored.filter((r) => !wantedKeys.has(key(r))).length;
  };
  await pairDiff(
    'services des agents',
    (await repository.listAgentServices(db, bundleAgentIds)).map((row) => ({ agent_id: row.agent_id, other: row.service_id })),
    bundle.agents.flatMap((agent) => agent.services.map((service) => ({ agent_id: agentIds.get(agentKeyOf(agent)) ?? 0, other: serviceIds.get(service) ?? 0 }))),
    async (rows) => {
      await db.insertInto('agent_services').values(rows.map((row) => ({ agent_id: row.agent_id, service_id: row.other }))).execute();
    },
    async (row) => {
      await db.deleteFrom('agent_services').where('agent_id', '=', row.agent_id).where('service_id', '=', row.other).execute();
    },
  );
  await pairDiff(
    'équipes des agents',
    (await repository.listAgentTeams(db, bundleAgentIds, [...teamIds.values()])).map((row) => ({ agent_id: row.agent_id, other: row.team_id })),
    bundle.agents.flatMap((agent) => agent.teams.map((team) => ({ agent_id: agentIds.get(agentKeyOf(agent)) ?? 0, other: teamIds.get(team) ?? 0 }))),
    async (rows) => {
      await db.insertInto('agent_teams').values(rows.map((row) => ({ agent_id: row.agent_id, team_id: row.other }))).execute();
    },
    async (row) => {
      await db.deleteFrom('agent_teams').where('agent_id', '=', row.agent_id).where('team_id', '=', row.other).execute();
    },
  );
  const bundleAgentIdSet = new Set(bundleAgentIds);
  await pairDiff(
    'admins du territoire',
    (await repository.listTerritorialAdmins(db, territoryId)).filter((id) => bundleAgentIdSet.has(id)).map((id) => ({ agent_id: id, other: territoryId })),
    bundle.agents.filter((agent) => agent.territorialAdmin).map((agent) => ({ agent_id: agentIds.get(agentKeyOf(agent)) ?? 0, other: territoryId })),
    async (rows) => {
      await db.insertInto('agent_territorial_roles').values(rows.map((row) => ({ agent_id: row.agent_id, territory_id: row.other }))).execute();
    },
    async (row) => {
      await db.deleteFrom('agent_territorial_roles').where('agent_id', '=', row.agent_id).where('territory_id', '=', row.other).execute();
    },
  );

  // Opening periods: the bundle's list is the whole list of each organisation it describes.
  progress.phase('plages d’ouverture', bundle.openingPeriods.length);
  const bundleOrganisationIds = [...organisationIds.values()];
  const storedPeriods = await repository.listOpeningPeriods(db, bundleOrganisationIds);
  const periodSignature = (period: { organisation_id: number; agent_id: number; place_id: number | null; title: string; first_day: string; last_day: string | null; start_time: string; end_time: string; recurrence: string | null; excluded_dates: readonly string[]; motif_ids: readonly number[] }): string =>
    JSON.stringify([period.organisation_id, period.agent_id, period.place_id, period.title, period.first_day, period.last_day, period.start_time, period.end_time, period.recurrence, [...period.excluded_dates].sort(), [...period.motif_ids].sort((a, b) => a - b)]);
  const unmatched = new Map<string, number[]>();
  for (const stored of storedPeriods) {
    const signature = periodSignature(stored);
    unmatched.set(signature, [...(unmatched.get(signature) ?? []), stored.id]);
  }
  const periodsToInsert: ReturnType<typeof periodRow>[] = [];
  for (const period of bundle.openingPeriods) {
    const row = periodRow(period, organisationIdOf(period.organisation), agentIds.get(period.agent) ?? 0, period.place === null ? null : (placeIds.get(`${period.organisation}\u0001${period.place}`) ?? null), motifIds);
    const ids = unmatched.get(periodSignature(row));
    if (ids !== undefined && ids.length > 0) ids.shift();
    else periodsToInsert.push(row);
  }
  const periodsToDelete = [...unmatched.values()].flat();
  await repository.inBatches(periodsToDelete, async (batch) => {
    await db.deleteFrom('opening_periods').where('id', 'in', batch).execute();
  });
  for (const row of periodsToInsert) {
    const { motif_ids: motifIdsOfPeriod, ...values } = row;
    const inserted = await db.insertInto('opening_periods').values({ ...values, excluded_dates: [...values.excluded_dates] }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('opening_period_appointment_types').values(motifIdsOfPeriod.map((appointment_type_id) => ({ opening_period_id: inserted.id, appointment_type_id }))).execute();
    progress.advance(1);
  }
  count('plages').created += periodsToInsert.length;
  count('plages').deleted += periodsToDelete.length;

  // Sectorisation: sectors by identifier; the zones and attributions of each sector are the bundle's.
  progress.phase('secteurs et zones', zoneCount);
  const sectorRows = await repository.listSectors(db, territoryId);
  const sectorIds = new Map(sectorRows.map((row) => [row.human_id, row.id]));
  for (const sector of bundle.sectors) {
    const existing = sectorRows.find((row) => row.human_id === sector.humanId);
    if (existing === undefined) {
      const row = await db.insertInto('sectors').values({ territory_id: territoryId, human_id: sector.humanId, name: sector.name }).returning('id').executeTakeFirstOrThrow();
      sectorIds.set(sector.humanId, row.id);
      count('secteurs').created += 1;
    } else if (existing.name !== sector.name) {
      await db.updateTable('sectors').set({ name: sector.name }).where('id', '=', existing.id).execute();
      count('secteurs').updated += 1;
    }
  }
  const bundleSectorIds = bundle.sectors.map((sector) => sectorIds.get(sector.humanId) ?? 0);
  const zoneChanges = await repository.synchroniseZones(db, territoryId, bundleSectorIds, (rows) => {
    progress.advance(rows);
  });
  count('zones').created += zoneChanges.created;
  count('zones').updated += zoneChanges.updated;
  count('zones').deleted += zoneChanges.deleted;

  const attributionKey = (row: { sector_id: number; organisation_id: number; agent_id: number | null }): string => `${row.sector_id}:${row.organisation_id}:${row.agent_id ?? ''}`;
  const storedAttributions = new Map((await repository.listAttributions(db, bundleSectorIds)).map((row) => [attributionKey(row), row]));
  const attributionsToInsert: { sector_id: number; organisation_id: number; agent_id: number | null; level: 'organisation' | 'agent' }[] = [];
  for (const attribution of bundle.attributions) {
    const row = {
      sector_id: sectorIds.get(attribution.sector) ?? 0,
      organisation_id: organisationIdOf(attribution.organisation),
      agent_id: attribution.agent === null ? null : (agentIds.get(attribution.agent) ?? 0),
    };
    if (storedAttributions.delete(attributionKey(row))) continue;
    attributionsToInsert.push({ ...row, level: row.agent_id === null ? 'organisation' : 'agent' });
  }
  const attributionsToDelete = [...storedAttributions.values()].map((row) => row.id);
  if (attributionsToDelete.length > 0) await db.deleteFrom('sector_attributions').where('id', 'in', attributionsToDelete).execute();
  if (attributionsToInsert.length > 0) await db.insertInto('sector_attributions').values(attributionsToInsert).execute();
  count('attributions').created += attributionsToInsert.length;
  count('attributions').deleted += attributionsToDelete.length;

  const changed = Object.values(changes).some((c) => c.created + c.updated + c.deleted > 0);
  if (changed) {
    const details: Record<string, number | string> = { source: 'territory:import' };
    for (const [kind, c] of Object.entries(changes)) {
      if (c.created + c.updated + c.deleted > 0) details[kind] = `+${c.created} ~${c.updated} -${c.deleted}`;
    }
    await insertAuditEntry(db, { actor: { type: 'system' }, action: existingTerritory === undefined ? 'create' : 'update', subjectType: 'territory', subjectId: territoryId, territoryId, details });
  }
  progress.done();
  return { territoryId, changes, changed };
}

/**
 * Checks a streamed `zones.csv` line by line without a database (the other files of the bundle
 * have errors: the import will not run, but the report lists this file's errors too). Repeated
 * zones are not looked for here (the import finds them in SQL).
 */
export async function checkZonesFile(zonesFile: string, context: ZonesContext): Promise<ErrorCollector> {
  const reader = new ZonesCsvReader(context);
  try {
    for await (const chunk of streamBundleFile(zonesFile)) reader.push(chunk.text);
  } catch (error) {
    if (!(error instanceof BundleFileError)) throw error;
    reader.errors.add([{ file: F.zones, line: 0, field: null, message: error.reason }]);
    return reader.errors;
  }
  reader.end();
  return reader.errors;
}

/**
 * Loads the bundle's zones into the temporary table `bundle_zones`, BATCH_SIZE rows at a time:
 * from `zonesFile` streamed (each line checked, errors collected), or from bundle.zones (already
 * validated). Then finds repeated zones in SQL. Returns the number of zones loaded.
 */
async function loadZones(db: Db, bundle: TerritoryBundle, zonesFile: string | undefined, errors: ErrorCollector, progress: Progress): Promise<number> {
  await repository.createBundleZonesTable(db);
  let loaded = 0;
  if (zonesFile === undefined) {
    progress.phase(`lecture de ${F.zones}`, bundle.zones.length);
    await repository.inBatches(bundle.zones, async (batch) => {
      await repository.insertBundleZones(db, batch);
      loaded += batch.length;
      progress.advance(batch.length);
    });
  } else {
    progress.phase(`lecture de ${F.zones} (octets)`, await fileSize(zonesFile));
    const context = { departementNumber: bundle.territory.departementNumber, sectors: new Set(bundle.sectors.map((sector) => sector.humanId)) };
    const reader = new ZonesCsvReader(context);
    let pending: ReturnType<ZonesCsvReader['push']> = [];
    const flush = async (all: boolean): Promise<void> => {
      while (pending.length >= repository.BATCH_SIZE || (all && pending.length > 0)) {
        const batch = pending.slice(0, repository.BATCH_SIZE);
        pending = pending.slice(repository.BATCH_SIZE);
        await repository.insertBundleZones(db, batch);
        loaded += batch.length;
      }
    };
    let readable = true;
    try {
      for await (const chunk of streamBundleFile(zonesFile)) {
        pending.push(...reader.push(chunk.text));
        await flush(false);
        progress.advance(chunk.bytes);
      }
    } catch (error) {
      if (!(error instanceof BundleFileError)) throw error;
      reader.errors.add([{ file: F.zones, line: 0, field: null, message: error.reason }]);
      readable = false;
    }
    if (readable) pending.push(...reader.end());
    await flush(true);
    errors.add(reader.errors.kept);
    errors.count(reader.errors.total - reader.errors.kept.length);
  }
  const { repeated, total } = await repository.findRepeatedBundleZones(db, MAX_KEPT_ERRORS);
  errors.add(repeated.map((row) => ({ file: F.zones, line: row.line, field: 'code_insee', message: `zone déjà décrit ligne ${row.first_line}` })));
  errors.count(total - repeated.length);
  return loaded;
}

function uniqueByKey<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T | 'ambiguous'> {
  const map = new Map<string, T | 'ambiguous'>();
  for (const row of rows) {
    const key = keyOf(row);
    map.set(key, map.has(key) ? 'ambiguous' : row);
  }
  return map;
}

function motifValues(motif: BundleMotif, serviceId: number, categoryId: number | null) {
  return {
    service_id: serviceId,
    motif_category_id: categoryId,
    color: motif.color,
    duration_minutes: motif.durationMinutes,
    slot_step_minutes: motif.slotStepMinutes,
    buffer_before_minutes: motif.bufferBeforeMinutes,
    buffer_after_minutes: motif.bufferAfterMinutes,
    location_type: motif.locationType,
    bookable_by: motif.bookableBy,
    min_booking_notice_minutes: motif.minBookingNoticeMinutes,
    max_booking_notice_minutes: motif.maxBookingNoticeMinutes,
    is_collective: motif.isCollective,
    is_follow_up_only: motif.isFollowUpOnly,
    visibility: motif.visibility,
    sectorisation_level: motif.sectorisationLevel,
    restriction_for_booking: motif.restrictionForBooking,
    instruction_for_booking: motif.instructionForBooking,
    cancel_deadline_minutes: motif.cancelDeadlineMinutes,
    reschedule_deadline_minutes: motif.rescheduleDeadlineMinutes,
    reminder_offsets_minutes: [...motif.reminderOffsetsMinutes],
  };
}

function periodRow(period: BundleOpeningPeriod, organisationId: number, agentId: number, placeId: number | null, motifIds: ReadonlyMap<string, number>) {
  return {
    organisation_id: organisationId,
    agent_id: agentId,
    place_id: placeId,
    title: period.title,
    first_day: period.firstDay,
    last_day: computeLastDay(period.firstDay, period.recurrence, { chosenLastDay: period.lastDay }),
    start_time: period.startTime,
    end_time: period.endTime,
    recurrence: period.recurrence,
    excluded_dates: [...period.excludedDates].sort(),
    motif_ids: period.motifs.map((name) => motifIds.get(`${period.organisation}\u0001${name}`) ?? 0).sort((a, b) => a - b),
  };
}

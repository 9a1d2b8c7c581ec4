/**
 * `territory:export`: the territory written back in the bundle format (and, on request, its
 * usagers and appointments), read in one snapshot transaction so that the files agree.
 */
import { agentKeyOf, type BundleAgent, type BundleOpeningPeriod, type TerritoryBundle } from './domain/bundle.js';
import { serialiseBundle } from './domain/bundle-serialisation.js';
import { writeCsv } from './domain/csv.js';
import { EXPORT_ONLY_FILES } from './domain/vocabulary.js';
import * as exportRepository from './bundle-export.repository.js';
import * as repository from './bundle-import.repository.js';
import type { Db } from './bundle-import.repository.js';

export class UnknownTerritoryError extends Error {
  override name = 'UnknownTerritoryError';
}

/** A stored name that cannot serve as a natural key (two places of one organisation share it…). */
export class AmbiguousKeyError extends Error {
  override name = 'AmbiguousKeyError';
}

export interface ExportOptions {
  withUsers?: boolean;
  withAppointments?: boolean;
}

/** The bundle of a territory, and its files (file name → CSV text). */
export async function exportTerritoryBundle(db: Db, departementNumber: string, options: ExportOptions = {}): Promise<{ bundle: TerritoryBundle; files: Map<string, string> }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const bundle = await readBundle(trx, departementNumber);
      const files = serialiseBundle(bundle);
      const organisations = await exportRepository.listOrganisationsOf(trx, (await exportRepository.findTerritoryByCode(trx, departementNumber))?.id ?? 0);
      const organisationIds = organisations.map((organisation) => organisation.id);
      if (options.withUsers === true) {
        const users = await exportRepository.listUsersOf(trx, organisationIds);
        files.set(
          EXPORT_ONLY_FILES.users,
          writeCsv(
            ['reference', 'responsable', 'prenom', 'nom', 'nom_naissance', 'date_naissance', 'email', 'telephone', 'adresse', 'notifier_sms', 'notifier_email', 'organisations'],
            users.map((user) => [
              `u${user.id}`,
              user.responsible_id === null ? '' : `u${user.responsible_id}`,
              user.first_name,
              user.last_name,
              user.birth_name ?? '',
              user.birth_date ?? '',
              user.email ?? '',
              user.phone_number ?? '',
              user.address ?? '',
              user.notify_by_sms ? 'oui' : 'non',
              user.notify_by_email ? 'oui' : 'non',
              user.organisations.join('|'),
            ]),
          ),
        );
      }
      if (options.withAppointments === true) {
        const agentKeys = new Map(bundle.agents.map((agent) => [agent.line, agentKeyOf(agent)]));
        const appointments = await exportRepository.listAppointmentsOf(trx, organisationIds);
        files.set(
          EXPORT_ONLY_FILES.appointments,
          writeCsv(
            ['reference', 'organisation', 'motif', 'lieu', 'debut', 'fin', 'fuseau_horaire', 'statut', 'collectif', 'places_max', 'titre', 'cree_par', 'agents', 'participants'],
            appointments.map((appointment) => [
              appointment.public_id,
              appointment.organisation_slug,
              appointment.motif_name,
              appointment.place_name ?? '',
              appointment.starts_at,
              appointment.ends_at,
              appointment.time_zone,
              appointment.status,
              appointment.is_collective ? 'oui' : 'non',
              appointment.max_participants === null ? '' : String(appointment.max_participants),
              appointment.name ?? '',
              appointment.created_by_type,
              appointment.agent_ids.map((id) => agentKeys.get(id) ?? `agent-${id}`).join('|'),
              appointment.participants.map((participant) => `u${participant}`).join('|'),
            ]),
          ),
        );
      }
      return { bundle, files };
    });
}

async function readBundle(db: Db, departementNumber: string): Promise<TerritoryBundle> {
  const territory = await exportRepository.findTerritoryByCode(db, departementNumber);
  if (territory === undefined) throw new UnknownTerritoryError(`aucun territoire ${departementNumber} sur cette instance`);
  const organisations = await exportRepository.listOrganisationsOf(db, territory.id);
  const organisationIds = organisations.map((organisation) => organisation.id);
  const slugOf = new Map(organisations.map((organisation) => [organisation.id, organisation.slug]));
  const agents = await exportRepository.listAgentsOf(db, organisationIds);
  const agentIds = agents.map((agent) => agent.id);
  const services = await exportRepository.listServicesUsedBy(db, territory.id, organisationIds, agentIds);
  const shortNameOf = new Map(services.map((service) => [service.id, service.short_name]));
  const places = await exportRepository.listEnabledPlaces(db, organisationIds);
  const motifs = await repository.listActiveMotifs(db, organisationIds);
  // The categories the territory enables, plus any its motifs still use (disabled since): the import enables exactly these.
  const categoryIds = new Set([...(await repository.listTerritoryCategoryIds(db, territory.id)), ...motifs.flatMap((motif) => (motif.motif_category_id === null ? [] : [motif.motif_category_id]))]);
  const categories = await exportRepository.listCategoriesByIds(db, [...categoryIds]);
  const categoryShortNameOf = new Map(categories.map((category) => [category.id, category.short_name]));
  const teams = await repository.listTeams(db, territory.id);
  const teamNameOf = new Map(teams.map((team) => [team.id, team.name]));

  assertUnique(places, (place) => `${slugOf.get(place.organisation_id) ?? ''} / ${place.name}`, 'lieux');
  assertUnique(motifs, (motif) => `${slugOf.get(motif.organisation_id) ?? ''} / ${motif.name}`, 'motifs actifs');
  const placeNameOf = new Map(places.map((place) => [place.id, place.name]));
  const motifNameOf = new Map(motifs.map((motif) => [motif.id, motif.name]));

  const roles = await repository.listAgentRoles(db, agentIds, organisationIds);
  const agentServices = await repository.listAgentServices(db, agentIds);
  const agentTeams = await repository.listAgentTeams(db, agentIds, teams.map((team) => team.id));
  const territorialAdmins = new Set(await repository.listTerritorialAdmins(db, territory.id));
  const bundleAgents: BundleAgent[] = agents.map((agent) => ({
    line: agent.id,
    email: agent.email?.toLowerCase() ?? null,
    firstName: agent.first_name,
    lastName: agent.last_name,
    roles: roles.filter((role) => role.agent_id === agent.id).map((role) => ({ organisation: slugOf.get(role.organisation_id) ?? '', accessLevel: role.access_level })),
    services: agentServices.filter((row) => row.agent_id === agent.id).map((row) => shortNameOf.get(row.service_id) ?? ''),
    teams: agentTeams.filter((row) => row.agent_id === agent.id).map((row) => teamNameOf.get(row.team_id) ?? ''),
    territorialAdmin: territorialAdmins.has(agent.id),
  }));
  assertUnique(bundleAgents, agentKeyOf, 'agents');
  const agentKeyOfId = new Map(bundleAgents.map((agent) => [agent.line, agentKeyOf(agent)]));

  const periods = await repository.listOpeningPeriods(db, organisationIds);
  const openingPeriods: BundleOpeningPeriod[] = periods.flatMap((period) => {
    const agent = agentKeyOfId.get(period.agent_id);
    const motifNames = period.motif_ids.flatMap((id) => {
      const name = motifNameOf.get(id);
      return name === undefined ? [] : [name];
    });
    if (agent === undefined || motifNames.length === 0) return [];
    const derivedEnd = period.recurrence === null || /(^|;)(UNTIL|COUNT)=/.test(period.recurrence);
    return [
      {
        line: period.id,
        organisation: slugOf.get(period.organisation_id) ?? '',
        agent,
        place: period.place_id === null ? null : (placeNameOf.get(period.place_id) ?? null),
        title: period.title,
        firstDay: period.first_day,
        lastDay: derivedEnd ? null : period.last_day,
        startTime: period.start_time,
        endTime: period.end_time,
        recurrence: period.recurrence,
        excludedDates: period.excluded_dates,
        motifs: motifNames,
      },
    ];
  });

  const sectors = await repository.listSectors(db, territory.id);
  const sectorIdOf = new Map(sectors.map((sector) => [sector.id, sector.human_id]));
  const sectorIds = sectors.map((sector) => sector.id);
  const zones = await repository.listZones(db, sectorIds);
  const attributions = await repository.listAttributions(db, sectorIds);

  return {
    territory: { line: 0, departementNumber: territory.departement_number, name: territory.name, holidayRegion: territory.holiday_region },
    services: services.map((service) => ({ line: 0, shortName: service.short_name, name: service.name, isSecretariat: service.is_secretariat })),
    motifCategories: categories.map((category) => ({ line: 0, shortName: category.short_name, name: category.name })),
    organisations: organisations.map((o) => ({
      line: 0,
      slug: o.slug,
      name: o.name,
      externalId: o.external_id,
      timeZone: o.time_zone,
      phoneNumber: o.phone_number,
      email: o.email,
      website: o.website,
      openOnHolidays: o.open_on_holidays,
    })),
    places: places.map((p) => ({
      line: 0,
      organisation: slugOf.get(p.organisation_id) ?? '',
      name: p.name,
      address: p.address,
      latitude: p.latitude,
      longitude: p.longitude,
      timeZone: p.time_zone,
      phoneNumber: p.phone_number,
    })),
    motifs: motifs.map((m) => ({
      line: 0,
      organisation: slugOf.get(m.organisation_id) ?? '',
      name: m.name,
      service: shortNameOf.get(m.service_id) ?? '',
      category: m.motif_category_id === null ? null : (categoryShortNameOf.get(m.motif_category_id) ?? null),
      color: m.color,
      durationMinutes: m.duration_minutes,
      slotStepMinutes: m.slot_step_minutes,
      bufferBeforeMinutes: m.buffer_before_minutes,
      bufferAfterMinutes: m.buffer_after_minutes,
      locationType: m.location_type,
      bookableBy: m.bookable_by,
      minBookingNoticeMinutes: m.min_booking_notice_minutes,
      maxBookingNoticeMinutes: m.max_booking_notice_minutes,
      isCollective: m.is_collective,
      isFollowUpOnly: m.is_follow_up_only,
      visibility: m.visibility,
      sectorisationLevel: m.sectorisation_level,
      cancelDeadlineMinutes: m.cancel_deadline_minutes,
      rescheduleDeadlineMinutes: m.reschedule_deadline_minutes,
      reminderOffsetsMinutes: m.reminder_offsets_minutes,
      restrictionForBooking: m.restriction_for_booking,
      instructionForBooking: m.instruction_for_booking,
    })),
    teams: teams.map((team) => ({ line: 0, name: team.name })),
    agents: bundleAgents,
    openingPeriods,
    sectors: sectors.map((sector) => ({ line: 0, humanId: sector.human_id, name: sector.name })),
    zones: zones.map((zone) => ({
      line: 0,
      sector: sectorIdOf.get(zone.sector_id) ?? '',
      cityCode: zone.city_code,
      cityName: zone.city_name,
      streetBanId: zone.street_ban_id,
      streetName: zone.street_name,
    })),
    attributions: attributions.map((attribution) => ({
      line: 0,
      sector: sectorIdOf.get(attribution.sector_id) ?? '',
      organisation: slugOf.get(attribution.organisation_id) ?? '',
      agent: attribution.agent_id === null ? null : (agentKeyOfId.get(attribution.agent_id) ?? null),
    })),
  };
}

function assertUnique<T>(rows: readonly T[], keyOf: (row: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row);
    if (seen.has(key)) throw new AmbiguousKeyError(`${what} : « ${key} » désigne plusieurs lignes ; renommez-en une avant d’exporter (les noms servent de clés naturelles)`);
    seen.add(key);
  }
}

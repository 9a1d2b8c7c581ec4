/**
 * Validation of a whole bundle, before anything is written: every file, every line, every field,
 * then the references between files (an opening period's agent, place and motifs; a zone's
 * sector…). Pure: it receives the files' texts and returns the bundle or every error found.
 */
import { parseIsoDate } from '../../../shared/time/index.js';
import { validateOpeningPeriod } from '../../availability/index.js';
import {
  agentKeyOf,
  type BundleAgent,
  type BundleAgentRole,
  type BundleAttribution,
  type BundleError,
  type BundleMotif,
  type BundleMotifCategory,
  type BundleOpeningPeriod,
  type BundleOrganisation,
  type BundlePlace,
  type BundleSector,
  type BundleService,
  type BundleTerritory,
  type BundleZone,
  type TerritoryBundle,
} from './bundle.js';
import { readCsvFile, type RowReader } from './row-reader.js';
import {
  ACCESS_LEVELS,
  BOOKABLE_BY,
  BUNDLE_FILES,
  COLUMNS,
  LOCATION_TYPES,
  OPTIONAL_FILES,
  SECTORISATION_LEVELS,
  VISIBILITIES,
  type AccessLevel,
} from './vocabulary.js';

export type BundleValidation =
  | { readonly ok: true; readonly bundle: TerritoryBundle; readonly zonesContext: ZonesContext }
  | { readonly ok: false; readonly errors: readonly BundleError[]; readonly zonesContext: ZonesContext };

/** What a line of a streamed `zones.csv` is checked against (the other files of its bundle). */
export interface ZonesContext {
  readonly departementNumber: string;
  /** The sectors of `secteurs.csv`; null when that file could not be read (its references are not reported again). */
  readonly sectors: ReadonlySet<string> | null;
}

export type ZonesValidation = { readonly ok: true; readonly zones: readonly BundleZone[] } | { readonly ok: false; readonly errors: readonly BundleError[] };

const DEPARTEMENT_NUMBER = /^([0-9]{2}|2A|2B|9[78][0-9])$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SECTOR_ID = /^[a-z0-9]+([_-][a-z0-9]+)*$/;
const INSEE_CODE = /^[0-9][0-9AB][0-9]{3}$/;
// BAN street key: INSEE code, underscore, 4-character FANTOIR code (ecosystem.md §3.1).
const BAN_STREET_ID = /^([0-9][0-9AB][0-9]{3})_[0-9A-Z]{4}$/;
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const HOLIDAY_REGION = /^[A-Z0-9]{2,3}$/;
const MAX_NOTICE_MINUTES = 2 * 365 * 24 * 60;

/**
 * Validates every file of a bundle (`files`: file name → text, absent when the file is missing).
 * `zonesStreamed`: `zones.csv` is not in `files` but streamed by the import (bundle.zones is empty);
 * its lines are checked then, against `zonesContext`.
 */
export function validateBundle(files: ReadonlyMap<string, string>, options: { zonesStreamed?: boolean } = {}): BundleValidation {
  const errors: BundleError[] = [];
  // Files whose rows are unknown (missing, unreadable, bad header): references to them are not reported again.
  const broken = new Set<string>();
  const rowsOf = (file: keyof typeof COLUMNS): readonly RowReader[] => {
    if (file === BUNDLE_FILES.zones && options.zonesStreamed === true) return [];
    const text = files.get(file);
    if (text === undefined) {
      if (!OPTIONAL_FILES.includes(file)) {
        errors.push({ file, line: 0, field: null, message: 'fichier manquant dans le lot' });
        broken.add(file);
      }
      return [];
    }
    const read = readCsvFile(file, text, COLUMNS[file], errors);
    if (read.broken) broken.add(file);
    return read.rows;
  };

  const territory = readTerritory(rowsOf(BUNDLE_FILES.territory), errors);
  const services = rowsOf(BUNDLE_FILES.services).map(readService);
  const motifCategories = rowsOf(BUNDLE_FILES.motifCategories).map(readCategory);
  const organisations = rowsOf(BUNDLE_FILES.organisations).map((row) => readOrganisation(row, defaultTimeZone(territory)));
  const places = rowsOf(BUNDLE_FILES.places).map((row) => readPlace(row, defaultTimeZone(territory)));
  const motifs = rowsOf(BUNDLE_FILES.motifs).map(readMotif);
  const teams = rowsOf(BUNDLE_FILES.teams).map((row) => ({ line: row.line, name: row.text('nom', 100) }));
  const agents = rowsOf(BUNDLE_FILES.agents).map(readAgent);
  const openingPeriods = rowsOf(BUNDLE_FILES.openingPeriods).map(readOpeningPeriod);
  const sectors = rowsOf(BUNDLE_FILES.sectors).map(readSector);
  const zones = rowsOf(BUNDLE_FILES.zones).map(readZone);
  const attributions = rowsOf(BUNDLE_FILES.attributions).map(readAttribution);

  const bundle: TerritoryBundle = { territory, services, motifCategories, organisations, places, motifs, teams, agents, openingPeriods, sectors, zones, attributions };
  const referenceErrors: BundleError[] = [];
  checkReferences(bundle, referenceErrors);
  errors.push(...referenceErrors.filter((error) => ![...broken].some((file) => error.message.includes(file))));
  const zonesContext: ZonesContext = { departementNumber: territory.departementNumber, sectors: broken.has(BUNDLE_FILES.sectors) ? null : new Set(sectors.map((sector) => sector.humanId)) };
  return errors.length === 0 ? { ok: true, bundle, zonesContext } : { ok: false, errors: sortErrors(errors), zonesContext };
}

/**
 * `zones.csv` alone, as the sectorisation administration imports it (ADR 0031): the same columns,
 * cells and French messages as in a bundle, repeated zones, and communes of the département. The
 * sectors it names are checked against the database by the caller (they are not in the file).
 */
export function validateZonesFile(text: string, departementNumber: string): ZonesValidation {
  const errors: BundleError[] = [];
  const zones = readCsvFile(BUNDLE_FILES.zones, text, COLUMNS[BUNDLE_FILES.zones], errors).rows.map(readZone);
  checkUnique(zones, zoneKeyOf, BUNDLE_FILES.zones, 'code_insee', errors, 'zone');
  for (const zone of zones) checkZoneDepartement(zone, departementNumber, errors);
  return errors.length === 0 ? { ok: true, zones } : { ok: false, errors: sortErrors(errors) };
}

const zoneKeyOf = (z: BundleZone): string => `${z.sector}\u0001${z.cityCode}\u0001${z.streetBanId ?? ''}`;

export function checkZoneDepartement(zone: BundleZone, departement: string, errors: BundleError[]): void {
  if (departement !== '' && INSEE_CODE.test(zone.cityCode) && !zone.cityCode.startsWith(departement)) {
    errors.push({ file: BUNDLE_FILES.zones, line: zone.line, field: 'code_insee', message: `la commune ${zone.cityCode} n’est pas dans le département ${departement}` });
  }
}

const FILE_ORDER: readonly string[] = Object.values(BUNDLE_FILES);

/** Errors in the order of the files, then of the lines. */
export function sortErrors(errors: readonly BundleError[]): BundleError[] {
  return [...errors].sort((a, b) => FILE_ORDER.indexOf(a.file) - FILE_ORDER.indexOf(b.file) || a.line - b.line);
}

/** Overseas départements have their own zone; metropolitan France is Europe/Paris. */
const OVERSEAS_TIME_ZONES: Readonly<Record<string, string>> = {
  '971': 'America/Guadeloupe',
  '972': 'America/Martinique',
  '973': 'America/Cayenne',
  '974': 'Indian/Reunion',
  '975': 'America/Miquelon',
  '976': 'Indian/Mayotte',
  '977': 'America/St_Barthelemy',
  '978': 'America/Marigot',
};

/** The time zone of a département: the default of its organisations and places. */
export function timeZoneOfDepartement(departementNumber: string): string {
  return OVERSEAS_TIME_ZONES[departementNumber] ?? 'Europe/Paris';
}

function defaultTimeZone(territory: BundleTerritory): string {
  return timeZoneOfDepartement(territory.departementNumber);
}

function readTerritory(rows: readonly RowReader[], errors: BundleError[]): BundleTerritory {
  const [row, ...extra] = rows;
  for (const other of extra) other.fail(null, 'le fichier ne décrit qu’un territoire : une seule ligne après l’en-tête');
  if (row === undefined) {
    if (!errors.some((error) => error.file === BUNDLE_FILES.territory)) {
      errors.push({ file: BUNDLE_FILES.territory, line: 0, field: null, message: 'aucun territoire décrit : une ligne est attendue après l’en-tête' });
    }
    return { line: 0, departementNumber: '', name: '', holidayRegion: null };
  }
  const departementNumber = row.text('numero_departement', 3).toUpperCase();
  if (departementNumber !== '' && !DEPARTEMENT_NUMBER.test(departementNumber)) {
    row.fail('numero_departement', `« ${departementNumber} » n’est pas un numéro de département (14, 2A, 974…)`);
  }
  const holidayRegion = row.optionalText('region_feries', 3);
  if (holidayRegion !== null && !HOLIDAY_REGION.test(holidayRegion)) {
    row.fail('region_feries', `« ${holidayRegion} » n’est pas un code de région de jours fériés (exemples : 57, 67, 68, RE, GP)`);
  }
  return { line: row.line, departementNumber, name: row.text('nom', 100), holidayRegion };
}

function readService(row: RowReader): BundleService {
  return { line: row.line, shortName: row.text('nom_court', 50), name: row.text('nom', 100), isSecretariat: row.boolean('secretariat', false) };
}

function readCategory(row: RowReader): BundleMotifCategory {
  return { line: row.line, shortName: row.text('nom_court', 50), name: row.text('nom', 100) };
}

function readOrganisation(row: RowReader, timeZone: string): BundleOrganisation {
  const slug = row.text('slug', 80);
  if (slug !== '' && !SLUG.test(slug)) row.fail('slug', `« ${slug} » : minuscules, chiffres et tirets seulement (exemple : mds-caen)`);
  const email = row.optionalText('email', 200);
  if (email !== null && !EMAIL.test(email)) row.fail('email', `« ${email} » n’est pas une adresse électronique`);
  const website = row.optionalText('site_web', 300);
  if (website !== null && !/^https?:\/\/[^\s]+$/.test(website)) row.fail('site_web', `« ${website} » : une adresse web commence par https://`);
  return {
    line: row.line,
    slug,
    name: row.text('nom', 200),
    externalId: row.optionalText('id_externe', 100),
    timeZone: row.timeZone('fuseau_horaire', timeZone),
    phoneNumber: row.optionalText('telephone', 30),
    email: email?.toLowerCase() ?? null,
    website,
    openOnHolidays: row.list('ouvert_jours_feries', 60),
  };
}

function readPlace(row: RowReader, timeZone: string): BundlePlace {
  const latitude = row.optionalNumber('latitude', { min: -90, max: 90 });
  const longitude = row.optionalNumber('longitude', { min: -180, max: 180 });
  if ((latitude === null) !== (longitude === null) && !row.errors.some((error) => error.line === row.line && error.file === row.file)) {
    row.fail(latitude === null ? 'latitude' : 'longitude', 'donnez la latitude et la longitude ensemble, ou aucune des deux');
  }
  return {
    line: row.line,
    organisation: row.text('organisation', 80),
    name: row.text('nom', 200),
    address: row.text('adresse', 300),
    latitude,
    longitude,
    timeZone: row.timeZone('fuseau_horaire', timeZone),
    phoneNumber: row.optionalText('telephone', 30),
  };
}

function readMotif(row: RowReader): BundleMotif {
  const color = row.optionalText('couleur', 7) ?? '#000091';
  if (!COLOR.test(color)) row.fail('couleur', `« ${color} » n’est pas une couleur #RRVVBB`);
  const minutes = (field: string, fallback: number, max = MAX_NOTICE_MINUTES): number => row.integer(field, { min: 0, max, fallback });
  const motif: BundleMotif = {
    line: row.line,
    organisation: row.text('organisation', 80),
    name: row.text('nom', 200),
    service: row.text('service', 50),
    category: row.optionalText('categorie', 50),
    color: color.toLowerCase(),
    durationMinutes: row.integer('duree_minutes', { min: 1, max: 1440 }),
    slotStepMinutes: row.optionalInteger('pas_minutes', { min: 1, max: 1440 }),
    bufferBeforeMinutes: minutes('tampon_avant_minutes', 0, 1440),
    bufferAfterMinutes: minutes('tampon_apres_minutes', 0, 1440),
    locationType: row.oneOf('type_lieu', LOCATION_TYPES, 'public_office'),
    bookableBy: row.oneOf('reservable_par', BOOKABLE_BY, 'agents'),
    minBookingNoticeMinutes: minutes('delai_min_minutes', 30),
    maxBookingNoticeMinutes: minutes('delai_max_minutes', 131_400),
    isCollective: row.boolean('collectif', false),
    isFollowUpOnly: row.boolean('suivi_uniquement', false),
    visibility: row.oneOf('visibilite', VISIBILITIES, 'visible_and_notified'),
    sectorisationLevel: row.oneOf('sectorisation', SECTORISATION_LEVELS, 'departement'),
    cancelDeadlineMinutes: minutes('delai_annulation_minutes', 240),
    rescheduleDeadlineMinutes: minutes('delai_report_minutes', 2880),
    reminderOffsetsMinutes: readReminders(row),
    restrictionForBooking: row.optionalText('restriction', 2000),
    instructionForBooking: row.optionalText('instruction', 2000),
  };
  if (motif.maxBookingNoticeMinutes <= motif.minBookingNoticeMinutes) {
    row.fail('delai_max_minutes', 'le délai maximal de réservation doit dépasser le délai minimal');
  }
  if (motif.isCollective && motif.locationType !== 'public_office') {
    row.fail('collectif', 'un motif collectif se tient sur place (type_lieu public_office)');
  }
  return motif;
}

function readReminders(row: RowReader): number[] {
  const text = row.optionalText('rappels_minutes', 40);
  if (text === null) return [2880];
  if (text.toLowerCase() === 'aucun') return [];
  const values = text.split('|').map((part) => part.trim());
  if (values.length > 2 || values.some((value) => !/^[0-9]{1,6}$/.test(value) || Number(value) === 0)) {
    row.fail('rappels_minutes', `« ${text} » : un ou deux délais en minutes avant le rendez-vous, séparés par « | » (ou « aucun »)`);
    return [2880];
  }
  return values.map(Number);
}

function readAgent(row: RowReader): BundleAgent {
  const email = row.optionalText('email', 200);
  if (email !== null && !EMAIL.test(email)) row.fail('email', `« ${email} » n’est pas une adresse électronique`);
  const roles: BundleAgentRole[] = [];
  const roleTexts = row.list('roles', 100);
  if (roleTexts.length === 0 && row.errors.every((error) => !(error.line === row.line && error.file === row.file && error.field === 'roles'))) {
    row.fail('roles', 'au moins un rôle « organisation:niveau » est attendu (exemple : mds-caen:basic)');
  }
  for (const text of roleTexts) {
    const [organisation, level, ...rest] = text.split(':').map((part) => part.trim());
    const accessLevel = ACCESS_LEVELS.find((known) => known === level);
    if (organisation === undefined || organisation === '' || accessLevel === undefined || rest.length > 0) {
      row.fail('roles', `« ${text} » : attendu « organisation:niveau » avec un niveau parmi ${ACCESS_LEVELS.join(', ')}`);
      continue;
    }
    if (roles.some((role) => role.organisation === organisation)) {
      row.fail('roles', `deux rôles dans l’organisation « ${organisation} »`);
      continue;
    }
    roles.push({ organisation, accessLevel });
  }
  if (email === null && roles.some((role) => role.accessLevel !== 'intervenant')) {
    row.fail('email', 'un agent sans adresse électronique ne peut être qu’intervenant (il ne se connecte pas)');
  }
  const services = row.list('services', 50);
  if (services.length === 0 && !row.errors.some((error) => error.line === row.line && error.file === row.file && error.field === 'services')) {
    row.fail('services', 'au moins un service est attendu');
  }
  return {
    line: row.line,
    email: email?.toLowerCase() ?? null,
    firstName: row.text('prenom', 100),
    lastName: row.text('nom', 100),
    roles,
    services,
    teams: row.list('equipes', 100),
    territorialAdmin: row.boolean('admin_territoire', false),
  };
}

function readOpeningPeriod(row: RowReader): BundleOpeningPeriod {
  const recurrence = row.optionalText('recurrence', 200);
  const agent = row.text('agent', 200);
  const period: BundleOpeningPeriod = {
    line: row.line,
    organisation: row.text('organisation', 80),
    agent: agent.includes('@') ? agent.toLowerCase() : agent,
    place: row.optionalText('lieu', 200),
    title: row.text('titre', 200),
    firstDay: row.date('premier_jour'),
    lastDay: row.optionalDate('dernier_jour'),
    startTime: row.time('heure_debut'),
    endTime: row.time('heure_fin'),
    recurrence: recurrence?.toUpperCase() ?? null,
    excludedDates: row.list('jours_exclus', 10),
    motifs: row.list('motifs', 200),
  };
  period.excludedDates.forEach((date) => {
    if (parseIsoDate(date) === null || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) row.fail('jours_exclus', `« ${date} » n’est pas une date AAAA-MM-JJ valide`);
  });
  if (period.motifs.length === 0 && !row.errors.some((error) => error.line === row.line && error.file === row.file && error.field === 'motifs')) {
    row.fail('motifs', 'au moins un motif est attendu');
  }
  const lineHasErrors = row.errors.some((error) => error.line === row.line && error.file === row.file);
  if (lineHasErrors) return period;
  if (period.recurrence === null && period.lastDay !== null && period.lastDay !== period.firstDay) {
    row.fail('dernier_jour', 'une plage sans récurrence dure un jour : laissez dernier_jour vide');
  }
  if (period.recurrence !== null && period.lastDay !== null && /(^|;)(UNTIL|COUNT)=/.test(period.recurrence)) {
    row.fail('dernier_jour', 'la récurrence porte déjà sa fin (UNTIL ou COUNT) : laissez dernier_jour vide');
  }
  const checked = validateOpeningPeriod({
    firstDay: period.firstDay,
    lastDay: period.recurrence === null ? null : period.lastDay,
    startTime: period.startTime,
    endTime: period.endTime,
    recurrence: period.recurrence,
    timeZone: 'Europe/Paris',
    excludedDates: period.excludedDates,
  });
  if (!checked.ok) {
    const fields: Readonly<Record<string, string>> = { firstDay: 'premier_jour', lastDay: 'dernier_jour', startTime: 'heure_debut', endTime: 'heure_fin', recurrence: 'recurrence' };
    for (const error of checked.errors) row.fail(fields[error.field] ?? 'jours_exclus', lowerFirst(error.message));
  }
  return period;
}

function lowerFirst(message: string): string {
  const trimmed = message.replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

function readSector(row: RowReader): BundleSector {
  const humanId = row.text('identifiant', 80);
  if (humanId !== '' && !SECTOR_ID.test(humanId)) row.fail('identifiant', `« ${humanId} » : minuscules, chiffres, tirets et soulignés seulement`);
  return { line: row.line, humanId, name: row.text('nom', 200) };
}

export function readZone(row: RowReader): BundleZone {
  const cityCode = row.text('code_insee', 5).toUpperCase();
  if (cityCode !== '' && !INSEE_CODE.test(cityCode)) row.fail('code_insee', `« ${cityCode} » n’est pas un code INSEE de commune (5 caractères, exemple : 14118)`);
  const streetBanId = row.optionalText('id_voie_ban', 10)?.toUpperCase() ?? null;
  const streetName = row.optionalText('nom_voie', 200);
  if (streetBanId !== null) {
    const match = BAN_STREET_ID.exec(streetBanId);
    if (match === null) row.fail('id_voie_ban', `« ${streetBanId} » n’est pas un identifiant de voie BAN (code INSEE, « _ », code FANTOIR : 14118_0420)`);
    else if (INSEE_CODE.test(cityCode) && match[1] !== cityCode) row.fail('id_voie_ban', `la voie « ${streetBanId} » n’est pas dans la commune ${cityCode}`);
    if (streetName === null) row.fail('nom_voie', 'le nom de la voie est attendu avec son identifiant BAN');
  } else if (streetName !== null) {
    row.fail('id_voie_ban', 'une zone de rue a besoin de l’identifiant BAN de la voie');
  }
  return { line: row.line, sector: row.text('secteur', 80), cityCode, cityName: row.text('nom_commune', 200), streetBanId, streetName };
}

function readAttribution(row: RowReader): BundleAttribution {
  const agent = row.optionalText('agent', 200);
  return { line: row.line, sector: row.text('secteur', 80), organisation: row.text('organisation', 80), agent: agent?.includes('@') === true ? agent.toLowerCase() : agent };
}

/** Reports the second (and later) records whose key was already seen. */
function checkUnique<T extends { readonly line: number }>(records: readonly T[], keyOf: (record: T) => string, file: string, field: string, errors: BundleError[], what: string): void {
  const seen = new Map<string, number>();
  for (const record of records) {
    const key = keyOf(record);
    if (key === '' || key.endsWith('\u0000')) continue;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, record.line);
    else errors.push({ file, line: record.line, field, message: `${what} déjà décrit ligne ${first}` });
  }
}

function checkReferences(bundle: TerritoryBundle, errors: BundleError[]): void {
  const fail = (file: string, line: number, field: string, message: string): void => {
    errors.push({ file, line, field, message });
  };
  const F = BUNDLE_FILES;
  checkUnique(bundle.services, (s) => s.shortName, F.services, 'nom_court', errors, 'service');
  checkUnique(bundle.services, (s) => s.name, F.services, 'nom', errors, 'service');
  checkUnique(bundle.motifCategories, (c) => c.shortName, F.motifCategories, 'nom_court', errors, 'catégorie');
  checkUnique(bundle.organisations, (o) => o.slug, F.organisations, 'slug', errors, 'organisation');
  checkUnique(bundle.organisations, (o) => o.externalId ?? '', F.organisations, 'id_externe', errors, 'identifiant externe');
  checkUnique(bundle.places, (p) => `${p.organisation}\u0001${p.name}`, F.places, 'nom', errors, 'lieu de même nom dans cette organisation');
  checkUnique(bundle.motifs, (m) => `${m.organisation}\u0001${m.name}`, F.motifs, 'nom', errors, 'motif de même nom dans cette organisation');
  checkUnique(bundle.teams, (t) => t.name, F.teams, 'nom', errors, 'équipe');
  checkUnique(bundle.agents, (a) => agentKeyOf(a), F.agents, 'email', errors, 'agent');
  checkUnique(bundle.sectors, (s) => s.humanId, F.sectors, 'identifiant', errors, 'secteur');
  checkUnique(bundle.zones, zoneKeyOf, F.zones, 'code_insee', errors, 'zone');
  checkUnique(bundle.attributions, (a) => `${a.sector}\u0001${a.organisation}\u0001${a.agent ?? ''}`, F.attributions, 'secteur', errors, 'attribution');

  const services = new Map(bundle.services.map((service) => [service.shortName, service]));
  const categories = new Set(bundle.motifCategories.map((category) => category.shortName));
  const organisations = new Set(bundle.organisations.map((organisation) => organisation.slug));
  const places = new Set(bundle.places.map((place) => `${place.organisation}\u0001${place.name}`));
  const motifs = new Map(bundle.motifs.map((motif) => [`${motif.organisation}\u0001${motif.name}`, motif]));
  const teams = new Set(bundle.teams.map((team) => team.name));
  const agents = new Map(bundle.agents.map((agent) => [agentKeyOf(agent), agent]));
  const sectors = new Set(bundle.sectors.map((sector) => sector.humanId));
  const unknownOrganisation = (slug: string): string => `organisation « ${slug} » absente de ${F.organisations}`;

  for (const place of bundle.places) {
    if (place.organisation !== '' && !organisations.has(place.organisation)) fail(F.places, place.line, 'organisation', unknownOrganisation(place.organisation));
  }
  for (const motif of bundle.motifs) {
    if (motif.organisation !== '' && !organisations.has(motif.organisation)) fail(F.motifs, motif.line, 'organisation', unknownOrganisation(motif.organisation));
    if (motif.service !== '' && !services.has(motif.service)) fail(F.motifs, motif.line, 'service', `service « ${motif.service} » absent de ${F.services}`);
    if (motif.category !== null && !categories.has(motif.category)) fail(F.motifs, motif.line, 'categorie', `catégorie « ${motif.category} » absente de ${F.motifCategories}`);
  }
  for (const agent of bundle.agents) {
    for (const role of agent.roles) {
      if (!organisations.has(role.organisation)) fail(F.agents, agent.line, 'roles', unknownOrganisation(role.organisation));
    }
    for (const service of agent.services) {
      if (!services.has(service)) fail(F.agents, agent.line, 'services', `service « ${service} » absent de ${F.services}`);
    }
    for (const team of agent.teams) {
      if (!teams.has(team)) fail(F.agents, agent.line, 'equipes', `équipe « ${team} » absente de ${F.teams}`);
    }
  }
  const roleOf = (agentKey: string, organisation: string): AccessLevel | undefined =>
    agents.get(agentKey)?.roles.find((role) => role.organisation === organisation)?.accessLevel;
  for (const period of bundle.openingPeriods) {
    const file = F.openingPeriods;
    if (period.organisation !== '' && !organisations.has(period.organisation)) fail(file, period.line, 'organisation', unknownOrganisation(period.organisation));
    const agent = agents.get(period.agent);
    if (period.agent !== '' && agent === undefined) fail(file, period.line, 'agent', `agent « ${period.agent} » absent de ${F.agents}`);
    else if (agent !== undefined && organisations.has(period.organisation) && roleOf(period.agent, period.organisation) === undefined) {
      fail(file, period.line, 'agent', `l’agent « ${period.agent} » n’a pas de rôle dans l’organisation « ${period.organisation} »`);
    }
    if (period.place !== null && !places.has(`${period.organisation}\u0001${period.place}`)) {
      fail(file, period.line, 'lieu', `lieu « ${period.place} » absent de ${F.places} pour l’organisation « ${period.organisation} »`);
    }
    for (const name of period.motifs) {
      const motif = motifs.get(`${period.organisation}\u0001${name}`);
      if (motif === undefined) {
        fail(file, period.line, 'motifs', `motif « ${name} » absent de ${F.motifs} pour l’organisation « ${period.organisation} »`);
      } else if (motif.locationType === 'public_office' && period.place === null) {
        fail(file, period.line, 'lieu', `le motif « ${name} » se tient sur place : la plage doit avoir un lieu`);
      }
    }
  }
  const departement = bundle.territory.departementNumber;
  for (const zone of bundle.zones) {
    if (zone.sector !== '' && !sectors.has(zone.sector)) fail(F.zones, zone.line, 'secteur', `secteur « ${zone.sector} » absent de ${F.sectors}`);
    checkZoneDepartement(zone, departement, errors);
  }
  for (const attribution of bundle.attributions) {
    if (attribution.sector !== '' && !sectors.has(attribution.sector)) fail(F.attributions, attribution.line, 'secteur', `secteur « ${attribution.sector} » absent de ${F.sectors}`);
    if (attribution.organisation !== '' && !organisations.has(attribution.organisation)) fail(F.attributions, attribution.line, 'organisation', unknownOrganisation(attribution.organisation));
    if (attribution.agent !== null) {
      if (!agents.has(attribution.agent)) fail(F.attributions, attribution.line, 'agent', `agent « ${attribution.agent} » absent de ${F.agents}`);
      else if (organisations.has(attribution.organisation) && roleOf(attribution.agent, attribution.organisation) === undefined) {
        fail(F.attributions, attribution.line, 'agent', `l’agent « ${attribution.agent} » n’a pas de rôle dans l’organisation « ${attribution.organisation} »`);
      }
    }
  }
  for (const organisation of bundle.organisations) {
    const hasAdmin = bundle.agents.some((agent) => agent.roles.some((role) => role.organisation === organisation.slug && role.accessLevel === 'admin'));
    if (!hasAdmin) fail(F.organisations, organisation.line, 'slug', `l’organisation « ${organisation.slug} » n’a aucun agent admin dans ${F.agents}`);
  }
}

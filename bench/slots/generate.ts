// Deterministic data set for the slot benchmark. Scale 1 = one large département:
// ≈ 30 organisations, 100 places, 400 agents, 50 appointment types, 2 000 opening periods,
// 5 000 absences and 150 000 appointments over the past year and the next three months.
// Scale N = N such départements (77, 78, 91, …) in the same database. Everything derives from
// a seed and a fixed `now`: the wall clock is never read for data.
//
// Shapes (see bench/README.md for the rationale):
// - each agent owns half-day "cells" (Mon–Fri morning/afternoon, Saturday and Sunday morning);
//   an agent's opening periods never share a cell, so its periods never overlap;
// - periods: weekly on 1–3 weekdays, every two weeks, monthly Nth weekday, UNTIL-bounded (with a
//   consistent last_day), a few one-off, Saturday and Sunday ones; some excluded dates;
// - appointments are cut on a per-agent grid inside opening occurrences (holidays, excluded
//   dates and absences skipped), so they never overlap and satisfy the exclusion constraint;
//   the next weeks are much fuller than later ones, so next availability has to look ahead.

import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import {
  civilFromDayNumber,
  dateToEpochMinutes,
  dayNumberToIsoDate,
  formatTimeOfDay,
  localDayOf,
  localToEpochMinutes,
  weekdayOf,
  type DayNumber,
  type EpochMinutes,
} from '../../src/shared/time/index.js';
import { bulkInsert, maxId, resyncIdentity } from './bulk-insert.js';
import { closedDays } from './holidays.js';
import { Prng } from './prng.js';
import { WEEKDAY_CODES, matchesRule, occurrenceDays, parseRule } from './recurrence.js';

/** The fixed "now" of the benchmark: data and searches are placed relative to it. */
export const BENCH_NOW = new Date('2026-11-24T08:00:00Z');
export const BENCH_SEED = 20261124;
export const TIME_ZONE = 'Europe/Paris';

interface DepartementSpec {
  readonly number: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** Scale N uses the first N; 67 brings Alsace-Moselle holidays (Good Friday, 26 December). */
export const DEPARTEMENTS: readonly DepartementSpec[] = [
  { number: '77', name: 'Seine-et-Marne', latitude: 48.62, longitude: 2.95 },
  { number: '78', name: 'Yvelines', latitude: 48.8, longitude: 1.85 },
  { number: '91', name: 'Essonne', latitude: 48.52, longitude: 2.25 },
  { number: '67', name: 'Bas-Rhin', latitude: 48.6, longitude: 7.55 },
  { number: '95', name: "Val-d'Oise", latitude: 49.07, longitude: 2.17 },
  { number: '60', name: 'Oise', latitude: 49.41, longitude: 2.42 },
  { number: '45', name: 'Loiret', latitude: 47.91, longitude: 2.25 },
  { number: '28', name: 'Eure-et-Loir', latitude: 48.39, longitude: 1.37 },
  { number: '59', name: 'Nord', latitude: 50.45, longitude: 3.22 },
  { number: '62', name: 'Pas-de-Calais', latitude: 50.49, longitude: 2.29 },
  { number: '69', name: 'Rhône', latitude: 45.87, longitude: 4.64 },
  { number: '33', name: 'Gironde', latitude: 44.83, longitude: -0.57 },
  { number: '44', name: 'Loire-Atlantique', latitude: 47.35, longitude: -1.73 },
  { number: '35', name: 'Ille-et-Vilaine', latitude: 48.15, longitude: -1.64 },
  { number: '31', name: 'Haute-Garonne', latitude: 43.36, longitude: 1.17 },
  { number: '13', name: 'Bouches-du-Rhône', latitude: 43.53, longitude: 5.09 },
];

export interface GenerateOptions {
  readonly scale: number;
  /** Fraction of a full département (development and tests only; 1 = the benchmark's size). */
  readonly size?: number;
  readonly seed?: number;
  readonly now?: Date;
  readonly log?: (line: string) => void;
}

export interface GenerationReport {
  readonly territoryIds: readonly number[];
  readonly counts: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

// --- static vocabulary ------------------------------------------------------------------------

type ServiceKey = 'PMI' | 'SOCIAL' | 'RSA';

const SERVICES: readonly { key: ServiceKey; name: string }[] = [
  { key: 'PMI', name: 'Protection maternelle et infantile' },
  { key: 'SOCIAL', name: 'Service social' },
  { key: 'RSA', name: 'Insertion' },
];

interface MotifSpec {
  readonly service: ServiceKey;
  readonly name: string;
  readonly durationMinutes: number;
  readonly locationType: 'public_office' | 'phone';
}

const MOTIFS: readonly MotifSpec[] = [
  { service: 'PMI', name: 'Consultation de puériculture', durationMinutes: 30, locationType: 'public_office' },
  { service: 'PMI', name: 'Consultation prénatale avec une sage-femme', durationMinutes: 45, locationType: 'public_office' },
  { service: 'PMI', name: 'Consultation médicale du nourrisson', durationMinutes: 20, locationType: 'public_office' },
  { service: 'PMI', name: 'Bilan de santé des 4 ans', durationMinutes: 60, locationType: 'public_office' },
  { service: 'SOCIAL', name: 'Premier rendez-vous avec une assistante sociale', durationMinutes: 45, locationType: 'public_office' },
  { service: 'SOCIAL', name: 'Entretien avec un travailleur social', durationMinutes: 60, locationType: 'public_office' },
  { service: 'SOCIAL', name: 'Aide aux démarches administratives', durationMinutes: 30, locationType: 'public_office' },
  { service: 'SOCIAL', name: 'Entretien téléphonique avec une assistante sociale', durationMinutes: 30, locationType: 'phone' },
  { service: 'RSA', name: 'Rendez-vous d’orientation RSA', durationMinutes: 30, locationType: 'public_office' },
  { service: 'RSA', name: 'Suivi RSA', durationMinutes: 45, locationType: 'public_office' },
];

const COLLECTIVE_MOTIFS: readonly MotifSpec[] = [
  { service: 'PMI', name: 'Atelier massage bébé', durationMinutes: 90, locationType: 'public_office' },
  { service: 'RSA', name: 'Réunion d’information collective RSA', durationMinutes: 120, locationType: 'public_office' },
];

const TOWNS = [
  'Melun', 'Meaux', 'Chelles', 'Pontault', 'Savigny', 'Torcy', 'Provins', 'Nemours', 'Montereau', 'Coulommiers',
  'Lagny', 'Combs', 'Bussy', 'Dammarie', 'Fontainebleau', 'Mitry', 'Villeparisis', 'Roissy', 'Ozoir', 'Champs',
];
const FIRST_NAMES = ['Camille', 'Nadia', 'Julien', 'Sophie', 'Karim', 'Léa', 'Thomas', 'Inès', 'Marc', 'Awa', 'Hugo', 'Chloé', 'Yanis', 'Emma'];
const LAST_NAMES = ['Martin', 'Bernard', 'Petit', 'Diallo', 'Moreau', 'Laurent', 'Garcia', 'Haddad', 'Roux', 'Fournier', 'Nguyen', 'Bonnet'];

// --- in-memory model --------------------------------------------------------------------------

interface Organisation {
  id: number;
  territoryId: number;
  name: string;
  slug: string;
  openOnHolidays: string[];
  placeIds: number[];
  motifIds: number[];
  collectiveMotifId: number | null;
}

interface Place {
  id: number;
  organisationId: number;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
}

interface AppointmentType {
  id: number;
  organisationId: number;
  serviceKey: ServiceKey;
  name: string;
  durationMinutes: number;
  locationType: 'public_office' | 'phone';
  bookableBy: 'everyone' | 'agents';
  minBookingNoticeMinutes: number;
  maxBookingNoticeMinutes: number;
  isCollective: boolean;
}

interface Agent {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  organisationIds: number[];
  serviceKey: ServiceKey;
}

interface OpeningPeriod {
  id: number;
  organisationId: number;
  agentId: number;
  placeId: number;
  title: string;
  firstDay: DayNumber;
  lastDay: DayNumber | null;
  startMinute: number;
  endMinute: number;
  recurrence: string | null;
  excludedDays: DayNumber[];
  motifIds: number[];
}

interface Absence {
  id: number;
  agentId: number;
  organisationId: number;
  title: string;
  firstDay: DayNumber;
  startMinute: number;
  endDay: DayNumber;
  endMinute: number;
  lastDay: DayNumber | null;
  recurrence: string | null;
}

interface AppointmentRows {
  id: number[];
  organisationId: number[];
  appointmentTypeId: number[];
  placeId: number[];
  startsAt: number[];
  endsAt: number[];
  status: string[];
  isCollective: boolean[];
  maxParticipants: (number | null)[];
  name: (string | null)[];
  createdByType: string[];
  createdByAgentId: (number | null)[];
  cancelledAt: (number | null)[];
  agentId: number[];
}

interface IdCounters {
  territories: number;
  organisations: number;
  places: number;
  appointment_types: number;
  agents: number;
  opening_periods: number;
  absences: number;
  appointments: number;
}

const ID_TABLES: readonly (keyof IdCounters)[] = [
  'territories',
  'organisations',
  'places',
  'appointment_types',
  'agents',
  'opening_periods',
  'absences',
  'appointments',
];

// Half-day cells of an agent's week: 0–4 Monday–Friday mornings, 5–9 afternoons, 10 Saturday
// morning, 11 Sunday morning.
const SATURDAY_CELL = 10;
const SUNDAY_CELL = 11;

function cellWeekday(cell: number): number {
  if (cell === SATURDAY_CELL) return 5;
  if (cell === SUNDAY_CELL) return 6;
  return cell % 5;
}

function isMorning(cell: number): boolean {
  return cell < 5 || cell >= SATURDAY_CELL;
}

/** Minute-of-day bounds of a period in a cell. */
function cellHours(rng: Prng, cell: number): { startMinute: number; endMinute: number } {
  if (cell >= SATURDAY_CELL) return { startMinute: 9 * 60, endMinute: 12 * 60 };
  if (isMorning(cell)) return { startMinute: rng.pick([510, 540]), endMinute: rng.pick([720, 750]) };
  return { startMinute: rng.pick([810, 840]), endMinute: rng.pick([990, 1020, 1050]) };
}

/** First day ≥ from matching a rule. */
function firstMatchingDay(recurrence: string, from: DayNumber): DayNumber {
  const rule = parseRule(recurrence);
  for (let day = from; day < from + 400; day += 1) if (matchesRule(rule, from, day)) return day;
  throw new Error(`No occurrence of ${recurrence} after ${dayNumberToIsoDate(from)}`);
}

/** Last occurrence day ≤ untilDay (for last_day, as the write path stores it). */
function lastOccurrenceBefore(recurrence: string, firstDay: DayNumber, untilDay: DayNumber): DayNumber {
  const days = occurrenceDays({ firstDay, lastDay: null, recurrence, excludedDays: new Set() }, Math.max(firstDay, untilDay - 62), untilDay);
  return days.at(-1) ?? firstDay;
}

function untilText(day: DayNumber): string {
  return dayNumberToIsoDate(day).replaceAll('-', '');
}

function weightedSplit(total: number, weights: readonly number[], minimum: number): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((weight) => Math.max(minimum, Math.floor((total * weight) / sum)));
  let index = 0;
  for (let given = counts.reduce((a, b) => a + b, 0); given < total; given += 1) {
    counts[index % counts.length] = (counts[index % counts.length] ?? 0) + 1;
    index += 1;
  }
  return counts;
}

/** Factor k such that Σ min(cap, k·wᵢ) ≈ target (binary search; capped weights saturate). */
function solveRate(weights: Float64Array, count: number, target: number, cap: number): number {
  let low = 0;
  let high = 1;
  const expected = (k: number): number => {
    let sum = 0;
    for (let index = 0; index < count; index += 1) sum += Math.min(cap, k * (weights[index] ?? 0));
    return sum;
  };
  while (expected(high) < target && high < 1e6) high *= 2;
  for (let iteration = 0; iteration < 40; iteration += 1) {
    const middle = (low + high) / 2;
    if (expected(middle) < target) low = middle;
    else high = middle;
  }
  return high;
}

// --- generation -------------------------------------------------------------------------------

/** Generates `scale` départements; fails if one of them is already in the database. */
export async function generateDataset(db: Kysely<Database>, options: GenerateOptions): Promise<GenerationReport> {
  const started = performance.now();
  const log = options.log ?? ((): void => undefined);
  const size = options.size ?? 1;
  const now = options.now ?? BENCH_NOW;
  if (!Number.isInteger(options.scale) || options.scale < 1 || options.scale > DEPARTEMENTS.length) {
    throw new Error(`--scale must be an integer between 1 and ${DEPARTEMENTS.length}`);
  }
  const departements = DEPARTEMENTS.slice(0, options.scale);
  const existing = await db
    .selectFrom('territories')
    .select('departement_number')
    .where('departement_number', 'in', departements.map((d) => d.number))
    .execute();
  if (existing.length > 0) {
    throw new Error(
      `Département(s) ${existing.map((row) => row.departement_number).join(', ')} already in the database: use --skip-generate or a fresh database`,
    );
  }

  const serviceIds = await ensureServices(db);
  const ids = {} as IdCounters;
  for (const table of ID_TABLES) ids[table] = await maxId(db, table);

  const root = new Prng(options.seed ?? BENCH_SEED);
  const counts: Record<string, number> = {};
  const territoryIds: number[] = [];
  for (const [index, departement] of departements.entries()) {
    const departementStarted = performance.now();
    const rng = root.fork(index + 1);
    const added = await generateDepartement(db, departement, rng, ids, serviceIds, size, now);
    territoryIds.push(ids.territories);
    for (const [table, count] of Object.entries(added)) counts[table] = (counts[table] ?? 0) + count;
    log(
      `  département ${departement.number}: ${added.appointments ?? 0} appointments, ${added.opening_periods ?? 0} opening periods, ` +
        `${added.absences ?? 0} absences in ${((performance.now() - departementStarted) / 1000).toFixed(1)} s`,
    );
  }
  for (const table of ID_TABLES) await resyncIdentity(db, table);
  const analyzeStarted = performance.now();
  await sql`ANALYZE`.execute(db);
  log(`  ANALYZE in ${((performance.now() - analyzeStarted) / 1000).toFixed(1)} s`);
  return { territoryIds, counts, elapsedMs: performance.now() - started };
}

async function ensureServices(db: Kysely<Database>): Promise<ReadonlyMap<ServiceKey, number>> {
  for (const service of SERVICES) {
    await db
      .insertInto('services')
      .values({ name: service.name, short_name: service.key })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  const rows = await db.selectFrom('services').select(['id', 'short_name']).execute();
  const byKey = new Map<ServiceKey, number>();
  for (const service of SERVICES) {
    const row = rows.find((candidate) => candidate.short_name === service.key);
    if (row === undefined) throw new Error(`Service ${service.key} missing`);
    byKey.set(service.key, row.id);
  }
  return byKey;
}

async function generateDepartement(
  db: Kysely<Database>,
  departement: DepartementSpec,
  rng: Prng,
  ids: IdCounters,
  serviceIds: ReadonlyMap<ServiceKey, number>,
  size: number,
  now: Date,
): Promise<Record<string, number>> {
  const nowMinutes = dateToEpochMinutes(now);
  const today = localDayOf(TIME_ZONE, nowMinutes);
  const dataFirstDay = today - 365;
  const dataLastDay = today + 92;
  const territoryId = (ids.territories += 1);

  // Organisations: three large ones (a département-wide PMI/social network), the rest small.
  const organisationCount = Math.max(2, Math.round(30 * size));
  const organisations: Organisation[] = [];
  for (let index = 0; index < organisationCount; index += 1) {
    const id = (ids.organisations += 1);
    const town = TOWNS[index % TOWNS.length] ?? 'Ville';
    organisations.push({
      id,
      territoryId,
      name: index < 3 ? `Direction des solidarités ${departement.number} – territoire ${index + 1}` : `MDS de ${town} (${departement.number})`,
      slug: `bench-${departement.number}-${index + 1}`,
      openOnHolidays: rng.chance(0.1) ? ['easter 50'] : [],
      placeIds: [],
      motifIds: [],
      collectiveMotifId: null,
    });
  }
  const organisationWeights = organisations.map((_, index) => (index < 3 ? [6, 5.5, 5.2][index] ?? 1 : 0.9));

  // Places, with coordinates around the département's centre.
  const placeCounts = weightedSplit(Math.max(organisationCount, Math.round(100 * size)), organisations.map((_, i) => (i < 3 ? 10 : 2.6)), 1);
  const places: Place[] = [];
  for (const [index, organisation] of organisations.entries()) {
    for (let n = 0; n < (placeCounts[index] ?? 1); n += 1) {
      const id = (ids.places += 1);
      const town = rng.pick(TOWNS);
      places.push({
        id,
        organisationId: organisation.id,
        name: `Antenne ${town} ${n + 1}`,
        address: `${rng.int(1, 120)} rue de la République, ${departement.number}${String(rng.int(0, 999)).padStart(3, '0')} ${town}`,
        latitude: Math.round((departement.latitude + (rng.next() - 0.5) * 0.7) * 1e5) / 1e5,
        longitude: Math.round((departement.longitude + (rng.next() - 0.5) * 1.0) * 1e5) / 1e5,
      });
      organisation.placeIds.push(id);
    }
  }

  // Appointment types: five per large organisation (plus a collective one), one or two elsewhere;
  // names repeat across organisations, as one motif offered by several organisations.
  const appointmentTypes: AppointmentType[] = [];
  const largeCount = Math.min(3, organisationCount);
  const individualTarget = Math.max(organisationCount + 4 * largeCount, Math.round(50 * size));
  const smallMotifCounts = weightedSplit(individualTarget - 5 * largeCount, organisations.slice(largeCount).map(() => 1), 1);
  for (const [index, organisation] of organisations.entries()) {
    const wanted = index < largeCount ? 5 : Math.min(MOTIFS.length, smallMotifCounts[index - largeCount] ?? 1);
    for (const spec of rng.sample(MOTIFS, wanted)) {
      const id = (ids.appointment_types += 1);
      appointmentTypes.push({
        id,
        organisationId: organisation.id,
        serviceKey: spec.service,
        name: spec.name,
        durationMinutes: spec.durationMinutes,
        locationType: spec.locationType,
        bookableBy: rng.chance(0.85) ? 'everyone' : 'agents',
        minBookingNoticeMinutes: rng.pick([30, 60, 120, 1440]),
        maxBookingNoticeMinutes: rng.chance(0.8) ? 131_400 : 86_400,
        isCollective: false,
      });
      organisation.motifIds.push(id);
    }
    if (index < largeCount) {
      const spec = COLLECTIVE_MOTIFS[index % COLLECTIVE_MOTIFS.length];
      if (spec !== undefined) {
        const id = (ids.appointment_types += 1);
        appointmentTypes.push({
          id,
          organisationId: organisation.id,
          serviceKey: spec.service,
          name: spec.name,
          durationMinutes: spec.durationMinutes,
          locationType: spec.locationType,
          bookableBy: 'everyone',
          minBookingNoticeMinutes: 1440,
          maxBookingNoticeMinutes: 131_400,
          isCollective: true,
        });
        organisation.collectiveMotifId = id;
      }
    }
  }
  const typeById = new Map(appointmentTypes.map((type) => [type.id, type]));

  // Agents: spread by organisation weight; 15 % also work for a second organisation.
  const agentCounts = weightedSplit(Math.max(2 * organisationCount, Math.round(400 * size)), organisationWeights, 2);
  const agents: Agent[] = [];
  for (const [index, organisation] of organisations.entries()) {
    for (let n = 0; n < (agentCounts[index] ?? 2); n += 1) {
      const id = (ids.agents += 1);
      const organisationIds = [organisation.id];
      if (organisationCount > 1 && rng.chance(0.15)) {
        const other = rng.pick(organisations.filter((candidate) => candidate.id !== organisation.id));
        organisationIds.push(other.id);
      }
      const motif = typeById.get(rng.pick(organisation.motifIds));
      agents.push({
        id,
        firstName: rng.pick(FIRST_NAMES),
        lastName: rng.pick(LAST_NAMES),
        email: rng.chance(0.9) ? `agent.${id}@bench.creneau.test` : null,
        organisationIds,
        serviceKey: motif?.serviceKey ?? 'SOCIAL',
      });
    }
  }
  const organisationById = new Map(organisations.map((organisation) => [organisation.id, organisation]));

  // Opening periods (≈ 5 per agent) on disjoint half-day cells of each agent.
  const periods: OpeningPeriod[] = [];
  for (const agent of agents) {
    const freeCells = new Set<number>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    if (rng.chance(0.04)) freeCells.add(SATURDAY_CELL);
    if (rng.chance(0.02)) freeCells.add(SUNDAY_CELL);
    const homeOrganisation = organisationById.get(agent.organisationIds[0] ?? 0);
    if (homeOrganisation === undefined) continue;
    const homePlace = rng.pick(homeOrganisation.placeIds);
    const periodCount = rng.pick([3, 4, 5, 5, 6, 6, 7]);
    for (let n = 0; n < periodCount && freeCells.size > 0; n += 1) {
      const secondOrganisationId = agent.organisationIds[1];
      const organisation =
        secondOrganisationId !== undefined && rng.chance(0.3) ? (organisationById.get(secondOrganisationId) ?? homeOrganisation) : homeOrganisation;
      const placeId = organisation === homeOrganisation && rng.chance(0.8) ? homePlace : rng.pick(organisation.placeIds);
      const motifIds = rng.sample(organisation.motifIds, rng.pick([1, 1, 2, 2, 3, 4]));
      const period = makePeriod(rng, agent, organisation.id, placeId, motifIds, freeCells, today);
      if (period === null) continue;
      period.id = ids.opening_periods += 1;
      // Some occurrences are cancelled by an excluded date (holiday bridges, training days).
      if (period.recurrence !== null && rng.chance(0.2)) {
        const candidates = occurrenceDays(
          { firstDay: period.firstDay, lastDay: period.lastDay, recurrence: period.recurrence, excludedDays: new Set() },
          today - 60,
          today + 90,
        );
        if (candidates.length > 0) period.excludedDays = rng.sample(candidates, rng.int(1, 3)).sort((a, b) => a - b);
      }
      periods.push(period);
    }
  }

  // Absences (≈ 12.5 per agent): one-off, whole days, leaves of several days, a few recurring.
  const absences: Absence[] = [];
  for (const agent of agents) {
    const absenceCount = rng.int(9, 16);
    for (let n = 0; n < absenceCount; n += 1) {
      absences.push(makeAbsence(rng, agent, (ids.absences += 1), dataFirstDay, dataLastDay));
    }
  }

  const appointments = makeAppointments(rng, agents, periods, absences, organisationById, typeById, departement.number, {
    nowMinutes,
    today,
    dataFirstDay,
    dataLastDay,
    target: Math.round(150_000 * size),
    ids,
  });

  await db.transaction().execute(async (trx) => {
    await insertReferenceData(trx, departement, territoryId, organisations, places, appointmentTypes, agents, serviceIds);
    await insertSchedules(trx, periods, absences);
    await insertAppointments(trx, appointments);
  });

  return {
    organisations: organisations.length,
    places: places.length,
    appointment_types: appointmentTypes.length,
    agents: agents.length,
    opening_periods: periods.length,
    absences: absences.length,
    appointments: appointments.id.length,
  };
}

function makePeriod(
  rng: Prng,
  agent: Agent,
  organisationId: number,
  placeId: number,
  motifIds: number[],
  freeCells: Set<number>,
  today: DayNumber,
): OpeningPeriod | null {
  const cells = [...freeCells].sort((a, b) => a - b);
  const weekendCell = cells.find((cell) => cell >= SATURDAY_CELL);
  const kind =
    weekendCell !== undefined
      ? 'weekend'
      : rng.weighted(['weekly', 'biweekly', 'monthly', 'until', 'oneoff'] as const, [60, 15, 10, 9, 6]);
  // Most periods are long-standing (expanded from far back); some started recently.
  const startFrom = rng.chance(0.7) ? today - rng.int(420, 900) : today - rng.int(0, 365);
  const base = { id: 0, organisationId, agentId: agent.id, placeId, excludedDays: [] as DayNumber[], motifIds };

  if (kind === 'weekend' && weekendCell !== undefined) {
    freeCells.delete(weekendCell);
    const recurrence = `FREQ=WEEKLY;BYDAY=${WEEKDAY_CODES[cellWeekday(weekendCell)] ?? 'SA'}`;
    const firstDay = firstMatchingDay(recurrence, startFrom);
    return {
      ...base,
      title: weekendCell === SUNDAY_CELL ? 'Permanence du dimanche' : 'Permanence du samedi',
      firstDay,
      lastDay: null,
      ...cellHours(rng, weekendCell),
      recurrence,
    };
  }
  if (kind === 'oneoff') {
    const cell = rng.pick(cells);
    freeCells.delete(cell);
    let day = today + rng.int(-30, 80);
    while (weekdayOf(day) !== cellWeekday(cell)) day += 1;
    return { ...base, title: 'Permanence exceptionnelle', firstDay: day, lastDay: day, ...cellHours(rng, cell), recurrence: null };
  }
  if (kind === 'monthly') {
    const cell = rng.pick(cells);
    freeCells.delete(cell);
    const nth = rng.pick([1, 2, 3, 4, -1]);
    const recurrence = `FREQ=MONTHLY;BYDAY=${nth}${WEEKDAY_CODES[cellWeekday(cell)] ?? 'MO'}`;
    const firstDay = firstMatchingDay(recurrence, startFrom);
    return { ...base, title: 'Permanence mensuelle', firstDay, lastDay: null, ...cellHours(rng, cell), recurrence };
  }
  // Weekly kinds: one to three weekdays of the same half-day.
  const morning = rng.chance(0.5);
  let half = cells.filter((cell) => cell < SATURDAY_CELL && isMorning(cell) === morning);
  if (half.length === 0) half = cells.filter((cell) => cell < SATURDAY_CELL);
  if (half.length === 0) return null;
  const chosen = rng.sample(half, rng.pick([1, 1, 2, 2, 3])).sort((a, b) => cellWeekday(a) - cellWeekday(b));
  for (const cell of chosen) freeCells.delete(cell);
  const first = chosen[0] ?? 0;
  const byDay = chosen.map((cell) => WEEKDAY_CODES[cellWeekday(cell)] ?? 'MO').join(',');
  const hours = cellHours(rng, first);
  if (kind === 'until') {
    // A series that ended, or ends within the horizon: UNTIL and last_day agree.
    const untilDay = today + rng.int(-200, 60);
    const from = Math.min(startFrom, untilDay - 60);
    const probe = `FREQ=WEEKLY;BYDAY=${byDay}`;
    const firstDay = firstMatchingDay(probe, from);
    const recurrence = `FREQ=WEEKLY;BYDAY=${byDay};UNTIL=${untilText(untilDay)}`;
    return {
      ...base,
      title: 'Permanence (série terminée)',
      firstDay,
      lastDay: lastOccurrenceBefore(probe, firstDay, untilDay),
      ...hours,
      recurrence,
    };
  }
  const recurrence = kind === 'biweekly' ? `FREQ=WEEKLY;INTERVAL=2;BYDAY=${byDay}` : `FREQ=WEEKLY;BYDAY=${byDay}`;
  return {
    ...base,
    title: kind === 'biweekly' ? 'Permanence une semaine sur deux' : 'Permanence hebdomadaire',
    firstDay: firstMatchingDay(recurrence, startFrom),
    lastDay: null,
    ...hours,
    recurrence,
  };
}

function makeAbsence(rng: Prng, agent: Agent, id: number, dataFirstDay: DayNumber, dataLastDay: DayNumber): Absence {
  const organisationId = agent.organisationIds[0] ?? 0;
  const day = rng.int(dataFirstDay, dataLastDay);
  const kind = rng.weighted(['partial', 'fullday', 'leave', 'weekly', 'monthly'] as const, [58, 20, 16, 4, 2]);
  if (kind === 'partial') {
    const startMinute = rng.int(16, 32) * 30;
    const endMinute = Math.min(1410, startMinute + rng.int(2, 8) * 30);
    return {
      id, agentId: agent.id, organisationId, title: rng.pick(['Réunion', 'Formation', 'Visite à domicile', 'Rendez-vous médical']),
      firstDay: day, startMinute, endDay: day, endMinute, lastDay: day, recurrence: null,
    };
  }
  if (kind === 'fullday') {
    return { id, agentId: agent.id, organisationId, title: 'Journée de formation', firstDay: day, startMinute: 0, endDay: day, endMinute: 1439, lastDay: day, recurrence: null };
  }
  if (kind === 'leave') {
    const monday = day - weekdayOf(day);
    const endDay = monday + rng.pick([4, 4, 11, 13]);
    return { id, agentId: agent.id, organisationId, title: 'Congés', firstDay: monday, startMinute: 0, endDay, endMinute: 1439, lastDay: endDay, recurrence: null };
  }
  const startMinute = rng.pick([540, 570, 840, 870]);
  const endMinute = startMinute + rng.pick([60, 90, 120]);
  const weekday = WEEKDAY_CODES[rng.int(0, 4)] ?? 'TU';
  const recurrence = kind === 'weekly' ? `FREQ=WEEKLY;BYDAY=${weekday}` : `FREQ=MONTHLY;BYDAY=1${weekday}`;
  const firstDay = firstMatchingDay(recurrence, dataFirstDay - rng.int(0, 200));
  if (rng.chance(0.6)) {
    return { id, agentId: agent.id, organisationId, title: 'Réunion d’équipe', firstDay, startMinute, endDay: firstDay, endMinute, lastDay: null, recurrence };
  }
  const untilDay = rng.int(dataFirstDay + 60, dataLastDay);
  const bounded = `${recurrence};UNTIL=${untilText(untilDay)}`;
  return {
    id, agentId: agent.id, organisationId, title: 'Réunion d’équipe', firstDay, startMinute, endDay: firstDay, endMinute,
    lastDay: lastOccurrenceBefore(recurrence, firstDay, untilDay), recurrence: bounded,
  };
}

/** Busy ranges of an agent's absences over the data window, sorted by start. */
function absenceRanges(absences: readonly Absence[], fromDay: DayNumber, toDay: DayNumber): number[][] {
  const ranges: number[][] = [];
  for (const absence of absences) {
    const span = absence.endDay - absence.firstDay;
    const days =
      absence.recurrence === null
        ? [absence.firstDay]
        : occurrenceDays(
            { firstDay: absence.firstDay, lastDay: absence.lastDay === null ? null : absence.lastDay - span, recurrence: absence.recurrence, excludedDays: new Set() },
            fromDay - span,
            toDay,
          );
    for (const day of days) {
      ranges.push([localToEpochMinutes(TIME_ZONE, day, absence.startMinute), localToEpochMinutes(TIME_ZONE, day + span, absence.endMinute)]);
    }
  }
  return ranges.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}

interface AppointmentContext {
  readonly nowMinutes: EpochMinutes;
  readonly today: DayNumber;
  readonly dataFirstDay: DayNumber;
  readonly dataLastDay: DayNumber;
  readonly target: number;
  readonly ids: IdCounters;
}

interface Occurrence {
  readonly startsAt: EpochMinutes;
  readonly endsAt: EpochMinutes;
  readonly period: OpeningPeriod;
}

/**
 * Places appointments on a per-agent grid inside opening occurrences. Pass 1 walks every grid
 * position to weigh it; pass 2 replays the same walk (same seed) and books each position with a
 * probability solved so that ≈ `target` appointments are created, 80 % in the past year and the
 * rest front-loaded on the next weeks (full first weeks, emptier later ones).
 */
function makeAppointments(
  rng: Prng,
  agents: readonly Agent[],
  periods: readonly OpeningPeriod[],
  absences: readonly Absence[],
  organisationById: ReadonlyMap<number, Organisation>,
  typeById: ReadonlyMap<number, AppointmentType>,
  departementNumber: string,
  context: AppointmentContext,
): AppointmentRows {
  const periodsByAgent = new Map<number, OpeningPeriod[]>();
  for (const period of periods) {
    const list = periodsByAgent.get(period.agentId) ?? [];
    list.push(period);
    periodsByAgent.set(period.agentId, list);
  }
  const absencesByAgent = new Map<number, Absence[]>();
  for (const absence of absences) {
    const list = absencesByAgent.get(absence.agentId) ?? [];
    list.push(absence);
    absencesByAgent.set(absence.agentId, list);
  }
  const isClosed = (organisationId: number, day: DayNumber): boolean =>
    closedDays(departementNumber, null, organisationById.get(organisationId)?.openOnHolidays ?? [], civilFromDayNumber(day).year).has(day);

  const occurrencesByAgent = new Map<number, Occurrence[]>();
  for (const agent of agents) {
    const occurrences: Occurrence[] = [];
    for (const period of periodsByAgent.get(agent.id) ?? []) {
      const days = occurrenceDays(
        { firstDay: period.firstDay, lastDay: period.lastDay, recurrence: period.recurrence, excludedDays: new Set(period.excludedDays) },
        context.dataFirstDay,
        context.dataLastDay,
      );
      for (const day of days) {
        if (isClosed(period.organisationId, day)) continue;
        occurrences.push({
          startsAt: localToEpochMinutes(TIME_ZONE, day, period.startMinute),
          endsAt: localToEpochMinutes(TIME_ZONE, day, period.endMinute),
          period,
        });
      }
    }
    occurrencesByAgent.set(agent.id, occurrences.sort((a, b) => a.startsAt - b.startsAt));
  }

  const agentSeeds = agents.map(() => rng.int(0, 0x7fffffff));
  const agentFactors = agents.map(() => rng.pick([0.3, 0.6, 0.9, 1, 1.2, 1.6, 2.5]));
  const decisions = rng.fork(7);

  interface Position {
    startsAt: EpochMinutes;
    endsAt: EpochMinutes;
    typeId: number;
    period: OpeningPeriod;
  }
  const absenceRangesByAgent = new Map(
    agents.map((agent) => [agent.id, absenceRanges(absencesByAgent.get(agent.id) ?? [], context.dataFirstDay, context.dataLastDay)]),
  );
  /** The same walk in both passes: free grid positions of an agent (absences skipped), in time order. */
  const walk = (agentIndex: number, visit: (position: Position) => void): void => {
    const agent = agents[agentIndex];
    if (agent === undefined) return;
    const walkRng = new Prng(agentSeeds[agentIndex] ?? 0);
    const busy = absenceRangesByAgent.get(agent.id) ?? [];
    let busyIndex = 0;
    const isAbsent = (startsAt: EpochMinutes, endsAt: EpochMinutes): boolean => {
      while (busyIndex < busy.length && (busy[busyIndex]?.[1] ?? 0) <= startsAt) busyIndex += 1;
      // Ranges are sorted by start only: a long leave may end after later ranges, so scan on.
      for (let index = busyIndex; index < busy.length && (busy[index]?.[0] ?? 0) < endsAt; index += 1) {
        if ((busy[index]?.[1] ?? 0) > startsAt) return true;
      }
      return false;
    };
    for (const occurrence of occurrencesByAgent.get(agent.id) ?? []) {
      const collectiveId = organisationById.get(occurrence.period.organisationId)?.collectiveMotifId ?? null;
      let pointer = occurrence.startsAt;
      for (;;) {
        const collective = collectiveId !== null && walkRng.chance(0.015);
        const typeId = collective ? collectiveId : walkRng.pick(occurrence.period.motifIds);
        const duration = typeById.get(typeId)?.durationMinutes ?? 30;
        if (pointer + duration > occurrence.endsAt) break;
        if (!isAbsent(pointer, pointer + duration)) visit({ startsAt: pointer, endsAt: pointer + duration, typeId, period: occurrence.period });
        pointer += duration;
      }
    }
  };

  // Pass 1: weigh positions. Future weight decays over ~3 weeks: the next weeks fill up first.
  const weights: number[] = [];
  const futureFlags: boolean[] = [];
  for (const [agentIndex] of agents.entries()) {
    const factor = agentFactors[agentIndex] ?? 1;
    walk(agentIndex, (position) => {
      const isFuture = position.startsAt >= context.nowMinutes;
      const daysAhead = (position.startsAt - context.nowMinutes) / 1440;
      weights.push(isFuture ? factor * Math.exp(-daysAhead / 21) : factor);
      futureFlags.push(isFuture);
    });
  }
  const pastWeights = new Float64Array(weights.filter((_, index) => futureFlags[index] !== true));
  const futureWeights = new Float64Array(weights.filter((_, index) => futureFlags[index] === true));
  const pastRate = solveRate(pastWeights, pastWeights.length, context.target * 0.8, 0.95);
  const futureRate = solveRate(futureWeights, futureWeights.length, context.target * 0.2, 0.97);

  // Pass 2: book.
  const rows: AppointmentRows = {
    id: [], organisationId: [], appointmentTypeId: [], placeId: [], startsAt: [], endsAt: [], status: [], isCollective: [],
    maxParticipants: [], name: [], createdByType: [], createdByAgentId: [], cancelledAt: [], agentId: [],
  };
  let positionIndex = 0;
  for (const [agentIndex, agent] of agents.entries()) {
    walk(agentIndex, (position) => {
      const weight = weights[positionIndex] ?? 0;
      const isFuture = futureFlags[positionIndex] === true;
      positionIndex += 1;
      const probability = isFuture ? Math.min(0.97, futureRate * weight) : Math.min(0.95, pastRate * weight);
      if (!decisions.chance(probability)) return;
      const type = typeById.get(position.typeId);
      if (type === undefined) return;
      const draw = decisions.next();
      let status: string;
      let cancelledAt: number | null = null;
      if (isFuture) {
        status = draw < 0.93 ? 'unknown' : draw < 0.98 ? 'excused' : 'revoked';
        if (status !== 'unknown') cancelledAt = context.nowMinutes - decisions.int(60, 30 * 1440);
      } else {
        status = draw < 0.8 ? 'seen' : draw < 0.86 ? 'noshow' : draw < 0.95 ? 'excused' : 'revoked';
        if (status === 'excused' || status === 'revoked') cancelledAt = position.startsAt - decisions.int(60, 72 * 60);
      }
      const byAgent = decisions.chance(0.6);
      rows.id.push((context.ids.appointments += 1));
      rows.organisationId.push(position.period.organisationId);
      rows.appointmentTypeId.push(type.id);
      rows.placeId.push(position.period.placeId);
      rows.startsAt.push(position.startsAt);
      rows.endsAt.push(position.endsAt);
      rows.status.push(status);
      rows.isCollective.push(type.isCollective);
      rows.maxParticipants.push(type.isCollective ? decisions.int(6, 12) : null);
      rows.name.push(type.isCollective ? type.name : null);
      rows.createdByType.push(byAgent ? 'agent' : 'user');
      rows.createdByAgentId.push(byAgent ? agent.id : null);
      rows.cancelledAt.push(cancelledAt);
      rows.agentId.push(agent.id);
    });
  }
  return rows;
}

// --- inserts ----------------------------------------------------------------------------------

function isoDates(days: readonly DayNumber[]): string {
  return days.map((day) => dayNumberToIsoDate(day)).join(',');
}

async function insertReferenceData(
  db: Kysely<Database>,
  departement: DepartementSpec,
  territoryId: number,
  organisations: readonly Organisation[],
  places: readonly Place[],
  appointmentTypes: readonly AppointmentType[],
  agents: readonly Agent[],
  serviceIds: ReadonlyMap<ServiceKey, number>,
): Promise<void> {
  await sql`INSERT INTO territories (id, departement_number, name) OVERRIDING SYSTEM VALUE
    VALUES (${territoryId}, ${departement.number}, ${departement.name})`.execute(db);
  for (const serviceId of serviceIds.values()) {
    await db.insertInto('territory_services').values({ territory_id: territoryId, service_id: serviceId }).execute();
  }
  await bulkInsert(db, {
    table: 'organisations',
    overridingSystemValue: true,
    inputs: {
      id: { type: 'int8', values: organisations.map((o) => o.id) },
      territory_id: { type: 'int8', values: organisations.map((o) => o.territoryId) },
      name: { type: 'text', values: organisations.map((o) => o.name) },
      slug: { type: 'text', values: organisations.map((o) => o.slug) },
      open_on: { type: 'text', values: organisations.map((o) => o.openOnHolidays.join(',')) },
    },
    columns: {
      id: null,
      territory_id: null,
      name: null,
      slug: null,
      time_zone: `'${TIME_ZONE}'`,
      open_on_holidays: `CASE WHEN u.open_on = '' THEN '{}'::text[] ELSE string_to_array(u.open_on, ',') END`,
    },
  });
  await bulkInsert(db, {
    table: 'places',
    overridingSystemValue: true,
    inputs: {
      id: { type: 'int8', values: places.map((p) => p.id) },
      organisation_id: { type: 'int8', values: places.map((p) => p.organisationId) },
      name: { type: 'text', values: places.map((p) => p.name) },
      address: { type: 'text', values: places.map((p) => p.address) },
      latitude: { type: 'float8', values: places.map((p) => p.latitude) },
      longitude: { type: 'float8', values: places.map((p) => p.longitude) },
    },
    columns: { id: null, organisation_id: null, name: null, address: null, latitude: null, longitude: null, time_zone: `'${TIME_ZONE}'` },
  });
  await bulkInsert(db, {
    table: 'appointment_types',
    overridingSystemValue: true,
    inputs: {
      id: { type: 'int8', values: appointmentTypes.map((t) => t.id) },
      organisation_id: { type: 'int8', values: appointmentTypes.map((t) => t.organisationId) },
      service_id: { type: 'int8', values: appointmentTypes.map((t) => serviceIds.get(t.serviceKey) ?? 0) },
      name: { type: 'text', values: appointmentTypes.map((t) => t.name) },
      duration_minutes: { type: 'int4', values: appointmentTypes.map((t) => t.durationMinutes) },
      location_type: { type: 'text', values: appointmentTypes.map((t) => t.locationType) },
      bookable_by: { type: 'text', values: appointmentTypes.map((t) => t.bookableBy) },
      min_booking_notice_minutes: { type: 'int4', values: appointmentTypes.map((t) => t.minBookingNoticeMinutes) },
      max_booking_notice_minutes: { type: 'int4', values: appointmentTypes.map((t) => t.maxBookingNoticeMinutes) },
      is_collective: { type: 'bool', values: appointmentTypes.map((t) => t.isCollective) },
    },
    // Zero buffers and slot step = duration keep the two calculators' input space comparable.
    columns: {
      id: null,
      organisation_id: null,
      service_id: null,
      name: null,
      duration_minutes: null,
      slot_step_minutes: 'NULL',
      buffer_before_minutes: '0',
      buffer_after_minutes: '0',
      location_type: null,
      bookable_by: null,
      min_booking_notice_minutes: null,
      max_booking_notice_minutes: null,
      is_collective: null,
    },
  });
  await bulkInsert(db, {
    table: 'agents',
    overridingSystemValue: true,
    inputs: {
      id: { type: 'int8', values: agents.map((a) => a.id) },
      email: { type: 'text', values: agents.map((a) => a.email) },
      first_name: { type: 'text', values: agents.map((a) => a.firstName) },
      last_name: { type: 'text', values: agents.map((a) => a.lastName) },
    },
    columns: { id: null, email: null, first_name: null, last_name: null },
  });
  const roles = agents.flatMap((agent) => agent.organisationIds.map((organisationId, index) => ({ agent, organisationId, index })));
  await bulkInsert(db, {
    table: 'agent_roles',
    inputs: {
      agent_id: { type: 'int8', values: roles.map((r) => r.agent.id) },
      organisation_id: { type: 'int8', values: roles.map((r) => r.organisationId) },
      access_level: { type: 'text', values: roles.map((r) => (r.index === 0 && r.agent.id % 13 === 0 ? 'admin' : 'basic')) },
    },
    columns: { agent_id: null, organisation_id: null, access_level: null },
  });
  await bulkInsert(db, {
    table: 'agent_services',
    inputs: {
      agent_id: { type: 'int8', values: agents.map((a) => a.id) },
      service_id: { type: 'int8', values: agents.map((a) => serviceIds.get(a.serviceKey) ?? 0) },
    },
    columns: { agent_id: null, service_id: null },
  });
}

async function insertSchedules(db: Kysely<Database>, periods: readonly OpeningPeriod[], absences: readonly Absence[]): Promise<void> {
  await bulkInsert(db, {
    table: 'opening_periods',
    overridingSystemValue: true,
    inputs: {
      id: { type: 'int8', values: periods.map((p) => p.id) },
      organisation_id: { type: 'int8', values: periods.map((p) => p.organisationId) },
      agent_id: { type: 'int8', values: periods.map((p) => p.agentId) },
      place_id: { type: 'int8', values: periods.map((p) => p.placeId) },
      title: { type: 'text', values: periods.map((p) => p.title) },
      first_day: { type: 'date', values: periods.map((p) => dayNumberToIsoDate(p.firstDay)) },
      last_day: { type: 'date', values: periods.map((p) => (p.lastDay === null ? null : dayNumberToIsoDate(p.lastDay))) },
      start_time: { type: 'time', values: periods.map((p) => formatTimeOfDay(p.startMinute)) },
      end_time: { type: 'time', values: periods.map((p) => formatTimeOfDay(p.endMinute)) },
      recurrence: { type: 'text', values: periods.map((p) => p.recurrence) },
      excluded: { type: 'text', values: periods.map((p) => isoDates(p.excludedDays)) },
    },
    columns: {
      id: null,
      organisation_id: null,
      agent_id: null,
      place_id: null,
      title: null,
      first_day: null,
      last_day: null,
      start_time: null,
      end_time: null,
      recurrence: null,
      excluded_dates: `CASE WHEN u.excluded = '' THEN '{}'::date[] ELSE string_to_array(u.excluded, ',')::date[] END`,
    },
  });
  const links = periods.flatMap((period) => period.motifIds.map((typeId) => [period.id, typeId] as const));
  await bulkInsert(db, {
    table: 'opening_period_appointment_types',
    inputs: {
      opening_period_id: { type: 'int8', values: links.map((link) => link[0]) },
      appointment_type_id: { type: 'int8', values: links.map((link) => link[1]) },
    },
    columns: { opening_period_id: null, appointment_type_id: null },
  });
  await bulkInsert(db, {
    table: 'absences',
    overridingSystemValue: true,
    inputs: {
      id: { type: 'int8', values: absences.map((a) => a.id) },
      agent_id: { type: 'int8', values: absences.map((a) => a.agentId) },
      organisation_id: { type: 'int8', values: absences.map((a) => a.organisationId) },
      title: { type: 'text', values: absences.map((a) => a.title) },
      first_day: { type: 'date', values: absences.map((a) => dayNumberToIsoDate(a.firstDay)) },
      start_time: { type: 'time', values: absences.map((a) => formatTimeOfDay(a.startMinute)) },
      end_day: { type: 'date', values: absences.map((a) => dayNumberToIsoDate(a.endDay)) },
      end_time: { type: 'time', values: absences.map((a) => formatTimeOfDay(a.endMinute)) },
      last_day: { type: 'date', values: absences.map((a) => (a.lastDay === null ? null : dayNumberToIsoDate(a.lastDay))) },
      recurrence: { type: 'text', values: absences.map((a) => a.recurrence) },
    },
    columns: {
      id: null,
      agent_id: null,
      organisation_id: null,
      title: null,
      first_day: null,
      start_time: null,
      end_day: null,
      end_time: null,
      last_day: null,
      time_zone: `'${TIME_ZONE}'`,
      recurrence: null,
    },
  });
}

async function insertAppointments(db: Kysely<Database>, rows: AppointmentRows): Promise<void> {
  await bulkInsert(db, {
    table: 'appointments',
    overridingSystemValue: true,
    chunkSize: 10_000,
    inputs: {
      id: { type: 'int8', values: rows.id },
      organisation_id: { type: 'int8', values: rows.organisationId },
      appointment_type_id: { type: 'int8', values: rows.appointmentTypeId },
      place_id: { type: 'int8', values: rows.placeId },
      starts_at: { type: 'int8', values: rows.startsAt },
      ends_at: { type: 'int8', values: rows.endsAt },
      status: { type: 'text', values: rows.status },
      is_collective: { type: 'bool', values: rows.isCollective },
      max_participants: { type: 'int4', values: rows.maxParticipants },
      name: { type: 'text', values: rows.name },
      created_by_type: { type: 'text', values: rows.createdByType },
      created_by_agent_id: { type: 'int8', values: rows.createdByAgentId },
      cancelled_at: { type: 'int8', values: rows.cancelledAt },
    },
    columns: {
      id: null,
      public_id: `'bench' || u.id`,
      organisation_id: null,
      appointment_type_id: null,
      place_id: null,
      during: 'tstzrange(to_timestamp(u.starts_at * 60), to_timestamp(u.ends_at * 60))',
      time_zone: `'${TIME_ZONE}'`,
      status: null,
      is_collective: null,
      max_participants: null,
      name: null,
      created_by_type: null,
      created_by_agent_id: null,
      cancelled_at: 'to_timestamp(u.cancelled_at * 60)',
    },
  });
  // during / is_active / is_collective are copied from the appointment by a trigger.
  await bulkInsert(db, {
    table: 'appointment_agents',
    chunkSize: 10_000,
    inputs: {
      appointment_id: { type: 'int8', values: rows.id },
      agent_id: { type: 'int8', values: rows.agentId },
    },
    columns: { appointment_id: null, agent_id: null },
  });
}

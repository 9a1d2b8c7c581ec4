/**
 * A bundle written back as files, in the canonical order the export uses (docs/territory-bundles.md):
 * each file sorted by its natural key, columns in the documented order, lists in the order given.
 * Importing these files and exporting again gives the same bytes.
 */
import { agentKeyOf, type BundleZone, type TerritoryBundle } from './bundle.js';
import { writeCsv } from './csv.js';
import { LIST_SEPARATOR } from './row-reader.js';
import { BUNDLE_FILES, COLUMNS } from './vocabulary.js';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byKeys<T>(records: readonly T[], ...keys: ((record: T) => string)[]): T[] {
  return [...records].sort((a, b) => {
    for (const key of keys) {
      const order = compare(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  });
}

const optional = (value: string | null): string => value ?? '';
const yesNo = (value: boolean): string => (value ? 'oui' : 'non');
const list = (values: readonly string[]): string => values.join(LIST_SEPARATOR);
const decimal = (value: number | null): string => (value === null ? '' : String(value));

function file(name: keyof typeof COLUMNS, rows: string[][]): [string, string] {
  return [name, writeCsv(Object.keys(COLUMNS[name]), rows)];
}

function zoneRows(zones: readonly BundleZone[], cell: (value: string) => string = (value) => value): string[][] {
  return byKeys(zones, (z) => z.sector, (z) => z.cityCode, (z) => optional(z.streetBanId)).map((z) => [
    z.sector,
    z.cityCode,
    cell(z.cityName),
    optional(z.streetBanId),
    cell(optional(z.streetName)),
  ]);
}

/**
 * `zones.csv` alone, in canonical order (the sectorisation administration's export, ADR 0031).
 * `cell` may rewrite the free-text cells (commune and street names), e.g. against spreadsheet formulas.
 */
export function serialiseZones(zones: readonly BundleZone[], cell?: (value: string) => string): string {
  return writeCsv(Object.keys(COLUMNS[BUNDLE_FILES.zones]), zoneRows(zones, cell));
}

/** The files of a bundle (file name → CSV text), in canonical order. */
export function serialiseBundle(bundle: TerritoryBundle): Map<string, string> {
  const F = BUNDLE_FILES;
  const t = bundle.territory;
  return new Map([
    file(F.territory, [[t.departementNumber, t.name, optional(t.holidayRegion)]]),
    file(
      F.services,
      byKeys(bundle.services, (s) => s.shortName).map((s) => [s.shortName, s.name, yesNo(s.isSecretariat)]),
    ),
    file(
      F.motifCategories,
      byKeys(bundle.motifCategories, (c) => c.shortName).map((c) => [c.shortName, c.name]),
    ),
    file(
      F.organisations,
      byKeys(bundle.organisations, (o) => o.slug).map((o) => [
        o.slug,
        o.name,
        optional(o.externalId),
        o.timeZone,
        optional(o.phoneNumber),
        optional(o.email),
        optional(o.website),
        list(o.openOnHolidays),
      ]),
    ),
    file(
      F.places,
      byKeys(bundle.places, (p) => p.organisation, (p) => p.name).map((p) => [
        p.organisation,
        p.name,
        p.address,
        decimal(p.latitude),
        decimal(p.longitude),
        p.timeZone,
        optional(p.phoneNumber),
      ]),
    ),
    file(
      F.motifs,
      byKeys(bundle.motifs, (m) => m.organisation, (m) => m.name).map((m) => [
        m.organisation,
        m.name,
        m.service,
        optional(m.category),
        m.color,
        String(m.durationMinutes),
        m.slotStepMinutes === null ? '' : String(m.slotStepMinutes),
        String(m.bufferBeforeMinutes),
        String(m.bufferAfterMinutes),
        m.locationType,
        m.bookableBy,
        String(m.minBookingNoticeMinutes),
        String(m.maxBookingNoticeMinutes),
        yesNo(m.isCollective),
        yesNo(m.isFollowUpOnly),
        m.visibility,
        m.sectorisationLevel,
        String(m.cancelDeadlineMinutes),
        String(m.rescheduleDeadlineMinutes),
        m.reminderOffsetsMinutes.length === 0 ? 'aucun' : m.reminderOffsetsMinutes.join(LIST_SEPARATOR),
        optional(m.restrictionForBooking),
        optional(m.instructionForBooking),
      ]),
    ),
    file(
      F.teams,
      byKeys(bundle.teams, (team) => team.name).map((team) => [team.name]),
    ),
    file(
      F.agents,
      byKeys(bundle.agents, (a) => agentKeyOf(a)).map((a) => [
        optional(a.email),
        a.firstName,
        a.lastName,
        list(byKeys(a.roles, (r) => r.organisation).map((r) => `${r.organisation}:${r.accessLevel}`)),
        list([...a.services].sort(compare)),
        list([...a.teams].sort(compare)),
        yesNo(a.territorialAdmin),
      ]),
    ),
    file(
      F.openingPeriods,
      byKeys(
        bundle.openingPeriods,
        (p) => p.organisation,
        (p) => p.agent,
        (p) => p.firstDay,
        (p) => p.startTime,
        (p) => p.title,
        (p) => optional(p.place),
        (p) => optional(p.recurrence),
        (p) => p.endTime,
        (p) => list(p.motifs),
      ).map((p) => [
        p.organisation,
        p.agent,
        optional(p.place),
        p.title,
        p.firstDay,
        optional(p.lastDay),
        p.startTime,
        p.endTime,
        optional(p.recurrence),
        list([...p.excludedDates].sort(compare)),
        list([...p.motifs].sort(compare)),
      ]),
    ),
    file(
      F.sectors,
      byKeys(bundle.sectors, (s) => s.humanId).map((s) => [s.humanId, s.name]),
    ),
    file(F.zones, zoneRows(bundle.zones)),
    file(
      F.attributions,
      byKeys(bundle.attributions, (a) => a.sector, (a) => a.organisation, (a) => optional(a.agent)).map((a) => [a.sector, a.organisation, optional(a.agent)]),
    ),
  ]);
}

/**
 * The plan of a zones CSV import (ADR 0031), pure: the file's zones (already read by the bundle's
 * validator) against the zones stored for the sectors it names. As in a territory bundle
 * (docs/territory-bundles.md), the zones of each sector the file names become the file's list;
 * sectors it does not name are left alone. A zone is keyed by sector, INSEE code and BAN street
 * id; a changed commune or street name is an update. Same file twice: an empty plan.
 */
import type { BundleError, BundleZone } from '../../territory-bundles/index.js';
import { restoreFormula } from './csv-cells.js';
import type { CommuneLookup } from './sectorisation-forms.js';

export interface StoredZone {
  readonly id: number;
  readonly sectorId: number;
  readonly cityCode: string;
  readonly cityName: string;
  readonly streetBanId: string | null;
  readonly streetName: string | null;
}

export interface PlannedZone {
  readonly sectorId: number;
  readonly sectorHumanId: string;
  readonly level: 'city' | 'street';
  readonly cityCode: string;
  readonly cityName: string;
  readonly streetBanId: string | null;
  readonly streetName: string | null;
}

export interface ZonesImportPlan {
  readonly create: readonly PlannedZone[];
  readonly update: readonly (PlannedZone & { readonly id: number; readonly before: { readonly cityName: string; readonly streetName: string | null } })[];
  readonly delete: readonly (StoredZone & { readonly sectorHumanId: string })[];
  /** Sectors the file names (their zones are the file's), by identifier. */
  readonly sectors: readonly string[];
  /** Zones of the file. */
  readonly lines: number;
}

export type PlanResult = { readonly ok: true; readonly plan: ZonesImportPlan } | { readonly ok: false; readonly errors: readonly BundleError[] };

const keyOf = (sectorId: number, cityCode: string, streetBanId: string | null): string => `${String(sectorId)}\u0001${cityCode}\u0001${streetBanId ?? ''}`;

/**
 * `sectors`: the territory's sectors by identifier. `stored`: the zones of those sectors.
 * Errors (a sector unknown in the territory, a commune unknown to the COG) carry their line.
 */
export function planZonesImport(input: {
  readonly file: string;
  readonly zones: readonly BundleZone[];
  readonly sectors: ReadonlyMap<string, number>;
  readonly stored: readonly StoredZone[];
  readonly communes: CommuneLookup;
}): PlanResult {
  const errors: BundleError[] = [];
  const named = new Set<number>();
  const wanted: PlannedZone[] = [];
  for (const zone of input.zones) {
    const sectorId = input.sectors.get(zone.sector);
    if (sectorId === undefined) {
      errors.push({ file: input.file, line: zone.line, field: 'secteur', message: `secteur « ${zone.sector} » inconnu dans ce territoire : créez-le d’abord (même identifiant)` });
    }
    if (input.communes(zone.cityCode) === undefined) {
      errors.push({ file: input.file, line: zone.line, field: 'code_insee', message: `aucune commune ne porte le code ${zone.cityCode} dans le code officiel géographique` });
    }
    if (sectorId === undefined) continue;
    named.add(sectorId);
    wanted.push({
      sectorId,
      sectorHumanId: zone.sector,
      level: zone.streetBanId === null ? 'city' : 'street',
      cityCode: zone.cityCode,
      cityName: restoreFormula(zone.cityName),
      streetBanId: zone.streetBanId,
      streetName: zone.streetName === null ? null : restoreFormula(zone.streetName),
    });
  }
  if (errors.length > 0) return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
  const humanIdOf = new Map([...input.sectors].map(([humanId, id]) => [id, humanId]));
  const remaining = new Map(input.stored.filter((zone) => named.has(zone.sectorId)).map((zone) => [keyOf(zone.sectorId, zone.cityCode, zone.streetBanId), zone]));
  const create: PlannedZone[] = [];
  const update: ZonesImportPlan['update'][number][] = [];
  for (const zone of wanted) {
    const key = keyOf(zone.sectorId, zone.cityCode, zone.streetBanId);
    const stored = remaining.get(key);
    if (stored === undefined) {
      create.push(zone);
      continue;
    }
    remaining.delete(key);
    if (stored.cityName !== zone.cityName || stored.streetName !== zone.streetName) {
      update.push({ ...zone, id: stored.id, before: { cityName: stored.cityName, streetName: stored.streetName } });
    }
  }
  const deleted = [...remaining.values()].map((zone) => ({ ...zone, sectorHumanId: humanIdOf.get(zone.sectorId) ?? '' }));
  return { ok: true, plan: { create, update, delete: deleted, sectors: [...new Set(wanted.map((zone) => zone.sectorHumanId))].sort(), lines: input.zones.length } };
}

/** Whether applying the plan changes nothing. */
export function isEmptyPlan(plan: ZonesImportPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.delete.length === 0;
}

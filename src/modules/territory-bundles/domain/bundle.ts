/**
 * The territory bundle as data: what `territory:import` reads and `territory:export` writes, keyed
 * by natural keys (docs/territory-bundles.md). Every record keeps the line it came from, so that
 * checks made later against the database still report "fichier, ligne, champ".
 */
import type { AccessLevel, BookableBy, LocationType, SectorisationLevel, Visibility } from './vocabulary.js';

export interface Located {
  /** Line of the record in its file (0 when the record was not read from a file). */
  readonly line: number;
}

export interface BundleTerritory extends Located {
  readonly departementNumber: string;
  readonly name: string;
  readonly holidayRegion: string | null;
}

export interface BundleService extends Located {
  readonly shortName: string;
  readonly name: string;
  readonly isSecretariat: boolean;
}

export interface BundleMotifCategory extends Located {
  readonly shortName: string;
  readonly name: string;
}

export interface BundleOrganisation extends Located {
  readonly slug: string;
  readonly name: string;
  readonly externalId: string | null;
  readonly timeZone: string;
  readonly phoneNumber: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly openOnHolidays: readonly string[];
}

export interface BundlePlace extends Located {
  readonly organisation: string;
  readonly name: string;
  readonly address: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly timeZone: string;
  readonly phoneNumber: string | null;
}

export interface BundleMotif extends Located {
  readonly organisation: string;
  readonly name: string;
  readonly service: string;
  readonly category: string | null;
  readonly color: string;
  readonly durationMinutes: number;
  readonly slotStepMinutes: number | null;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly locationType: LocationType;
  readonly bookableBy: BookableBy;
  readonly minBookingNoticeMinutes: number;
  readonly maxBookingNoticeMinutes: number;
  readonly isCollective: boolean;
  readonly isFollowUpOnly: boolean;
  readonly visibility: Visibility;
  readonly sectorisationLevel: SectorisationLevel;
  readonly cancelDeadlineMinutes: number;
  readonly rescheduleDeadlineMinutes: number;
  readonly reminderOffsetsMinutes: readonly number[];
  readonly restrictionForBooking: string | null;
  readonly instructionForBooking: string | null;
}

export interface BundleTeam extends Located {
  readonly name: string;
}

export interface BundleAgentRole {
  readonly organisation: string;
  readonly accessLevel: AccessLevel;
}

export interface BundleAgent extends Located {
  /** Lower-case; null for an intervenant (agenda only, no sign-in). */
  readonly email: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly roles: readonly BundleAgentRole[];
  readonly services: readonly string[];
  readonly teams: readonly string[];
  readonly territorialAdmin: boolean;
}

export interface BundleOpeningPeriod extends Located {
  readonly organisation: string;
  /** The agent's key: e-mail, or "Prénom Nom" of an intervenant. */
  readonly agent: string;
  readonly place: string | null;
  readonly title: string;
  readonly firstDay: string;
  /** The chosen end date of a recurring period without UNTIL or COUNT; null otherwise. */
  readonly lastDay: string | null;
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string | null;
  readonly excludedDates: readonly string[];
  readonly motifs: readonly string[];
}

export interface BundleSector extends Located {
  readonly humanId: string;
  readonly name: string;
}

export interface BundleZone extends Located {
  readonly sector: string;
  readonly cityCode: string;
  readonly cityName: string;
  readonly streetBanId: string | null;
  readonly streetName: string | null;
}

export interface BundleAttribution extends Located {
  readonly sector: string;
  readonly organisation: string;
  /** The agent's key for an agent-level attribution; null for the organisation level. */
  readonly agent: string | null;
}

export interface TerritoryBundle {
  readonly territory: BundleTerritory;
  readonly services: readonly BundleService[];
  readonly motifCategories: readonly BundleMotifCategory[];
  readonly organisations: readonly BundleOrganisation[];
  readonly places: readonly BundlePlace[];
  readonly motifs: readonly BundleMotif[];
  readonly teams: readonly BundleTeam[];
  readonly agents: readonly BundleAgent[];
  readonly openingPeriods: readonly BundleOpeningPeriod[];
  readonly sectors: readonly BundleSector[];
  readonly zones: readonly BundleZone[];
  readonly attributions: readonly BundleAttribution[];
}

/** One problem of a bundle, located as precisely as known. */
export interface BundleError {
  readonly file: string;
  /** 0 for the file as a whole. */
  readonly line: number;
  /** Column name, or null when the whole line (or file) is at fault. */
  readonly field: string | null;
  readonly message: string;
}

/** "fichier, ligne, champ : message" — the line of the French error report. */
export function formatBundleError(error: BundleError): string {
  const where = [error.file, error.line > 0 ? `ligne ${error.line}` : null, error.field].filter((part) => part !== null).join(', ');
  return `${where} : ${error.message}`;
}

/** The key an agent is referred to by in other files: the e-mail, or "Prénom Nom" for an intervenant. */
export function agentKeyOf(agent: { readonly email: string | null; readonly firstName: string; readonly lastName: string }): string {
  return agent.email ?? `${agent.firstName} ${agent.lastName}`;
}

// The French départements a territory may be created for: the 96 metropolitan ones (2A and 2B
// for Corsica, no 20), the five overseas départements 971–974 and 976, and Saint-Pierre-et-Miquelon
// (975), which the availability module already maps to its own holidays. Names come from the
// official list (@etalab/decoupage-administratif); the time zone of each is the zone of its
// places by default.
import { createRequire } from 'node:module';

const departementsData = createRequire(import.meta.url)('@etalab/decoupage-administratif/data/departements.json') as readonly { code: string; nom: string }[];

export interface Departement {
  readonly code: string;
  readonly name: string;
  readonly timeZone: string;
}

const OVERSEAS_TIME_ZONES: Readonly<Record<string, string>> = {
  '971': 'America/Guadeloupe',
  '972': 'America/Martinique',
  '973': 'America/Cayenne',
  '974': 'Indian/Reunion',
  '975': 'America/Miquelon',
  '976': 'Indian/Mayotte',
};

const ACCEPTED = /^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-6])$/;

/** Every département a territory may be created for, in the official order. */
export const DEPARTEMENTS: readonly Departement[] = departementsData
  .filter((departement) => ACCEPTED.test(departement.code))
  .map((departement) => ({ code: departement.code, name: departement.nom, timeZone: OVERSEAS_TIME_ZONES[departement.code] ?? 'Europe/Paris' }));

const BY_CODE = new Map(DEPARTEMENTS.map((departement) => [departement.code, departement]));

/** A département number as typed (« 2a », « 01 », « 974 »), or undefined when it is not one. */
export function findDepartement(typed: string): Departement | undefined {
  const code = typed.trim().toUpperCase();
  return BY_CODE.get(/^[1-9]$/.test(code) ? `0${code}` : code);
}

/** The holiday regions a territory may choose (date-holidays, see availability's holidays.ts); empty: from the département. */
export const HOLIDAY_REGIONS: readonly { readonly value: string; readonly label: string }[] = [
  { value: '', label: 'Selon le département (recommandé)' },
  { value: 'FR', label: 'France métropolitaine' },
  { value: 'FR-57', label: 'Alsace-Moselle — Moselle (57)' },
  { value: 'FR-67', label: 'Alsace-Moselle — Bas-Rhin (67)' },
  { value: 'FR-68', label: 'Alsace-Moselle — Haut-Rhin (68)' },
  { value: 'FR-GP', label: 'Guadeloupe' },
  { value: 'FR-MQ', label: 'Martinique' },
  { value: 'FR-GF', label: 'Guyane' },
  { value: 'FR-RE', label: 'La Réunion' },
  { value: 'FR-YT', label: 'Mayotte' },
  { value: 'PM', label: 'Saint-Pierre-et-Miquelon' },
];

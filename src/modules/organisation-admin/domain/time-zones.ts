// The time zones a place of a French département may have, with their French names, and the
// rule that picks one: the zone of the address's département (overseas ones have their own),
// unless the admin chose another (ADR 0028).

/** Zones of France's départements and collectivités, in the order of the select. */
export const FRENCH_TIME_ZONES: Readonly<Record<string, string>> = {
  'Europe/Paris': 'France métropolitaine (heure de Paris)',
  'America/Guadeloupe': 'Guadeloupe',
  'America/Martinique': 'Martinique',
  'America/Cayenne': 'Guyane',
  'Indian/Reunion': 'La Réunion',
  'Indian/Mayotte': 'Mayotte',
  'America/Miquelon': 'Saint-Pierre-et-Miquelon',
  'America/St_Barthelemy': 'Saint-Barthélemy',
  'America/Marigot': 'Saint-Martin',
  'Pacific/Noumea': 'Nouvelle-Calédonie',
  'Pacific/Tahiti': 'Polynésie française (Tahiti)',
  'Pacific/Wallis': 'Wallis-et-Futuna',
};

/** The French name of a zone (the IANA id when it is not one of France's). */
export function timeZoneName(zone: string): string {
  return FRENCH_TIME_ZONES[zone] ?? zone;
}

/**
 * The place's zone: the admin's choice when they made one, else the zone of the département
 * (`zoneOfDepartement`, the same rule as territory bundles), from the address found or, for an
 * address saved without coordinates, from the territory.
 */
export function placeTimeZone(chosen: string | null, departementNumber: string, zoneOfDepartement: (departement: string) => string): string {
  return chosen ?? zoneOfDepartement(departementNumber);
}

// Pure rules of the funnel's choices: services offered, motifs de-duplicated across organisations.
export type LocationType = 'public_office' | 'phone' | 'home' | 'visio';

export interface OfferedMotif {
  readonly id: number;
  readonly serviceId: number;
  readonly serviceName: string;
  readonly name: string;
  readonly locationType: LocationType;
  readonly organisationId: number;
}

export interface MotifChoice {
  /** The smallest id among the same-named types: stable, used in URLs. */
  readonly representativeId: number;
  readonly name: string;
  readonly locationType: LocationType;
  readonly appointmentTypeIds: readonly number[];
  readonly organisationIds: readonly number[];
}

/** Services that offer at least one motif, in name order. */
export function listServices(motifs: readonly OfferedMotif[]): { id: number; name: string }[] {
  const byId = new Map<number, string>();
  for (const motif of motifs) byId.set(motif.serviceId, motif.serviceName);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** One choice per (name, location type): the same motif offered by several organisations is shown once. */
export function dedupeMotifs(motifs: readonly OfferedMotif[]): MotifChoice[] {
  const groups = new Map<string, OfferedMotif[]>();
  for (const motif of motifs) {
    const key = `${motif.locationType}\u0000${motif.name}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [motif]);
    else group.push(motif);
  }
  return [...groups.values()]
    .map((group) => {
      const ids = group.map((motif) => motif.id).sort((a, b) => a - b);
      const first = group[0] as OfferedMotif;
      return {
        representativeId: ids[0] ?? first.id,
        name: first.name,
        locationType: first.locationType,
        appointmentTypeIds: ids,
        organisationIds: [...new Set(group.map((motif) => motif.organisationId))],
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.locationType.localeCompare(b.locationType));
}

const LOCATION_LABELS: Record<LocationType, string> = {
  public_office: 'Sur place',
  phone: 'Par téléphone',
  home: 'À domicile',
  visio: 'En visioconférence',
};

/** French label of a location type. */
export function locationLabel(locationType: LocationType): string {
  return LOCATION_LABELS[locationType];
}

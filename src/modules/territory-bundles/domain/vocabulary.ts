/**
 * The closed vocabularies of the bundle: the values the CSV files carry are the database's own
 * (`public_office`, `everyone`…), so that a bundle reads the same as the schema and the docs.
 */
export const LOCATION_TYPES = ['public_office', 'phone', 'home', 'visio'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export const BOOKABLE_BY = ['agents', 'agents_and_prescripteurs', 'agents_and_prescripteurs_and_invited_users', 'everyone'] as const;
export type BookableBy = (typeof BOOKABLE_BY)[number];

export const VISIBILITIES = ['visible_and_notified', 'visible_and_not_notified', 'invisible'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const SECTORISATION_LEVELS = ['departement', 'organisation', 'agent'] as const;
export type SectorisationLevel = (typeof SECTORISATION_LEVELS)[number];

export const ACCESS_LEVELS = ['admin', 'basic', 'intervenant'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Files of a bundle, in the order they are read and reported. */
export const BUNDLE_FILES = {
  territory: 'territoire.csv',
  services: 'services.csv',
  motifCategories: 'categories.csv',
  organisations: 'organisations.csv',
  places: 'lieux.csv',
  motifs: 'motifs.csv',
  teams: 'equipes.csv',
  agents: 'agents.csv',
  openingPeriods: 'plages.csv',
  sectors: 'secteurs.csv',
  zones: 'zones.csv',
  attributions: 'attributions.csv',
} as const;

/** Files the export writes on request only; the import does not read them (docs/territory-bundles.md). */
export const EXPORT_ONLY_FILES = { users: 'usagers.csv', appointments: 'rendez_vous.csv' } as const;

/** Files a bundle may leave out (read as empty). */
export const OPTIONAL_FILES: readonly string[] = [BUNDLE_FILES.motifCategories, BUNDLE_FILES.teams];

/** Columns of each file, in the order the export writes them; `required` columns must be present in the header. */
export const COLUMNS = {
  [BUNDLE_FILES.territory]: { numero_departement: true, nom: true, region_feries: false },
  [BUNDLE_FILES.services]: { nom_court: true, nom: true, secretariat: false },
  [BUNDLE_FILES.motifCategories]: { nom_court: true, nom: true },
  [BUNDLE_FILES.organisations]: {
    slug: true,
    nom: true,
    id_externe: false,
    fuseau_horaire: false,
    telephone: false,
    email: false,
    site_web: false,
    ouvert_jours_feries: false,
  },
  [BUNDLE_FILES.places]: { organisation: true, nom: true, adresse: true, latitude: false, longitude: false, fuseau_horaire: false, telephone: false },
  [BUNDLE_FILES.motifs]: {
    organisation: true,
    nom: true,
    service: true,
    categorie: false,
    couleur: false,
    duree_minutes: true,
    pas_minutes: false,
    tampon_avant_minutes: false,
    tampon_apres_minutes: false,
    type_lieu: false,
    reservable_par: false,
    delai_min_minutes: false,
    delai_max_minutes: false,
    collectif: false,
    suivi_uniquement: false,
    visibilite: false,
    sectorisation: false,
    delai_annulation_minutes: false,
    delai_report_minutes: false,
    rappels_minutes: false,
    restriction: false,
    instruction: false,
  },
  [BUNDLE_FILES.teams]: { nom: true },
  [BUNDLE_FILES.agents]: { email: true, prenom: true, nom: true, roles: true, services: true, equipes: false, admin_territoire: false },
  [BUNDLE_FILES.openingPeriods]: {
    organisation: true,
    agent: true,
    lieu: false,
    titre: true,
    premier_jour: true,
    dernier_jour: false,
    heure_debut: true,
    heure_fin: true,
    recurrence: false,
    jours_exclus: false,
    motifs: true,
  },
  [BUNDLE_FILES.sectors]: { identifiant: true, nom: true },
  [BUNDLE_FILES.zones]: { secteur: true, code_insee: true, nom_commune: true, id_voie_ban: false, nom_voie: false },
  [BUNDLE_FILES.attributions]: { secteur: true, organisation: true, agent: false },
} as const satisfies Record<string, Record<string, boolean>>;

export type BundleFileName = keyof typeof COLUMNS;

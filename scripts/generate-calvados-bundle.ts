/**
 * Generates examples/territories/calvados-14/: a fictional but plausible territory bundle for the
 * Calvados (docs/territory-bundles.md). Organisations, places, agents and opening periods are
 * invented; the communes are the real ones of the COG (`@etalab/decoupage-administratif`, type
 * commune-actuelle, département 14), each given to one organisation through its intercommunality
 * (EPCI), or its arrondissement when it belongs to none — so that the five sectors cover them all.
 *
 *   npx tsx scripts/generate-calvados-bundle.ts [DIR]
 *
 * Deterministic: running it again writes the same bytes. The files are written in the canonical
 * order of `territory:export`, so exporting the imported bundle gives them back unchanged.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serialiseBundle, validateBundle, formatBundleError, type TerritoryBundle } from '../src/modules/territory-bundles/index.js';

type Bundle = { -readonly [K in keyof TerritoryBundle]: TerritoryBundle[K] extends readonly (infer U)[] ? U[] : TerritoryBundle[K] };
type Motif = TerritoryBundle['motifs'][number];
type Agent = TerritoryBundle['agents'][number];
type Period = TerritoryBundle['openingPeriods'][number];

const require = createRequire(import.meta.url);

interface Commune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  arrondissement?: string;
}
interface Epci {
  code: string;
  nom: string;
  membres: { code: string }[];
}

interface OrganisationSpec {
  slug: string;
  name: string;
  externalId: string;
  phone: string;
  email: string;
  sector: string;
  sectorName: string;
  epcis: string[];
  arrondissements: string[];
  places: { name: string; address: string; latitude: number; longitude: number; phone: string }[];
}

const ORGANISATIONS: OrganisationSpec[] = [
  {
    slug: 'mds-caen',
    name: 'Maison départementale des solidarités de Caen',
    externalId: 'MDS-CAEN',
    phone: '02 31 00 14 01',
    email: 'mds.caen@calvados.example',
    sector: 'caen',
    sectorName: 'Secteur de Caen et de la plaine',
    // Caen la Mer, Val ès Dunes, Vallées de l'Orne et de l'Odon, Cœur de Nacre, Cingal-Suisse Normande, Pays de Falaise
    epcis: ['200065597', '200065589', '200066728', '241400860', '200066710', '241400514'],
    arrondissements: ['142'],
    places: [
      { name: 'MDS de Caen Rive droite', address: '12 rue de la Gare, 14000 Caen', latitude: 49.1768, longitude: -0.3511, phone: '02 31 00 14 11' },
      { name: 'MDS de Caen Nord', address: '35 boulevard Pompidou, 14000 Caen', latitude: 49.2012, longitude: -0.3672, phone: '02 31 00 14 12' },
      { name: 'Antenne de Falaise', address: '8 place Guillaume le Conquérant, 14700 Falaise', latitude: 48.8956, longitude: -0.1936, phone: '02 31 00 14 13' },
    ],
  },
  {
    slug: 'mds-bayeux',
    name: 'Maison départementale des solidarités du Bessin',
    externalId: 'MDS-BAYEUX',
    phone: '02 31 00 14 02',
    email: 'mds.bayeux@calvados.example',
    sector: 'bayeux',
    sectorName: 'Secteur du Bessin',
    // Isigny-Omaha, Seulles Terre et Mer, Bayeux Intercom
    epcis: ['200066801', '200069516', '241400555'],
    arrondissements: ['141'],
    places: [
      { name: 'MDS de Bayeux', address: '4 rue Saint-Malo, 14400 Bayeux', latitude: 49.2765, longitude: -0.7025, phone: '02 31 00 14 21' },
      { name: 'Antenne d’Isigny-sur-Mer', address: '16 rue Émile Demagny, 14230 Isigny-sur-Mer', latitude: 49.3185, longitude: -1.1027, phone: '02 31 00 14 22' },
    ],
  },
  {
    slug: 'mds-lisieux',
    name: 'Maison départementale des solidarités du Pays d’Auge sud',
    externalId: 'MDS-LISIEUX',
    phone: '02 31 00 14 03',
    email: 'mds.lisieux@calvados.example',
    sector: 'lisieux',
    sectorName: 'Secteur de Lisieux et de la côte de Cabourg',
    // Lisieux Normandie, Normandie-Cabourg-Pays d'Auge
    epcis: ['200069532', '200065563'],
    arrondissements: ['143'],
    places: [
      { name: 'MDS de Lisieux', address: '21 rue Henry Chéron, 14100 Lisieux', latitude: 49.1466, longitude: 0.2256, phone: '02 31 00 14 31' },
      { name: 'Antenne de Dives-sur-Mer', address: '3 rue Gaston Manneville, 14160 Dives-sur-Mer', latitude: 49.2866, longitude: -0.1015, phone: '02 31 00 14 32' },
    ],
  },
  {
    slug: 'mds-vire',
    name: 'Maison départementale des solidarités du Bocage',
    externalId: 'MDS-VIRE',
    phone: '02 31 00 14 04',
    email: 'mds.vire@calvados.example',
    sector: 'vire',
    sectorName: 'Secteur du Bocage virois',
    // Intercom de la Vire au Noireau, Pré-Bocage Intercom
    epcis: ['200068799', '200069524'],
    arrondissements: ['144'],
    places: [
      { name: 'MDS de Vire Normandie', address: '9 rue des Halles, 14500 Vire Normandie', latitude: 48.8385, longitude: -0.8891, phone: '02 31 00 14 41' },
      { name: 'Antenne des Monts d’Aunay', address: '2 place de l’Hôtel de Ville, 14260 Les Monts d’Aunay', latitude: 49.0196, longitude: -0.6322, phone: '02 31 00 14 42' },
    ],
  },
  {
    slug: 'mds-honfleur-pont-l-eveque',
    name: 'Maison départementale des solidarités de la Côte Fleurie',
    externalId: 'MDS-COTE-FLEURIE',
    phone: '02 31 00 14 05',
    email: 'mds.cote-fleurie@calvados.example',
    sector: 'cote-fleurie',
    sectorName: 'Secteur de Honfleur, Pont-l’Évêque et de la Côte Fleurie',
    // Pays de Honfleur-Beuzeville, Cœur Côte Fleurie, Terre d'Auge
    epcis: ['200066827', '241400415', '241400878'],
    arrondissements: [],
    places: [
      { name: 'MDS de Honfleur', address: '7 rue de la République, 14600 Honfleur', latitude: 49.4189, longitude: 0.2331, phone: '02 31 00 14 51' },
      { name: 'Antenne de Pont-l’Évêque', address: '18 rue Saint-Michel, 14130 Pont-l’Évêque', latitude: 49.2867, longitude: 0.1836, phone: '02 31 00 14 52' },
      { name: 'Antenne de Trouville-sur-Mer', address: '5 boulevard Fernand Moureaux, 14360 Trouville-sur-Mer', latitude: 49.3656, longitude: 0.0806, phone: '02 31 00 14 53' },
    ],
  },
];

const SERVICES: Bundle['services'] = [
  { line: 0, shortName: 'PMI', name: 'Protection maternelle et infantile', isSecretariat: false },
  { line: 0, shortName: 'Service social', name: 'Service social', isSecretariat: false },
  { line: 0, shortName: 'RSA', name: 'Insertion et RSA', isSecretariat: false },
  { line: 0, shortName: 'Secrétariat', name: 'Secrétariat', isSecretariat: true },
];

const DEFAULT_MOTIF = {
  line: 0,
  category: null,
  color: '#000091',
  slotStepMinutes: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  locationType: 'public_office',
  bookableBy: 'everyone',
  minBookingNoticeMinutes: 120,
  maxBookingNoticeMinutes: 131_400,
  isCollective: false,
  isFollowUpOnly: false,
  visibility: 'visible_and_notified',
  sectorisationLevel: 'organisation',
  cancelDeadlineMinutes: 240,
  rescheduleDeadlineMinutes: 2880,
  reminderOffsetsMinutes: [2880],
  restrictionForBooking: null,
  instructionForBooking: null,
} as const satisfies Partial<Motif>;

type MotifSpec = Omit<Motif, 'organisation' | keyof typeof DEFAULT_MOTIF> & Partial<Motif>;

const MOTIFS: MotifSpec[] = [
  {
    name: 'Consultation de puériculture',
    service: 'PMI',
    durationMinutes: 30,
    color: '#009081',
    instructionForBooking: 'Pensez à apporter le carnet de santé de l’enfant.',
    reminderOffsetsMinutes: [2880, 180],
  },
  {
    name: 'Consultation prénatale avec une sage-femme',
    service: 'PMI',
    durationMinutes: 45,
    color: '#009081',
    restrictionForBooking: 'Ce rendez-vous est réservé aux personnes enceintes résidant dans le secteur de la maison des solidarités.',
  },
  { name: 'Atelier massage bébé', service: 'PMI', durationMinutes: 90, color: '#009081', isCollective: true },
  {
    name: 'Premier rendez-vous avec une assistante sociale',
    service: 'Service social',
    durationMinutes: 45,
    color: '#6a6af4',
    instructionForBooking: 'Munissez-vous d’une pièce d’identité et de vos derniers justificatifs de ressources.',
  },
  { name: 'Entretien téléphonique avec une assistante sociale', service: 'Service social', durationMinutes: 30, color: '#6a6af4', locationType: 'phone', slotStepMinutes: 15 },
  { name: 'Visite à domicile', service: 'Service social', durationMinutes: 60, color: '#6a6af4', locationType: 'home', bookableBy: 'agents', bufferBeforeMinutes: 15, bufferAfterMinutes: 15 },
  {
    name: 'Rendez-vous d’orientation RSA',
    service: 'RSA',
    durationMinutes: 30,
    color: '#c9191e',
    locationType: 'visio',
    bookableBy: 'agents_and_prescripteurs_and_invited_users',
    category: 'rsa_orientation',
    maxBookingNoticeMinutes: 60_480,
  },
  {
    name: 'Suivi RSA avec votre référent',
    service: 'RSA',
    durationMinutes: 30,
    color: '#c9191e',
    isFollowUpOnly: true,
    category: 'rsa_accompagnement',
  },
];

const FIRST_NAMES = ['Anne', 'Baptiste', 'Céline', 'Damien', 'Émilie', 'François', 'Gaëlle', 'Hugo', 'Inès', 'Jérôme', 'Karine', 'Laurent', 'Maëlle', 'Nicolas', 'Océane', 'Pascal', 'Quentin', 'Rachida', 'Sébastien', 'Tiphaine'];
const LAST_NAMES = ['Lemonnier', 'Hébert', 'Marie', 'Lecoq', 'Jouenne', 'Lepetit', 'Gosselin', 'Lerouge', 'Vautier', 'Delaunay', 'Leclerc', 'Guérin', 'Le Brun', 'Osmont', 'Duval', 'Lesage', 'Tesnière', 'Ben Amar', 'Quesnel', 'Anquetil'];

/** The eight agents of each organisation: who they are and what they do. */
const STAFF: { role: 'admin' | 'basic' | 'intervenant'; services: string[]; job: 'secretariat' | 'pmi' | 'social' | 'rsa' }[] = [
  { role: 'admin', services: ['Secrétariat'], job: 'secretariat' },
  { role: 'basic', services: ['PMI'], job: 'pmi' },
  { role: 'basic', services: ['PMI'], job: 'pmi' },
  { role: 'basic', services: ['Service social'], job: 'social' },
  { role: 'basic', services: ['Service social'], job: 'social' },
  { role: 'basic', services: ['Service social'], job: 'social' },
  { role: 'basic', services: ['RSA'], job: 'rsa' },
  { role: 'intervenant', services: ['RSA'], job: 'rsa' },
];

/** A Monday, before the example's "now" (the tests' 2026-11-24), so that slots exist from the start. */
const FIRST_DAY = '2026-09-07';

const ascii = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');

function buildBundle(): Bundle {
  const communes = (require('@etalab/decoupage-administratif/data/communes.json') as Commune[]).filter((c) => c.departement === '14' && c.type === 'commune-actuelle');
  const epcis = require('@etalab/decoupage-administratif/data/epci.json') as Epci[];
  const epciOf = new Map<string, string>();
  for (const epci of epcis) for (const member of epci.membres) epciOf.set(member.code, epci.code);
  const sectorOf = (commune: Commune): string => {
    const epci = epciOf.get(commune.code);
    const byEpci = ORGANISATIONS.find((o) => epci !== undefined && o.epcis.includes(epci));
    const byArrondissement = ORGANISATIONS.find((o) => commune.arrondissement !== undefined && o.arrondissements.includes(commune.arrondissement));
    const organisation = byEpci ?? byArrondissement;
    if (organisation === undefined) throw new Error(`commune ${commune.code} ${commune.nom} sans secteur`);
    return organisation.sector;
  };

  const bundle: Bundle = {
    territory: { line: 0, departementNumber: '14', name: 'Calvados', holidayRegion: null },
    services: SERVICES,
    motifCategories: [
      { line: 0, shortName: 'rsa_accompagnement', name: 'RSA accompagnement' },
      { line: 0, shortName: 'rsa_orientation', name: 'RSA orientation' },
    ],
    organisations: [],
    places: [],
    motifs: [],
    teams: [
      { line: 0, name: 'Équipe PMI du Calvados' },
      { line: 0, name: 'Équipe RSA du Calvados' },
    ],
    agents: [],
    openingPeriods: [],
    sectors: [],
    zones: [],
    attributions: [],
  };
  let person = 0;
  for (const spec of ORGANISATIONS) {
    bundle.organisations.push({
      line: 0,
      slug: spec.slug,
      name: spec.name,
      externalId: spec.externalId,
      timeZone: 'Europe/Paris',
      phoneNumber: spec.phone,
      email: spec.email,
      website: `https://www.calvados.example/solidarites/${spec.slug}`,
      openOnHolidays: [],
    });
    for (const place of spec.places) bundle.places.push({ line: 0, organisation: spec.slug, timeZone: 'Europe/Paris', phoneNumber: place.phone, name: place.name, address: place.address, latitude: place.latitude, longitude: place.longitude });
    for (const motif of MOTIFS) bundle.motifs.push({ ...DEFAULT_MOTIF, ...motif, organisation: spec.slug });

    STAFF.forEach((staff, index) => {
      const firstName = FIRST_NAMES[person % FIRST_NAMES.length] ?? 'Anne';
      // Forty distinct people: the second round of first names meets other last names.
      const lastName = LAST_NAMES[(person + 7 * Math.floor(person / FIRST_NAMES.length)) % LAST_NAMES.length] ?? 'Marie';
      person += 1;
      const email = staff.role === 'intervenant' ? null : `${ascii(firstName)}.${ascii(lastName)}@calvados.example`;
      const agent: Agent = {
        line: 0,
        email,
        firstName,
        lastName,
        roles: [{ organisation: spec.slug, accessLevel: staff.role }],
        services: staff.services,
        teams: staff.job === 'pmi' ? ['Équipe PMI du Calvados'] : staff.job === 'rsa' ? ['Équipe RSA du Calvados'] : [],
        // The Caen secretariat's admin administers the territory.
        territorialAdmin: spec.slug === 'mds-caen' && staff.role === 'admin',
      };
      bundle.agents.push(agent);
      const key = email ?? `${firstName} ${lastName}`;
      const place = spec.places[index % spec.places.length]?.name ?? null;
      const period = (title: string, recurrence: string, startTime: string, endTime: string, motifs: string[], atPlace: boolean): Period => ({
        line: 0,
        organisation: spec.slug,
        agent: key,
        place: atPlace ? place : null,
        title,
        firstDay: FIRST_DAY,
        lastDay: null,
        startTime,
        endTime,
        recurrence,
        excludedDates: [],
        motifs,
      });
      switch (staff.job) {
        case 'pmi':
          bundle.openingPeriods.push(
            period('Consultations PMI', index % 2 === 0 ? 'FREQ=WEEKLY;BYDAY=MO,TU,TH' : 'FREQ=WEEKLY;BYDAY=TU,WE,FR', '09:00', '12:00', ['Consultation de puériculture', 'Consultation prénatale avec une sage-femme'], true),
          );
          break;
        case 'social':
          bundle.openingPeriods.push(
            period('Permanence sociale', 'FREQ=WEEKLY;BYDAY=MO,TU,TH,FR', '09:00', '12:00', ['Premier rendez-vous avec une assistante sociale'], true),
            period('Entretiens téléphoniques et visites', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', '14:00', '17:00', ['Entretien téléphonique avec une assistante sociale', 'Visite à domicile'], false),
          );
          break;
        case 'rsa':
          bundle.openingPeriods.push(
            staff.role === 'intervenant'
              ? period('Orientations RSA en visio', 'FREQ=WEEKLY;BYDAY=WE', '09:00', '12:00', ['Rendez-vous d’orientation RSA'], false)
              : period('Suivi RSA', 'FREQ=WEEKLY;BYDAY=TU,TH', '14:00', '17:00', ['Suivi RSA avec votre référent'], true),
          );
          break;
        case 'secretariat':
          break;
      }
    });

    bundle.sectors.push({ line: 0, humanId: spec.sector, name: spec.sectorName });
    bundle.attributions.push({ line: 0, sector: spec.sector, organisation: spec.slug, agent: null });
  }
  for (const commune of communes) bundle.zones.push({ line: 0, sector: sectorOf(commune), cityCode: commune.code, cityName: commune.nom, streetBanId: null, streetName: null });
  return bundle;
}

async function main(): Promise<void> {
  const directory = process.argv[2] ?? path.join('examples', 'territories', 'calvados-14');
  const files = serialiseBundle(buildBundle());
  const validation = validateBundle(files);
  if (!validation.ok) throw new Error(validation.errors.map(formatBundleError).join('\n'));
  await mkdir(directory, { recursive: true });
  for (const [name, text] of files) await writeFile(path.join(directory, name), text, 'utf8');
  const b = validation.bundle;
  process.stdout.write(
    `${directory} : ${b.organisations.length} organisations, ${b.places.length} lieux, ${b.agents.length} agents, ${b.motifs.length} motifs, ${b.openingPeriods.length} plages, ${b.zones.length} communes en ${b.sectors.length} secteurs\n`,
  );
}

await main();

/**
 * Commune-level geocoding without network: matches a query against the communes of the COG
 * (`@etalab/decoupage-administratif`) by postcode and by name, accents and case ignored. It cannot
 * place a street: every answer is a `municipality`, and its score says how sure the match is.
 */
import type { GeocodingResult } from './geocoding-result.js';
import { departementNumberOf } from './french-geography.js';
import { normaliseForMatching } from './search-text.js';

export interface CommuneRecord {
  /** INSEE code. */
  code: string;
  name: string;
  postcodes: readonly string[];
  /** Inhabitants; orders communes that match equally well (the larger first). */
  population: number;
  /** Paris, Lyon and Marseille arrondissements carry their own code, as BAN addresses do. */
  kind: 'commune' | 'arrondissement';
}

export interface Coordinates {
  latitude: number;
  longitude: number;
}

interface IndexedCommune {
  record: CommuneRecord;
  departementNumber: string;
  normalisedName: string;
}

export interface CommuneIndex {
  byName: ReadonlyMap<string, readonly IndexedCommune[]>;
  byPostcode: ReadonlyMap<string, readonly IndexedCommune[]>;
  all: readonly IndexedCommune[];
  /** Known centres (e.g. from recorded municipality responses); other communes have none. */
  centres: ReadonlyMap<string, Coordinates>;
}

/**
 * Scores of the offline matches. They stay below what a real geocoder gives an exact address, and a
 * guess (postcode alone, city name inferred from the end of an address, prefix) stays at or below
 * 0.7 so that the funnel asks the usager to confirm.
 */
const SCORE = {
  nameAndPostcode: 0.9,
  exactName: 0.85,
  addressEndingWithNameAndPostcode: 0.8,
  postcodeOnly: 0.7,
  addressEndingWithName: 0.6,
  prefix: 0.5,
  postcodeWithOtherName: 0.4,
} as const;

/** Builds the lookup tables once; communes without a postcode (uninhabited) are left out. */
export function buildCommuneIndex(records: readonly CommuneRecord[], centres: ReadonlyMap<string, Coordinates> = new Map()): CommuneIndex {
  const byName = new Map<string, IndexedCommune[]>();
  const byPostcode = new Map<string, IndexedCommune[]>();
  const all: IndexedCommune[] = [];
  for (const record of records) {
    const departementNumber = departementNumberOf(record.code);
    if (departementNumber === null || record.postcodes.length === 0) continue;
    const indexed: IndexedCommune = { record, departementNumber, normalisedName: normaliseForMatching(record.name) };
    all.push(indexed);
    pushTo(byName, indexed.normalisedName, indexed);
    for (const postcode of record.postcodes) pushTo(byPostcode, postcode, indexed);
  }
  return { byName, byPostcode, all, centres };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

interface Candidate {
  commune: IndexedCommune;
  score: number;
  postcode: string;
}

/**
 * Communes matching a query, best first: '77000', 'melun', 'Melun 77000' or a whole address ending
 * with the commune ('3 rue X 77000 Melun') all find Melun (77288).
 */
export function searchCommunes(index: CommuneIndex, query: string, limit: number): GeocodingResult[] {
  const words = normaliseForMatching(query).split(' ').filter((word) => word !== '');
  const postcodes = words.filter((word) => /^[0-9]{5}$/.test(word));
  const nameWords = words.filter((word) => !/^[0-9]{5}$/.test(word));
  const candidates = new Map<string, Candidate>();
  const offer = (commune: IndexedCommune, score: number, postcode: string): void => {
    const known = candidates.get(commune.record.code);
    if (known === undefined || known.score < score) candidates.set(commune.record.code, { commune, score, postcode });
  };
  const firstPostcodeOf = (commune: IndexedCommune): string => commune.record.postcodes[0] ?? '';

  for (const postcode of postcodes) {
    for (const commune of index.byPostcode.get(postcode) ?? []) {
      offer(commune, nameWords.length === 0 ? SCORE.postcodeOnly : SCORE.postcodeWithOtherName, postcode);
    }
  }
  // The commune name is the whole text, or ends it ("… rue de la Gare Melun").
  for (let start = 0; start < nameWords.length; start += 1) {
    const name = nameWords.slice(start).join(' ');
    for (const commune of index.byName.get(name) ?? []) {
      const postcode = postcodes.find((candidate) => commune.record.postcodes.includes(candidate));
      const isWholeText = start === 0;
      if (postcode !== undefined) {
        offer(commune, isWholeText ? SCORE.nameAndPostcode : SCORE.addressEndingWithNameAndPostcode, postcode);
      } else if (postcodes.length === 0) {
        offer(commune, isWholeText ? SCORE.exactName : SCORE.addressEndingWithName, firstPostcodeOf(commune));
      } else {
        offer(commune, SCORE.postcodeWithOtherName, firstPostcodeOf(commune));
      }
    }
  }
  // Autocompletion of a name being typed, when nothing matched exactly.
  const typed = nameWords.join(' ');
  if (candidates.size === 0 && postcodes.length === 0 && typed.length >= 3) {
    for (const commune of index.all) {
      if (commune.normalisedName.startsWith(typed)) offer(commune, SCORE.prefix, firstPostcodeOf(commune));
    }
  }

  // A name and a postcode that agree make the partial matches noise.
  const hasAgreement = [...candidates.values()].some((candidate) => candidate.score >= SCORE.addressEndingWithNameAndPostcode);
  return [...candidates.values()]
    .filter((candidate) => !hasAgreement || candidate.score > SCORE.postcodeWithOtherName)
    .sort(
      (a, b) =>
        b.score - a.score ||
        kindRank(a.commune) - kindRank(b.commune) ||
        b.commune.record.population - a.commune.record.population ||
        a.commune.record.code.localeCompare(b.commune.record.code),
    )
    .slice(0, limit)
    .map((candidate) => toResult(index, candidate));
}

// For a postcode of Paris, Lyon or Marseille, the arrondissement comes before the whole city, as
// the BAN gives arrondissement codes for addresses there.
function kindRank(commune: IndexedCommune): number {
  return commune.record.kind === 'arrondissement' ? 0 : 1;
}

function toResult(index: CommuneIndex, { commune, score, postcode }: Candidate): GeocodingResult {
  const centre = index.centres.get(commune.record.code);
  return {
    label: commune.record.name,
    postcode,
    cityCode: commune.record.code,
    cityName: commune.record.name,
    departementNumber: commune.departementNumber,
    latitude: centre?.latitude ?? null,
    longitude: centre?.longitude ?? null,
    score,
    type: 'municipality',
  };
}

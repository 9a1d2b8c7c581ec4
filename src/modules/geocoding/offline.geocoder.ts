/**
 * Geocoder for development, tests and CI, which have no internet: recorded Géoplateforme answers
 * for the demo addresses, then the communes of the COG (`@etalab/decoupage-administratif`) matched
 * by name and postcode. It never reaches the network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { z } from 'zod';
import recordedResponses from './fixtures/geoplateforme-responses.json' with { type: 'json' };
import { buildCommuneIndex, searchCommunes, type CommuneIndex, type CommuneRecord, type Coordinates } from './domain/commune-index.js';
import type { GeocodingResult } from './domain/geocoding-result.js';
import { featureCollectionSchema, toGeocodingResults, type FeatureCollection } from './domain/geocodejson.js';
import { clampLimit, normaliseForMatching, prepareQuery } from './domain/search-text.js';
import type { Geocoder, GeocoderSearchOptions } from './geocoder.port.js';

const recordedSchema = z.object({
  responses: z.array(z.object({ query: z.string().min(1), response: featureCollectionSchema })),
});

export interface RecordedResponse {
  query: string;
  response: FeatureCollection;
}

/** The recorded answers shipped in fixtures/geoplateforme-responses.json. */
export function bundledRecordedResponses(): RecordedResponse[] {
  return recordedSchema.parse(recordedResponses).responses;
}

const communeSchema = z.object({
  code: z.string(),
  nom: z.string(),
  type: z.string(),
  codesPostaux: z.array(z.string()).optional(),
  population: z.number().optional(),
});

/** Current communes and municipal arrondissements of the COG (déléguées and associées left out). */
export async function loadCommunesFromCog(): Promise<CommuneRecord[]> {
  const path = createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/data/communes.json');
  const entries = z.array(z.unknown()).parse(JSON.parse(await readFile(path, 'utf8')));
  const communes: CommuneRecord[] = [];
  for (const entry of entries) {
    const parsed = communeSchema.safeParse(entry);
    if (!parsed.success) continue;
    const { code, nom, type, codesPostaux, population } = parsed.data;
    if (type !== 'commune-actuelle' && type !== 'arrondissement-municipal') continue;
    communes.push({
      code,
      name: nom,
      postcodes: codesPostaux ?? [],
      population: population ?? 0,
      kind: type === 'commune-actuelle' ? 'commune' : 'arrondissement',
    });
  }
  return communes;
}

export interface OfflineGeocoderOptions {
  recorded?: readonly RecordedResponse[];
  loadCommunes?: () => Promise<readonly CommuneRecord[]>;
}

export class OfflineGeocoder implements Geocoder {
  readonly #recordedByQuery = new Map<string, FeatureCollection>();
  readonly #centres = new Map<string, Coordinates>();
  readonly #loadCommunes: () => Promise<readonly CommuneRecord[]>;
  #communeIndex: Promise<CommuneIndex> | undefined;

  constructor(options: OfflineGeocoderOptions = {}) {
    for (const { query, response } of options.recorded ?? bundledRecordedResponses()) {
      this.#recordedByQuery.set(normaliseForMatching(query), response);
      for (const result of toGeocodingResults(response, Number.MAX_SAFE_INTEGER)) {
        // A recorded address also answers to its own label; a recorded commune lends its centre.
        const label = normaliseForMatching(result.label);
        if (!this.#recordedByQuery.has(label)) this.#recordedByQuery.set(label, response);
        if (result.type === 'municipality' && result.latitude !== null && result.longitude !== null) {
          this.#centres.set(result.cityCode, { latitude: result.latitude, longitude: result.longitude });
        }
      }
    }
    this.#loadCommunes = options.loadCommunes ?? loadCommunesFromCog;
  }

  async search(query: string, options: GeocoderSearchOptions = {}): Promise<GeocodingResult[]> {
    const q = prepareQuery(query);
    if (q === null) return [];
    const limit = clampLimit(options.limit);
    const recorded = this.#recordedByQuery.get(normaliseForMatching(q));
    if (recorded !== undefined) return toGeocodingResults(recorded, limit);
    return searchCommunes(await this.#communes(), q, limit);
  }

  // Loaded on first need (8 MB of JSON), then kept; a failed load is retried on the next search.
  #communes(): Promise<CommuneIndex> {
    this.#communeIndex ??= this.#loadCommunes().then(
      (records) => buildCommuneIndex(records, this.#centres),
      (error: unknown) => {
        this.#communeIndex = undefined;
        throw error;
      },
    );
    return this.#communeIndex;
  }
}

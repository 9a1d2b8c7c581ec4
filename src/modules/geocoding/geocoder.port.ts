/**
 * The geocoder port: turns what the usager typed into normalised French addresses. Adapters:
 * `GeoplateformeGeocoder` (IGN Géoplateforme, the successor of api-adresse) and `OfflineGeocoder`
 * (recorded responses + communes of `@etalab/decoupage-administratif`, no network).
 */

import type { GeocodingResult } from './domain/geocoding-result.js';

export type { GeocodingResult, GeocodingResultType } from './domain/geocoding-result.js';

export interface GeocoderSearchOptions {
  /** Maximum number of results, 1 to 20 (default 5). */
  limit?: number;
}

/**
 * Forward geocoding. Resolves to the results, best first (an empty array when nothing matches or
 * the query is too short to search); rejects with `GeocoderUnavailableError` only when the service
 * cannot answer. Implementations never log the query: an address is personal data.
 */
export interface Geocoder {
  search(query: string, options?: GeocoderSearchOptions): Promise<GeocodingResult[]>;
}

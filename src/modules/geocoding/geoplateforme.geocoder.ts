/**
 * Adapter of the IGN Géoplateforme geocoding service (`data.geopf.fr/geocodage`, which replaced
 * api-adresse.data.gouv.fr in January 2026): `GET {baseUrl}/search?q=…&limit=…&index=address`,
 * answered with GeocodeJSON. 50 requests/s per IP, HTTP 429 above.
 */
import type { GeocodingResult } from './domain/geocoding-result.js';
import { featureCollectionSchema, toGeocodingResults } from './domain/geocodejson.js';
import { clampLimit, prepareQuery } from './domain/search-text.js';
import type { Geocoder, GeocoderSearchOptions } from './geocoder.port.js';
import { GeocoderUnavailableError } from './geocoding.errors.js';

export const GEOPLATEFORME_BASE_URL = 'https://data.geopf.fr/geocodage';

/** A citizen waits on this call: past 3 s, give up and let the funnel offer another way. */
export const DEFAULT_TIMEOUT_MS = 3000;

export interface GeoplateformeGeocoderOptions {
  baseUrl?: string;
  /** Injected so that tests and proxies can stand in for the network. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class GeoplateformeGeocoder implements Geocoder {
  readonly #searchUrl: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: GeoplateformeGeocoderOptions = {}) {
    this.#searchUrl = `${(options.baseUrl ?? GEOPLATEFORME_BASE_URL).replace(/\/+$/, '')}/search`;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async search(query: string, options: GeocoderSearchOptions = {}): Promise<GeocodingResult[]> {
    const q = prepareQuery(query);
    if (q === null) return [];
    const limit = clampLimit(options.limit);
    const url = new URL(this.#searchUrl);
    url.search = new URLSearchParams({ q, limit: String(limit), index: 'address' }).toString();

    // The URL holds the address: it must not reach an error message, hence no `cause` below.
    let body: unknown;
    const signal = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await this.#fetch(url, { headers: { accept: 'application/json' }, signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new GeocoderUnavailableError(response.status === 429 ? 'RATE_LIMITED' : 'HTTP_ERROR', response.status);
      }
      body = await response.json();
    } catch (error) {
      if (error instanceof GeocoderUnavailableError) throw error;
      if (signal.aborted) throw new GeocoderUnavailableError('TIMEOUT');
      if (error instanceof SyntaxError) throw new GeocoderUnavailableError('INVALID_RESPONSE');
      throw new GeocoderUnavailableError('NETWORK_ERROR');
    }
    const collection = featureCollectionSchema.safeParse(body);
    if (!collection.success) throw new GeocoderUnavailableError('INVALID_RESPONSE');
    return toGeocodingResults(collection.data, limit);
  }
}

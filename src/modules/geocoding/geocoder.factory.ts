import { GeoplateformeGeocoder } from './geoplateforme.geocoder.js';
import type { Geocoder } from './geocoder.port.js';
import { OfflineGeocoder } from './offline.geocoder.js';

export interface GeocoderConfig {
  /** Base URL of a Géoplateforme-compatible service (GEOCODER_URL); none means offline. */
  geocoderUrl?: string | undefined;
}

/**
 * The geocoder of this process: the Géoplateforme-compatible service at `geocoderUrl`, or the
 * offline adapter when none is configured (development, tests, CI — machines without internet).
 */
export function createGeocoder(config: GeocoderConfig, dependencies: { fetch?: typeof fetch } = {}): Geocoder {
  if (config.geocoderUrl === undefined || config.geocoderUrl === '') return new OfflineGeocoder();
  return new GeoplateformeGeocoder({ baseUrl: config.geocoderUrl, ...dependencies });
}

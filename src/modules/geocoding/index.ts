export type { Geocoder, GeocoderSearchOptions, GeocodingResult, GeocodingResultType } from './geocoder.port.js';
export { GeocoderUnavailableError, type GeocoderUnavailableReason } from './geocoding.errors.js';
export { createGeocoder, type GeocoderConfig } from './geocoder.factory.js';
export { GEOPLATEFORME_BASE_URL, GeoplateformeGeocoder, type GeoplateformeGeocoderOptions } from './geoplateforme.geocoder.js';
export { OfflineGeocoder, loadCommunesFromCog, type OfflineGeocoderOptions } from './offline.geocoder.js';
export type { CommuneRecord } from './domain/commune-index.js';
export { departementNumberOf, isInseeCityCode, streetBanIdOf } from './domain/french-geography.js';

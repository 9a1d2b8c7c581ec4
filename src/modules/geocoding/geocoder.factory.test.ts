import { describe, expect, it } from 'vitest';
import { createGeocoder } from './geocoder.factory.js';
import { GeoplateformeGeocoder } from './geoplateforme.geocoder.js';
import { OfflineGeocoder } from './offline.geocoder.js';

describe('createGeocoder', () => {
  it('is offline when no geocoder URL is configured', () => {
    expect(createGeocoder({})).toBeInstanceOf(OfflineGeocoder);
    expect(createGeocoder({ geocoderUrl: '' })).toBeInstanceOf(OfflineGeocoder);
  });

  it('calls the configured Géoplateforme-compatible service otherwise', async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      urls.push(input instanceof URL ? input.origin + input.pathname : 'not a URL');
      return Promise.resolve(Response.json({ type: 'FeatureCollection', features: [] }));
    };
    const geocoder = createGeocoder({ geocoderUrl: 'https://data.geopf.fr/geocodage' }, { fetch: fakeFetch });
    expect(geocoder).toBeInstanceOf(GeoplateformeGeocoder);
    await geocoder.search('20 quai Hippolyte Rossignol 77000 Melun');
    expect(urls).toEqual(['https://data.geopf.fr/geocodage/search']);
  });
});

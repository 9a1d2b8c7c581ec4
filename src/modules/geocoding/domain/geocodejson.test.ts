import { describe, expect, it } from 'vitest';
import { featureCollectionSchema, toGeocodingResults } from './geocodejson.js';

function feature(properties: Record<string, unknown>, coordinates: [number, number] = [2.655612, 48.539396]): unknown {
  return { type: 'Feature', geometry: { type: 'Point', coordinates }, properties };
}

const houseNumber = {
  label: '20 Quai Hippolyte Rossignol 77000 Melun',
  score: 0.9731,
  housenumber: '20',
  id: '77288_0740_00020',
  banId: '3f0d5a1e-6c1b-4f0e-9a52-8f3c8e1b7a20',
  name: '20 Quai Hippolyte Rossignol',
  postcode: '77000',
  citycode: '77288',
  x: 674355.81,
  y: 6825652.27,
  city: 'Melun',
  context: '77, Seine-et-Marne, Île-de-France',
  type: 'housenumber',
  importance: 0.6906,
  street: 'Quai Hippolyte Rossignol',
  _type: 'address',
};

function collectionOf(...features: unknown[]) {
  return featureCollectionSchema.parse({ type: 'FeatureCollection', features });
}

describe('toGeocodingResults', () => {
  it('maps a house number: [lon, lat] order, département from the INSEE code, street-level BAN key', () => {
    expect(toGeocodingResults(collectionOf(feature(houseNumber)), 5)).toEqual([
      {
        label: '20 Quai Hippolyte Rossignol 77000 Melun',
        houseNumber: '20',
        street: 'Quai Hippolyte Rossignol',
        postcode: '77000',
        cityCode: '77288',
        cityName: 'Melun',
        departementNumber: '77',
        latitude: 48.539396,
        longitude: 2.655612,
        banId: '77288_0740',
        score: 0.9731,
        type: 'housenumber',
      },
    ]);
  });

  it('takes the street name from `name` when a street result has no `street`', () => {
    const street = { ...houseNumber, type: 'street', id: '77288_0740', name: 'Quai Hippolyte Rossignol', housenumber: undefined, street: undefined };
    const [result] = toGeocodingResults(collectionOf(feature(street)), 5);
    expect(result).toMatchObject({ type: 'street', street: 'Quai Hippolyte Rossignol', banId: '77288_0740' });
    expect(result).not.toHaveProperty('houseNumber');
  });

  it('gives a commune result no street key', () => {
    const municipality = { ...houseNumber, type: 'municipality', id: '77288', label: 'Melun', name: 'Melun', housenumber: undefined, street: undefined };
    const [result] = toGeocodingResults(collectionOf(feature(municipality)), 5);
    expect(result).toMatchObject({ type: 'municipality', cityCode: '77288' });
    expect(result).not.toHaveProperty('banId');
    expect(result).not.toHaveProperty('street');
  });

  it('skips unusable features and keeps the others, in order, up to the limit', () => {
    const collection = collectionOf(
      feature({ ...houseNumber, citycode: 'XXXXX' }),
      feature({ ...houseNumber, type: 'poi' }),
      { type: 'Feature', geometry: null, properties: houseNumber },
      feature({ ...houseNumber, label: 'first' }),
      feature({ ...houseNumber, label: 'second' }),
      feature({ ...houseNumber, label: 'third' }),
    );
    expect(toGeocodingResults(collection, 2).map((result) => result.label)).toEqual(['first', 'second']);
  });

  it('reads an overseas département on three characters', () => {
    const reunion = { ...houseNumber, citycode: '97411', postcode: '97400', city: 'Saint-Denis', id: '97411_0870_00002' };
    const [result] = toGeocodingResults(collectionOf(feature(reunion, [55.448109, -20.878934])), 5);
    expect(result).toMatchObject({ departementNumber: '974', latitude: -20.878934, longitude: 55.448109, banId: '97411_0870' });
  });
});

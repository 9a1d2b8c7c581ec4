/**
 * The GeocodeJSON answer of the Géoplateforme `search` operation (a GeoJSON FeatureCollection, as
 * api-adresse answered before it) and its translation into `GeocodingResult`s. The recorded
 * responses of the offline adapter go through the same schema, so both adapters agree.
 */
import { z } from 'zod';
import type { GeocodingResult, GeocodingResultType } from './geocoding-result.js';
import { departementNumberOf, streetBanIdOf } from './french-geography.js';

const RESULT_TYPES = ['housenumber', 'street', 'locality', 'municipality'] as const satisfies readonly GeocodingResultType[];

// Lenient on purpose: the service adds fields over time (`_type`, `banId`, `importance`…); only the
// fields we use are checked, and one odd feature does not spoil the others (see toGeocodingResults).
const featureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.object({
    type: z.literal('Point'),
    coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number()),
  }),
  properties: z.object({
    label: z.string().min(1),
    score: z.number().min(0).max(1),
    type: z.enum(RESULT_TYPES),
    id: z.string().optional(),
    housenumber: z.string().optional(),
    street: z.string().optional(),
    name: z.string().optional(),
    postcode: z.string().regex(/^[0-9]{5}$/),
    citycode: z.string(),
    city: z.string().min(1),
    context: z.string().optional(),
  }),
});

/** The envelope only; features are checked one by one. */
export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

export type FeatureCollection = z.infer<typeof featureCollectionSchema>;

/**
 * Results of a FeatureCollection, in the service's order, at most `limit`. Features that are not
 * addresses of a known type or lack a valid INSEE code are skipped rather than failing the search.
 */
export function toGeocodingResults(collection: FeatureCollection, limit: number): GeocodingResult[] {
  const results: GeocodingResult[] = [];
  for (const raw of collection.features) {
    if (results.length >= limit) break;
    const parsed = featureSchema.safeParse(raw);
    if (!parsed.success) continue;
    const result = toGeocodingResult(parsed.data);
    if (result !== null) results.push(result);
  }
  return results;
}

function toGeocodingResult(feature: z.infer<typeof featureSchema>): GeocodingResult | null {
  const { properties } = feature;
  const departementNumber = departementNumberOf(properties.citycode);
  if (departementNumber === null) return null;
  const [longitude, latitude] = feature.geometry.coordinates;
  const result: GeocodingResult = {
    label: properties.label,
    postcode: properties.postcode,
    cityCode: properties.citycode,
    cityName: properties.city,
    departementNumber,
    latitude,
    longitude,
    score: properties.score,
    type: properties.type,
  };
  if (properties.housenumber !== undefined) result.houseNumber = properties.housenumber;
  // For a street or a lieu-dit, the service puts its name in `name` (and not always in `street`).
  const street = properties.street ?? (properties.type === 'street' || properties.type === 'locality' ? properties.name : undefined);
  if (street !== undefined) result.street = street;
  if (properties.type !== 'municipality' && properties.id !== undefined) {
    const banId = streetBanIdOf(properties.id);
    if (banId !== null) result.banId = banId;
  }
  return result;
}

/** What a geocoder answers, whatever the adapter. */

/** GeocodeJSON `type` of a result, from the most precise to the least. */
export type GeocodingResultType = 'housenumber' | 'street' | 'locality' | 'municipality';

export interface GeocodingResult {
  /** Full formatted address, as the BAN writes it ("20 Quai Hippolyte Rossignol 77000 Melun"). */
  label: string;
  houseNumber?: string;
  /** Street (or lieu-dit) name, when the result is finer than the commune. */
  street?: string;
  postcode: string;
  /** INSEE code of the commune (COG), e.g. '77288'; an arrondissement code in Paris, Lyon, Marseille. */
  cityCode: string;
  cityName: string;
  /** Derived from the INSEE code: '77', '2A', '974'. */
  departementNumber: string;
  /**
   * WGS84 degrees. Null only for commune-level results of the offline adapter, whose commune list
   * carries no coordinates (see README); the Géoplateforme always gives a point.
   */
  latitude: number | null;
  longitude: number | null;
  /**
   * Street-level BAN key (INSEE code + '_' + FANTOIR street code, e.g. '77288_0740'), the key that
   * street zones of the sectorisation store. Absent for commune-level results.
   */
  banId?: string;
  /** Confidence between 0 and 1; below about 0.7 the usager should confirm the address. */
  score: number;
  type: GeocodingResultType;
}

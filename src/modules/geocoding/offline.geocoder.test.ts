/**
 * The offline adapter on its real data: the recorded answers shipped with the module and the
 * communes of `@etalab/decoupage-administratif`.
 */
import { describe, expect, it } from 'vitest';
import { OfflineGeocoder } from './offline.geocoder.js';

const geocoder = new OfflineGeocoder();

describe('OfflineGeocoder', () => {
  it('answers a recorded demo address like the Géoplateforme, with its street key', async () => {
    const [result] = await geocoder.search('20 quai Hippolyte Rossignol 77000 Melun');
    expect(result).toEqual({
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
    });
  });

  it('recognises a recorded address typed with other case, accents and punctuation, or by its label', async () => {
    const [typed] = await geocoder.search('20, QUAI HIPPOLYTE-ROSSIGNOL 77000 MELUN');
    expect(typed?.banId).toBe('77288_0740');
    const [byLabel] = await geocoder.search('9 Avenue du Général de Gaulle 77190 Dammarie-les-Lys');
    expect(byLabel).toMatchObject({ cityCode: '77152', houseNumber: '9' });
  });

  it('respects the limit on recorded answers', async () => {
    expect(await geocoder.search('20 quai Hippolyte Rossignol 77000 Melun', { limit: 1 })).toHaveLength(1);
  });

  it('finds Melun (77288) from "melun" or "77000"', async () => {
    const [byName] = await geocoder.search('melun');
    expect(byName).toMatchObject({ cityCode: '77288', cityName: 'Melun', departementNumber: '77', type: 'municipality' });
    const [byPostcode] = await geocoder.search('77000');
    expect(byPostcode).toMatchObject({ cityCode: '77288', postcode: '77000', type: 'municipality' });
    expect(byPostcode?.latitude).toBeCloseTo(48.54, 1);
  });

  it('falls back to the communes of the COG, accent- and case-insensitively', async () => {
    const [result] = await geocoder.search('VAUX LE PENIL');
    expect(result).toMatchObject({ cityCode: '77487', cityName: 'Vaux-le-Pénil', postcode: '77000', departementNumber: '77', latitude: null, longitude: null });
  });

  it('places an unrecorded address at its commune, enough to sectorise', async () => {
    const [result] = await geocoder.search('3 rue des Lilas 77210 Avon');
    expect(result).toMatchObject({ cityCode: '77014', departementNumber: '77', type: 'municipality', score: 0.8 });
    expect(result).not.toHaveProperty('banId');
  });

  it('tells the Saint-Denis of La Réunion from its namesakes by the postcode', async () => {
    const [result] = await geocoder.search('St-Denis 97490');
    expect(result).toMatchObject({ cityCode: '97411', departementNumber: '974', postcode: '97490' });
  });

  it('reads Corsican départements from the INSEE code', async () => {
    const [result] = await geocoder.search('Ajaccio');
    expect(result).toMatchObject({ cityCode: '2A004', departementNumber: '2A' });
  });

  it('finds nothing for an unknown place or a too short query', async () => {
    expect(await geocoder.search('zzzz qqqq')).toEqual([]);
    expect(await geocoder.search('77')).toEqual([]);
  });

  it('loads the commune list once, and retries after a failed load', async () => {
    let loads = 0;
    const flaky = new OfflineGeocoder({
      recorded: [],
      loadCommunes: () => {
        loads += 1;
        if (loads === 1) return Promise.reject(new Error('disk error'));
        return Promise.resolve([{ code: '77288', name: 'Melun', postcodes: ['77000'], population: 1, kind: 'commune' }]);
      },
    });
    await expect(flaky.search('melun')).rejects.toThrow('disk error');
    expect((await flaky.search('melun'))[0]?.cityCode).toBe('77288');
    expect((await flaky.search('77000'))[0]?.cityCode).toBe('77288');
    expect(loads).toBe(2);
  });
});

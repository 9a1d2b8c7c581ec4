import { describe, expect, it } from 'vitest';
import { buildCommuneIndex, searchCommunes, type CommuneRecord } from './commune-index.js';

const COMMUNES: CommuneRecord[] = [
  { code: '77288', name: 'Melun', postcodes: ['77000'], population: 45995, kind: 'commune' },
  { code: '77487', name: 'Vaux-le-Pénil', postcodes: ['77000'], population: 11000, kind: 'commune' },
  { code: '77152', name: 'Dammarie-les-Lys', postcodes: ['77190'], population: 23559, kind: 'commune' },
  { code: '77186', name: 'Fontainebleau', postcodes: ['77300'], population: 15019, kind: 'commune' },
  { code: '93066', name: 'Saint-Denis', postcodes: ['93200', '93210'], population: 149077, kind: 'commune' },
  { code: '97411', name: 'Saint-Denis', postcodes: ['97400', '97417', '97490'], population: 155634, kind: 'commune' },
  { code: '75056', name: 'Paris', postcodes: ['75001', '75011'], population: 2103778, kind: 'commune' },
  { code: '75111', name: 'Paris 11e Arrondissement', postcodes: ['75011'], population: 140000, kind: 'arrondissement' },
  { code: '55039', name: 'Beaumont-en-Verdunois', postcodes: [], population: 0, kind: 'commune' },
];

const index = buildCommuneIndex(COMMUNES, new Map([['77288', { latitude: 48.5421, longitude: 2.6554 }]]));

function codesOf(query: string, limit = 5): string[] {
  return searchCommunes(index, query, limit).map((result) => result.cityCode);
}

describe('searchCommunes', () => {
  it('finds a commune by its name, whatever the case and accents', () => {
    expect(codesOf('melun')).toEqual(['77288']);
    expect(codesOf('MELUN')).toEqual(['77288']);
    expect(codesOf('vaux le penil')).toEqual(['77487']);
    expect(codesOf('Dammarie-lès-Lys')).toEqual(['77152']);
  });

  it('answers a commune result with its centre when one is known, and null coordinates otherwise', () => {
    expect(searchCommunes(index, 'melun', 1)).toEqual([
      {
        label: 'Melun',
        postcode: '77000',
        cityCode: '77288',
        cityName: 'Melun',
        departementNumber: '77',
        latitude: 48.5421,
        longitude: 2.6554,
        score: 0.85,
        type: 'municipality',
      },
    ]);
    expect(searchCommunes(index, 'fontainebleau', 1)[0]).toMatchObject({ latitude: null, longitude: null });
  });

  it('lists the communes of a postcode, the most populated first', () => {
    expect(codesOf('77000')).toEqual(['77288', '77487']);
    expect(searchCommunes(index, '77000', 1)[0]).toMatchObject({ postcode: '77000', score: 0.7 });
  });

  it('uses the postcode to tell apart communes of the same name', () => {
    expect(codesOf('Saint-Denis 97400')).toEqual(['97411']);
    expect(codesOf('st denis 93200')).toEqual(['93066']);
    expect(searchCommunes(index, 'saint denis 97490', 1)[0]).toMatchObject({ postcode: '97490', departementNumber: '974', score: 0.9 });
    expect(codesOf('saint denis')).toEqual(['97411', '93066']);
  });

  it('finds the commune at the end of a whole address', () => {
    const [result] = searchCommunes(index, '12 rue des Lilas, 77300 Fontainebleau', 5);
    expect(result).toMatchObject({ cityCode: '77186', postcode: '77300', type: 'municipality', score: 0.8 });
    expect(searchCommunes(index, '12 rue des Lilas Fontainebleau', 5)[0]).toMatchObject({ cityCode: '77186', score: 0.6 });
  });

  it('keeps only the commune whose name and postcode agree', () => {
    expect(codesOf('Vaux-le-Pénil 77000')).toEqual(['77487']);
  });

  it('still offers both when the name and the postcode disagree', () => {
    expect(codesOf('Melun 77300')).toEqual(['77288', '77186']);
    expect(searchCommunes(index, 'Melun 77300', 1)[0]).toMatchObject({ postcode: '77000', score: 0.4 });
  });

  it('completes a name being typed', () => {
    expect(codesOf('fontaineb')).toEqual(['77186']);
    expect(searchCommunes(index, 'dammarie', 1)[0]).toMatchObject({ cityCode: '77152', score: 0.5 });
  });

  it('puts the arrondissement first for a postcode of Paris, as the BAN does', () => {
    expect(codesOf('75011')).toEqual(['75111', '75056']);
    expect(codesOf('paris')).toEqual(['75056']);
  });

  it('finds nothing for an unknown place, and leaves out communes without a postcode', () => {
    expect(codesOf('zzzz')).toEqual([]);
    expect(codesOf('99999')).toEqual([]);
    expect(codesOf('Beaumont-en-Verdunois')).toEqual([]);
  });

  it('returns at most `limit` results', () => {
    expect(codesOf('saint denis', 1)).toEqual(['97411']);
  });
});

import { describe, expect, it } from 'vitest';
import { isEmptyPlan, planZonesImport, type StoredZone } from './zones-import.js';

const communes = (code: string): string | undefined => ({ '77288': 'Melun', '77152': 'Dammarie-lès-Lys', '77285': 'Le Mée-sur-Seine', '77284': 'Meaux' })[code];
const zone = (line: number, sector: string, cityCode: string, cityName: string, streetBanId: string | null = null, streetName: string | null = null) => ({ line, sector, cityCode, cityName, streetBanId, streetName });
const sectors = new Map([
  ['melun', 1],
  ['meaux', 2],
]);
const stored: StoredZone[] = [
  { id: 10, sectorId: 1, cityCode: '77288', cityName: 'Melun', streetBanId: null, streetName: null },
  { id: 11, sectorId: 1, cityCode: '77152', cityName: 'Dammarie-lès-Lys', streetBanId: null, streetName: null },
  { id: 12, sectorId: 2, cityCode: '77284', cityName: 'Meaux', streetBanId: null, streetName: null },
];

describe('zones import plan', () => {
  it('replaces the zones of the sectors the file names, and leaves the others alone', () => {
    const result = planZonesImport({
      file: 'zones.csv',
      zones: [zone(2, 'melun', '77288', 'Melun (ville)'), zone(3, 'melun', '77285', 'Le Mée-sur-Seine'), zone(4, 'melun', '77288', 'Melun', '77288_0740', 'Quai')],
      sectors,
      stored,
      communes,
    });
    if (!result.ok) throw new Error('expected a plan');
    expect(result.plan.create.map((z) => `${z.cityCode} ${z.streetBanId ?? ''}`)).toEqual(['77285 ', '77288 77288_0740']);
    expect(result.plan.create[1]?.level).toBe('street');
    expect(result.plan.update).toEqual([expect.objectContaining({ id: 10, cityName: 'Melun (ville)', before: { cityName: 'Melun', streetName: null } })]);
    expect(result.plan.delete.map((z) => z.id)).toEqual([11]);
    expect(result.plan.sectors).toEqual(['melun']);
    expect(result.plan.lines).toBe(3);
  });

  it('an identical file plans nothing', () => {
    const result = planZonesImport({ file: 'zones.csv', zones: [zone(2, 'melun', '77288', 'Melun'), zone(3, 'melun', '77152', 'Dammarie-lès-Lys')], sectors, stored, communes });
    expect(result.ok && isEmptyPlan(result.plan)).toBe(true);
  });

  it('reads back the export’s neutralised names', () => {
    const result = planZonesImport({ file: 'zones.csv', zones: [zone(2, 'meaux', '77284', 'Meaux', '77284_0230', "'=HYPERLINK(1)")], sectors, stored, communes });
    expect(result.ok ? result.plan.create[0]?.streetName : undefined).toBe('=HYPERLINK(1)');
  });

  it('reports unknown sectors and communes by line, and plans nothing then', () => {
    const result = planZonesImport({ file: 'zones.csv', zones: [zone(4, 'nord', '77288', 'Melun'), zone(2, 'melun', '77998', 'Nulle part')], sectors, stored, communes });
    expect(result).toEqual({
      ok: false,
      errors: [
        { file: 'zones.csv', line: 2, field: 'code_insee', message: 'aucune commune ne porte le code 77998 dans le code officiel géographique' },
        { file: 'zones.csv', line: 4, field: 'secteur', message: 'secteur « nord » inconnu dans ce territoire : créez-le d’abord (même identifiant)' },
      ],
    });
  });
});

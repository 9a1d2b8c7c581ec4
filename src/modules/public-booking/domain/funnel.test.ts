import { describe, expect, it } from 'vitest';
import { distanceKm, formatDistance } from './distance.js';
import { dedupeMotifs, listServices, type OfferedMotif } from './motif-catalogue.js';

const motif = (overrides: Partial<OfferedMotif>): OfferedMotif => ({
  id: 1,
  serviceId: 1,
  serviceName: 'PMI',
  name: 'Consultation',
  locationType: 'public_office',
  organisationId: 1,
  ...overrides,
});

describe('motif catalogue', () => {
  it('shows a motif offered by several organisations once, keeping every type id', () => {
    const choices = dedupeMotifs([
      motif({ id: 7, organisationId: 2 }),
      motif({ id: 3, organisationId: 1 }),
      motif({ id: 9, locationType: 'phone', organisationId: 1 }),
    ]);
    expect(choices).toEqual([
      { representativeId: 9, name: 'Consultation', locationType: 'phone', appointmentTypeIds: [9], organisationIds: [1] },
      { representativeId: 3, name: 'Consultation', locationType: 'public_office', appointmentTypeIds: [3, 7], organisationIds: [2, 1] },
    ]);
  });

  it('lists each service once, in French alphabetical order', () => {
    expect(listServices([motif({ serviceId: 2, serviceName: 'Service social' }), motif({}), motif({ id: 2 })])).toEqual([
      { id: 1, name: 'PMI' },
      { id: 2, name: 'Service social' },
    ]);
  });
});

describe('distance', () => {
  it('measures Melun to Meaux at about 50 km', () => {
    const km = distanceKm({ latitude: 48.5394, longitude: 2.6556 }, { latitude: 48.9606, longitude: 2.8786 });
    expect(km).toBeGreaterThan(46);
    expect(km).toBeLessThan(51);
    expect(formatDistance(km)).toBe('50 km');
    expect(formatDistance(0.42)).toBe('400 m');
  });
});

// Facts of a message for the template tests: a PMI appointment in Melun, overridable field by field.
import type { AppointmentMessageFacts } from './message-facts.js';

export const MOTIF = 'Suivi de grossesse';

export function buildFacts(overrides: Partial<AppointmentMessageFacts> = {}): AppointmentMessageFacts {
  return {
    event: 'appointment_created',
    audience: 'user',
    publicId: '0f8fad5bd9cb469fa16570867728950e',
    uidDomain: 'rdv.example.fr',
    sequence: 0,
    // Tuesday 1 December 2026, 10:30 in Paris (UTC+1)
    startsAt: new Date('2026-12-01T09:30:00Z'),
    endsAt: new Date('2026-12-01T10:00:00Z'),
    timeZone: 'Europe/Paris',
    previousStartsAt: null,
    offeredStartsAt: null,
    serviceShortName: 'PMI',
    motifName: MOTIF,
    organisationName: 'MDS de Melun',
    organisationPhone: '01 64 10 20 30',
    locationType: 'public_office',
    place: { name: 'Maison des solidarités', address: '20 quai Hippolyte Rossignol, 77000 Melun' },
    beneficiaryFirstNames: [],
    agentNames: ['Marie Dupont'],
    collectiveTitle: null,
    link: 'https://rdv.example.fr/r/abcdefghijkl',
    cancelledByUser: false,
    instructions: 'Apportez le carnet de santé.',
    ...overrides,
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSegments, isGsm7, toGsm7 } from './gsm7.js';
import type { AppointmentEvent, AppointmentMessageFacts, LocationType } from './message-facts.js';
import { formatSmsDateTime, renderSms } from './sms-templates.js';

const LINK = 'https://rdv.creneau.fr/r/Zk3vQ9xLmP0aBcDeFgHiJw';
const MOTIF = 'Consultation IVG';

/** Thursday 3 December 2026, 14:30 in Paris. */
const STARTS_AT = new Date('2026-12-03T13:30:00Z');

function factsFor(overrides: Partial<AppointmentMessageFacts> = {}): AppointmentMessageFacts {
  return {
    event: 'reminder',
    audience: 'user',
    publicId: 'a1b2c3d4',
    uidDomain: 'rdv.creneau.fr',
    sequence: 0,
    startsAt: STARTS_AT,
    endsAt: new Date(STARTS_AT.getTime() + 30 * 60_000),
    timeZone: 'Europe/Paris',
    previousStartsAt: null,
    offeredStartsAt: null,
    serviceShortName: 'PMI',
    motifName: MOTIF,
    organisationName: 'Maison départementale des solidarités de Melun',
    organisationPhone: '01 64 00 00 01',
    locationType: 'public_office',
    place: { name: 'MDS de Melun', address: '20 quai Hippolyte Rossignol, 77000 Melun' },
    beneficiaryFirstNames: [],
    agentNames: ['Marie Dupont'],
    collectiveTitle: null,
    link: LINK,
    cancelledByUser: false,
    instructions: 'Apportez le carnet de santé.',
    ...overrides,
  };
}

const EVENTS: readonly AppointmentEvent[] = ['appointment_created', 'appointment_updated', 'appointment_cancelled', 'reminder', 'waitlist_offer'];

// ------------------------------------------------------------------------------------------------
// A generated corpus of realistic French (and overseas) places and addresses, up to 60 characters
// ------------------------------------------------------------------------------------------------

const PLACE_PREFIXES = [
  'Maison départementale des solidarités de',
  'Centre médico-social de',
  'Pôle solidarités de',
  'Antenne PMI de',
  'MDS de',
  'Centre de PMI de',
  'Circonscription d’action sociale de',
  'Espace France services de',
  'Centre communal d’action sociale de',
  'Maison de l’enfance et de la famille de',
  'Centre de planification familiale de',
  'Point d’accueil solidarité de',
  'Agence départementale d’insertion de',
];
const TOWNS = [
  'Melun',
  'Meaux',
  'Dammarie-lès-Lys',
  'Châtenay-Malabry',
  'L’Haÿ-les-Roses',
  'Saint-Rémy-lès-Chevreuse',
  'Sainte-Geneviève-des-Bois',
  'Villeneuve-Saint-Georges',
  'Boulogne-sur-Mer',
  'Hénin-Beaumont',
  'Saint-Denis',
  'Saint-Laurent-du-Maroni',
  'Pointe-à-Pitre',
  'Les Abymes',
  'Le Morne-Rouge',
  'Fort-de-France',
  'Mamoudzou',
  'Dzaoudzi-Labattoir',
  'Saint-Benoît',
  'Le Tampon',
  'Saint-Pierre',
  'Cayenne',
  'Basse-Terre',
  'Sainte-Marie-aux-Mines',
  'Aulnay-sous-Bois',
  'Champigny-sur-Marne',
  'Montigny-le-Bretonneux',
  'Saint-Quentin-en-Yvelines',
];
const STREET_TYPES = ['rue', 'avenue', 'boulevard', 'place', 'allée', 'chemin', 'impasse', 'quai', 'route', 'rond-point'];
const STREET_NAMES = [
  'de l’Église',
  'du Général-de-Gaulle',
  'Jean-Jaurès',
  'Victor-Hugo',
  'des Lilas',
  'de la République',
  'Hippolyte Rossignol',
  'Aimé Césaire',
  'du Maréchal Leclerc',
  'de l’Hôtel-Dieu',
  'Félix Éboué',
  'des Flamboyants',
  'Roland Garros',
  'de la Source',
  'Schœlcher',
  'des Champs-Élysées',
];
const POSTCODES = ['77000', '77100', '92290', '94240', '62200', '97400', '97320', '97110', '97139', '97200', '97600', '97410', '97300', '91700'];
const SERVICES = ['PMI', 'PMI', 'PMI', 'Service social', 'RSA', 'Secrétariat', 'CMS', 'Planning familial'];
const ZONES = ['Europe/Paris', 'Europe/Paris', 'Europe/Paris', 'Indian/Reunion', 'America/Guadeloupe', 'America/Martinique', 'America/Cayenne', 'Indian/Mayotte'];
const FIRST_NAMES = ['Léa', 'Noé', 'Chloé', 'Maël', 'Anaïs', 'Inès', 'Jules', 'Zoé', 'Kylian', 'Aïcha'];
const MOTIFS = ['Consultation IVG', 'Dépistage VIH', 'Suivi addictologie', 'Violences conjugales', 'Information prématurité'];
const LOCATIONS: readonly LocationType[] = ['public_office', 'public_office', 'public_office', 'public_office', 'public_office', 'public_office', 'phone', 'home', 'visio'];
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');

/** Up to 60 characters, as a place or an address field holds them (typographic apostrophes and NBSP included). */
const upTo60 = (text: string): boolean => text.length <= 60;

const placeName = fc
  .tuple(fc.constantFrom(...PLACE_PREFIXES), fc.constantFrom(...TOWNS))
  .map(([prefix, town]) => `${prefix} ${town}`)
  .filter(upTo60);
const address = fc
  .tuple(fc.integer({ min: 1, max: 250 }), fc.constantFrom(...STREET_TYPES), fc.constantFrom(...STREET_NAMES), fc.constantFrom(...POSTCODES), fc.constantFrom(...TOWNS), fc.boolean())
  .map(([number, type, street, postcode, town, nbsp]) => `${String(number)}${nbsp ? '\u00A0' : ' '}${type} ${street}, ${postcode} ${town}`)
  .filter(upTo60);

const realisticFacts = (event: AppointmentEvent): fc.Arbitrary<AppointmentMessageFacts> =>
  fc
    .record({
      placeName,
      address,
      service: fc.constantFrom(...SERVICES),
      timeZone: fc.constantFrom(...ZONES),
      // from 2026-11-30 to 2027-06-30, 7:00 to 19:00 UTC-ish, on 5-minute steps
      startsAt: fc.integer({ min: 0, max: 212 * 24 * 12 }).map((fiveMinutes) => new Date(Date.UTC(2026, 10, 30, 4) + fiveMinutes * 5 * 60_000)),
      beneficiaries: fc.oneof(
        { weight: 7, arbitrary: fc.constant([] as string[]) },
        { weight: 2, arbitrary: fc.array(fc.constantFrom(...FIRST_NAMES), { minLength: 1, maxLength: 1 }) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom(...FIRST_NAMES), { minLength: 2, maxLength: 3 }) },
      ),
      token: fc.array(fc.constantFrom(...TOKEN_ALPHABET), { minLength: 22, maxLength: 22 }).map((characters) => characters.join('')),
      motif: fc.constantFrom(...MOTIFS),
      locationType: fc.constantFrom(...LOCATIONS),
      cancelledByUser: fc.boolean(),
    })
    .map((drawn) =>
      factsFor({
        event,
        serviceShortName: drawn.service,
        motifName: drawn.motif,
        timeZone: drawn.timeZone,
        startsAt: drawn.startsAt,
        offeredStartsAt: event === 'waitlist_offer' ? new Date(drawn.startsAt.getTime() - 3 * 24 * 3_600_000) : null,
        locationType: drawn.locationType,
        place: drawn.locationType === 'public_office' ? { name: drawn.placeName, address: drawn.address } : null,
        beneficiaryFirstNames: drawn.beneficiaries,
        link: `https://rdv.creneau.fr/r/${drawn.token}`,
        cancelledByUser: drawn.cancelledByUser,
      }),
    );

const CORPUS_SIZE = 2000;
const corpusOf = (event: AppointmentEvent): AppointmentMessageFacts[] => fc.sample(realisticFacts(event), { numRuns: CORPUS_SIZE, seed: 20261203 });

/** Lower case, accents and typography folded: how the motif could hide in a text. */
const folded = (text: string): string => toGsm7(text).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

describe('SMS templates', () => {
  it('writes a reminder with the service, weekday, date, time, place and the link, in one segment', () => {
    const text = renderSms(factsFor());
    expect(text).toBe(`Rappel: RDV PMI jeu. 3/12 à 14h30\nMDS de Melun, 20 quai Hippolyte Rossignol, 77000 Melun\nInfos et annulation: ${LINK}`);
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('shows the time in the place’s zone: La Réunion and Guadeloupe', () => {
    expect(formatSmsDateTime(STARTS_AT, 'Indian/Reunion')).toBe('jeu. 3/12 à 17h30');
    expect(formatSmsDateTime(STARTS_AT, 'America/Guadeloupe')).toBe('jeu. 3/12 à 9h30');
    // 02:00 UTC on Thursday is still Wednesday evening in Guadeloupe
    expect(formatSmsDateTime(new Date('2026-12-03T02:00:00Z'), 'America/Guadeloupe')).toBe('mer. 2/12 à 22h');
    expect(formatSmsDateTime(new Date('2026-12-03T02:00:00Z'), 'Indian/Reunion', { weekday: false })).toBe('3/12 à 6h');
    const reunion = renderSms(factsFor({ timeZone: 'Indian/Reunion', place: { name: 'Pôle solidarités de Saint-Denis', address: '2 rue de la Source, 97400 Saint-Denis' } }));
    expect(reunion).toContain('Rappel: RDV PMI jeu. 3/12 à 17h30\nPole solidarités de Saint-Denis');
    const guadeloupe = renderSms(factsFor({ timeZone: 'America/Guadeloupe', event: 'appointment_created' }));
    expect(guadeloupe.startsWith('RDV PMI confirmé: jeu. 3/12 à 9h30')).toBe(true);
  });

  it('says where without a place: by phone, at home, by video', () => {
    expect(renderSms(factsFor({ locationType: 'phone', place: null }))).toBe(`Rappel: RDV PMI jeu. 3/12 à 14h30\nPar téléphone\nInfos et annulation: ${LINK}`);
    expect(renderSms(factsFor({ locationType: 'home', place: null }))).toContain('\nA domicile\n');
    expect(renderSms(factsFor({ locationType: 'visio', place: null }))).toContain('\nEn visio\n');
  });

  it('gives the organisation’s phone number when there is no link', () => {
    expect(renderSms(factsFor({ link: null }))).toBe('Rappel: RDV PMI jeu. 3/12 à 14h30\nMDS de Melun, 20 quai Hippolyte Rossignol, 77000 Melun\nInfos et annulation: 01 64 00 00 01');
    expect(renderSms(factsFor({ link: null, event: 'appointment_cancelled' }))).toBe('RDV PMI du jeu. 3/12 à 14h30 annulé.\nPour reprendre RDV, appelez le 01 64 00 00 01');
    expect(renderSms(factsFor({ link: null, organisationPhone: null }))).toBe('Rappel: RDV PMI jeu. 3/12 à 14h30\nMDS de Melun, 20 quai Hippolyte Rossignol, 77000 Melun');
  });

  it('writes each event: created, updated, cancelled by the service or by the usager, waitlist offer', () => {
    expect(renderSms(factsFor({ event: 'appointment_created' }))).toBe(
      `RDV PMI confirmé: jeu. 3/12 à 14h30\nMDS de Melun, 20 quai Hippolyte Rossignol, 77000 Melun\nInfos et annulation: ${LINK}`,
    );
    expect(renderSms(factsFor({ event: 'appointment_updated', previousStartsAt: new Date('2026-12-01T08:00:00Z') }))).toBe(
      `RDV PMI modifié: jeu. 3/12 à 14h30\nMDS de Melun, 20 quai Hippolyte Rossignol, 77000 Melun\nInfos et annulation: ${LINK}`,
    );
    expect(renderSms(factsFor({ event: 'appointment_cancelled' }))).toBe(`RDV PMI du jeu. 3/12 à 14h30 annulé.\nPour reprendre RDV: ${LINK}`);
    expect(renderSms(factsFor({ event: 'appointment_cancelled', cancelledByUser: true }))).toBe(`Annulation enregistrée: RDV PMI du jeu. 3/12 à 14h30.\nPour reprendre RDV: ${LINK}`);
    expect(renderSms(factsFor({ event: 'waitlist_offer', offeredStartsAt: new Date('2026-12-01T08:00:00Z') }))).toBe(
      `Place libérée: RDV PMI mar. 1/12 à 9h au lieu du jeu. 3/12 à 14h30.\nPour la prendre: ${LINK}`,
    );
    expect(renderSms(factsFor({ event: 'waitlist_offer' }))).toBe(`Une place s'est libérée avant votre RDV PMI du jeu. 3/12 à 14h30.\nPour la prendre: ${LINK}`);
  });

  it('names the children the appointment is for', () => {
    expect(renderSms(factsFor({ beneficiaryFirstNames: ['Léa'] }))).toContain('Rappel: RDV PMI jeu. 3/12 à 14h30 pour Léa\n');
    expect(renderSms(factsFor({ beneficiaryFirstNames: ['Léa', 'Noé', 'Anaïs'], event: 'appointment_cancelled' }))).toContain('du jeu. 3/12 à 14h30 pour Léa, Noé et Anais annulé.');
  });

  it('shortens in a fixed order: the address first, then the place name cut with a dot, then the weekday; never the link', () => {
    const longAddress = factsFor({ place: { name: 'Maison départementale des solidarités de Melun', address: '20 quai Hippolyte Rossignol, 77000 Melun' } });
    expect(renderSms(longAddress)).toBe(`Rappel: RDV PMI jeu. 3/12 à 14h30\nMaison départementale des solidarités de Melun\nInfos et annulation: ${LINK}`);

    const longName = factsFor({
      serviceShortName: 'Service social',
      place: { name: 'Circonscription d’action sociale de Saint-Laurent-du-Maroni', address: '1 rue du Général-de-Gaulle, 97320 Saint-Laurent-du-Maroni' },
    });
    const cut = renderSms(longName);
    expect(cut).toBe(`Rappel: RDV Service social jeu. 3/12 à 14h30\nCirconscription d'action sociale de Saint-Lau.\nInfos et annulation: ${LINK}`);
    expect(countSegments(cut)).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });

    const longLink = `https://rendez-vous.departement-de-seine-et-marne.fr/rdv/lien/${'A'.repeat(43)}`;
    const crowded = renderSms(factsFor({ ...longName, link: longLink, beneficiaryFirstNames: ['Léa', 'Noé'] }));
    expect(crowded.endsWith(longLink)).toBe(true);
    expect(crowded).not.toContain('jeu.');
    expect(countSegments(crowded).segments).toBe(1);
  });

  it('never says the motif, whatever the facts (the text does not depend on it)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENTS),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        (event, motif, name, addressText) => {
          const facts = factsFor({ event, place: { name, address: addressText } });
          expect(renderSms({ ...facts, motifName: motif })).toBe(renderSms({ ...facts, motifName: MOTIF }));
        },
      ),
    );
  });

  it('is GSM-7 for any text it is given, and idempotent under toGsm7', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENTS), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), (event, name, service) => {
        const text = renderSms(factsFor({ event, serviceShortName: service, place: { name, address: name }, beneficiaryFirstNames: [service] }));
        expect(isGsm7(text)).toBe(true);
        expect(toGsm7(text)).toBe(text);
        expect(text).toContain(LINK);
      }),
    );
  });

  it(`fits ≥ 95 % of ${String(CORPUS_SIZE)} realistic reminders in one segment, with the whole link and never the motif`, () => {
    const corpus = corpusOf('reminder');
    const texts = corpus.map(renderSms);
    const oneSegment = texts.filter((text) => countSegments(text).segments === 1).length;
    expect(oneSegment / texts.length).toBeGreaterThanOrEqual(0.95);
    texts.forEach((text, index) => {
      const facts = corpus[index];
      expect(facts).toBeDefined();
      if (facts === undefined) return;
      expect(isGsm7(text)).toBe(true);
      expect(folded(text)).not.toContain(folded(facts.motifName));
      expect(text.endsWith(`\nInfos et annulation: ${facts.link ?? ''}`) || text.endsWith(`\nInfos: ${facts.link ?? ''}`) || text.endsWith(`\n${facts.link ?? ''}`)).toBe(true);
    });
  });

  it.each(EVENTS.filter((event) => event !== 'reminder'))('keeps %s to one segment for realistic data, two at most', (event) => {
    const corpus = corpusOf(event);
    const segments = corpus.map((facts) => countSegments(renderSms(facts)).segments);
    expect(Math.max(...segments)).toBeLessThanOrEqual(2);
    expect(segments.filter((count) => count === 1).length / segments.length).toBeGreaterThanOrEqual(0.95);
    corpus.forEach((facts) => {
      expect(folded(renderSms(facts))).not.toContain(folded(facts.motifName));
    });
  });
});

/**
 * The demo territory: Seine-et-Marne (77) with three maisons départementales des solidarités and
 * one organisation in La Réunion (974, Indian/Reunion). Every person is synthetic. Dates are
 * relative to `now`, so a fresh start always shows past and upcoming appointments.
 */
import { hash } from '@node-rs/argon2';
import type { Kysely, Transaction } from 'kysely';
import type { Database, LocationType, BookableBy } from '../platform/db/schema.js';
import {
  addDays,
  dateToEpochMinutes,
  dayNumberToIsoDate,
  epochMinutesToDate,
  localDayOf,
  localToEpochMinutes,
  weekdayOf,
} from '../shared/time/index.js';

/** Password of every demo account (documented in the README; demo data only). */
export const DEMO_PASSWORD = 'Creneau-demo-2026';

export const DEMO_AGENT_EMAILS = {
  territoryAdmin77: 'admin.77@demo.creneau.fr',
  melunAdmin: 'secretariat.melun@demo.creneau.fr',
  melunBasic: 'as.melun@demo.creneau.fr',
  meauxBasic: 'puericultrice.meaux@demo.creneau.fr',
  reunionAdmin: 'admin.974@demo.creneau.fr',
  /** The platform's super admin (no organisation): enrols a TOTP second factor at first sign-in (ADR 0032). */
  superAdmin: 'superadmin@demo.creneau.fr',
} as const;

export const DEMO_USER_EMAIL = 'camille.durand@demo.creneau.fr';

interface MotifSpec {
  key: string;
  service: 'PMI' | 'SOCIAL' | 'RSA';
  name: string;
  durationMinutes: number;
  locationType: LocationType;
  bookableBy: BookableBy;
  isCollective?: boolean;
  isFollowUpOnly?: boolean;
  category?: string;
  restriction?: string;
  instruction?: string;
}

const MOTIFS: MotifSpec[] = [
  {
    key: 'puericulture',
    service: 'PMI',
    name: 'Consultation de puériculture',
    durationMinutes: 30,
    locationType: 'public_office',
    bookableBy: 'everyone',
    instruction: 'Pensez à apporter le carnet de santé de l’enfant.',
  },
  {
    key: 'prenatal',
    service: 'PMI',
    name: 'Consultation prénatale avec une sage-femme',
    durationMinutes: 45,
    locationType: 'public_office',
    bookableBy: 'everyone',
    restriction: 'Ce rendez-vous est réservé aux personnes enceintes résidant dans le secteur de la maison des solidarités.',
  },
  {
    key: 'massage',
    service: 'PMI',
    name: 'Atelier massage bébé',
    durationMinutes: 90,
    locationType: 'public_office',
    bookableBy: 'everyone',
    isCollective: true,
  },
  {
    key: 'premier-rdv-as',
    service: 'SOCIAL',
    name: 'Premier rendez-vous avec une assistante sociale',
    durationMinutes: 45,
    locationType: 'public_office',
    bookableBy: 'everyone',
    instruction: 'Munissez-vous d’une pièce d’identité et de vos derniers justificatifs de ressources.',
  },
  {
    key: 'telephone-as',
    service: 'SOCIAL',
    name: 'Entretien téléphonique avec une assistante sociale',
    durationMinutes: 30,
    locationType: 'phone',
    bookableBy: 'everyone',
  },
  {
    key: 'domicile-as',
    service: 'SOCIAL',
    name: 'Visite à domicile',
    durationMinutes: 60,
    locationType: 'home',
    bookableBy: 'agents',
  },
  {
    key: 'orientation-rsa',
    service: 'RSA',
    name: 'Rendez-vous d’orientation RSA',
    durationMinutes: 30,
    locationType: 'visio',
    bookableBy: 'agents_and_prescripteurs_and_invited_users',
    category: 'rsa_orientation',
  },
  {
    key: 'suivi-rsa',
    service: 'RSA',
    name: 'Suivi RSA avec votre référent',
    durationMinutes: 30,
    locationType: 'public_office',
    bookableBy: 'everyone',
    isFollowUpOnly: true,
    category: 'rsa_accompagnement',
  },
];

interface PlaceSpec {
  name: string;
  address: string;
  latitude: number;
  longitude: number;
}

interface AgentSpec {
  email: string | null;
  firstName: string;
  lastName: string;
  accessLevel: 'admin' | 'basic' | 'intervenant';
  service: 'PMI' | 'SOCIAL' | 'RSA' | 'SECRETARIAT';
}

interface OrganisationSpec {
  name: string;
  slug: string;
  externalId: string;
  timeZone: string;
  phoneNumber: string;
  places: PlaceSpec[];
  agents: AgentSpec[];
  motifKeys: string[];
  sector: { humanId: string; name: string; cities: { code: string; name: string }[] };
}

interface TerritorySpec {
  departementNumber: string;
  name: string;
  organisations: OrganisationSpec[];
}

const ALL_77_MOTIFS = MOTIFS.map((motif) => motif.key);

const TERRITORIES: TerritorySpec[] = [
  {
    departementNumber: '77',
    name: 'Seine-et-Marne',
    organisations: [
      {
        name: 'Maison départementale des solidarités de Melun',
        slug: 'mds-melun',
        externalId: 'MDS-MELUN',
        timeZone: 'Europe/Paris',
        phoneNumber: '01 64 00 00 01',
        places: [
          { name: 'MDS de Melun', address: '20 quai Hippolyte Rossignol, 77000 Melun', latitude: 48.5394, longitude: 2.6556 },
          { name: 'Antenne de Dammarie-lès-Lys', address: '9 avenue du Général de Gaulle, 77190 Dammarie-lès-Lys', latitude: 48.5161, longitude: 2.6403 },
        ],
        agents: [
          { email: DEMO_AGENT_EMAILS.melunAdmin, firstName: 'Sophie', lastName: 'Lambert', accessLevel: 'admin', service: 'SECRETARIAT' },
          { email: DEMO_AGENT_EMAILS.melunBasic, firstName: 'Nadia', lastName: 'Benali', accessLevel: 'basic', service: 'SOCIAL' },
          { email: 'pmi.melun@demo.creneau.fr', firstName: 'Claire', lastName: 'Moreau', accessLevel: 'basic', service: 'PMI' },
          { email: null, firstName: 'Julien', lastName: 'Petit', accessLevel: 'intervenant', service: 'RSA' },
        ],
        motifKeys: ALL_77_MOTIFS,
        sector: {
          humanId: 'melun',
          name: 'Secteur de Melun',
          cities: [
            { code: '77288', name: 'Melun' },
            { code: '77152', name: 'Dammarie-lès-Lys' },
          ],
        },
      },
      {
        name: 'Maison départementale des solidarités de Meaux',
        slug: 'mds-meaux',
        externalId: 'MDS-MEAUX',
        timeZone: 'Europe/Paris',
        phoneNumber: '01 64 00 00 02',
        places: [
          { name: 'MDS de Meaux', address: '8 rue de la Cordonnerie, 77100 Meaux', latitude: 48.9606, longitude: 2.8786 },
        ],
        agents: [
          { email: 'admin.meaux@demo.creneau.fr', firstName: 'Thomas', lastName: 'Girard', accessLevel: 'admin', service: 'SOCIAL' },
          { email: DEMO_AGENT_EMAILS.meauxBasic, firstName: 'Aïcha', lastName: 'Diallo', accessLevel: 'basic', service: 'PMI' },
          { email: null, firstName: 'Marc', lastName: 'Fontaine', accessLevel: 'intervenant', service: 'RSA' },
        ],
        motifKeys: ALL_77_MOTIFS,
        sector: { humanId: 'meaux', name: 'Secteur de Meaux', cities: [{ code: '77284', name: 'Meaux' }] },
      },
      {
        name: 'Maison départementale des solidarités de Fontainebleau',
        slug: 'mds-fontainebleau',
        externalId: 'MDS-FONTAINEBLEAU',
        timeZone: 'Europe/Paris',
        phoneNumber: '01 64 00 00 03',
        places: [
          { name: 'MDS de Fontainebleau', address: '14 rue de la Paroisse, 77300 Fontainebleau', latitude: 48.4049, longitude: 2.7008 },
        ],
        agents: [
          { email: 'admin.fontainebleau@demo.creneau.fr', firstName: 'Hélène', lastName: 'Rousseau', accessLevel: 'admin', service: 'SOCIAL' },
          { email: 'pmi.fontainebleau@demo.creneau.fr', firstName: 'Léa', lastName: 'Marchand', accessLevel: 'basic', service: 'PMI' },
        ],
        motifKeys: ['puericulture', 'prenatal', 'premier-rdv-as', 'telephone-as'],
        sector: {
          humanId: 'fontainebleau',
          name: 'Secteur de Fontainebleau',
          cities: [
            { code: '77186', name: 'Fontainebleau' },
            { code: '77014', name: 'Avon' },
          ],
        },
      },
    ],
  },
  {
    departementNumber: '974',
    name: 'La Réunion',
    organisations: [
      {
        name: 'Pôle solidarités de Saint-Denis',
        slug: 'solidarites-saint-denis-974',
        externalId: 'PS-SAINT-DENIS',
        timeZone: 'Indian/Reunion',
        phoneNumber: '02 62 00 00 01',
        places: [
          { name: 'Pôle solidarités de Saint-Denis', address: '2 rue de la Source, 97400 Saint-Denis', latitude: -20.8789, longitude: 55.4481 },
        ],
        agents: [
          { email: DEMO_AGENT_EMAILS.reunionAdmin, firstName: 'Marie-Josée', lastName: 'Payet', accessLevel: 'admin', service: 'SOCIAL' },
          { email: 'pmi.974@demo.creneau.fr', firstName: 'Jean-Luc', lastName: 'Hoarau', accessLevel: 'basic', service: 'PMI' },
        ],
        motifKeys: ['puericulture', 'premier-rdv-as', 'telephone-as'],
        sector: { humanId: 'saint-denis', name: 'Secteur de Saint-Denis', cities: [{ code: '97411', name: 'Saint-Denis' }] },
      },
    ],
  },
];

const SERVICES = [
  { key: 'PMI', name: 'Protection maternelle et infantile', shortName: 'PMI', isSecretariat: false },
  { key: 'SOCIAL', name: 'Service social', shortName: 'Service social', isSecretariat: false },
  { key: 'RSA', name: 'Insertion et RSA', shortName: 'RSA', isSecretariat: false },
  { key: 'SECRETARIAT', name: 'Secrétariat', shortName: 'Secrétariat', isSecretariat: true },
] as const;

const USERS = [
  { firstName: 'Camille', lastName: 'Durand', birthDate: '1991-04-12', phone: '+33612345601', email: DEMO_USER_EMAIL },
  { firstName: 'Karim', lastName: 'Haddad', birthDate: '1985-09-03', phone: '+33612345602', email: 'karim.haddad@demo.creneau.fr' },
  { firstName: 'Élodie', lastName: 'Lefèvre', birthDate: '1996-01-25', phone: '+33612345603', email: null },
  { firstName: 'Moussa', lastName: 'Traoré', birthDate: '1979-11-30', phone: '+33612345604', email: 'moussa.traore@demo.creneau.fr' },
  { firstName: 'Jeanne', lastName: 'N’Guyen', birthDate: '2001-06-18', phone: '+33612345605', email: null },
  { firstName: 'Patrick', lastName: 'Lebon', birthDate: '1968-02-14', phone: '+262692123401', email: 'patrick.lebon@demo.creneau.fr' },
];

/** Deterministic pseudo-random numbers so that two seeds of the same day look the same. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function toRange(startsAt: number, endsAt: number): string {
  return `[${epochMinutesToDate(startsAt).toISOString()},${epochMinutesToDate(endsAt).toISOString()})`;
}

/** True when the demo territory is already there (the seed is idempotent). */
export async function isDemoSeeded(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('territories').select('id').where('departement_number', '=', '77').executeTakeFirst();
  return row !== undefined;
}

/** Inserts the demo territory in one transaction; does nothing if it is already there. */
export async function seedDemoTerritory(db: Kysely<Database>, now: Date): Promise<boolean> {
  if (await isDemoSeeded(db)) return false;
  const passwordHash = await hash(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    if (await isDemoSeeded(trx)) return;
    await insertEverything(trx, now, passwordHash);
  });
  return true;
}

async function insertEverything(trx: Transaction<Database>, now: Date, passwordHash: string): Promise<void> {
  const random = mulberry32(77);
  const serviceIds = new Map<string, number>();
  for (const service of SERVICES) {
    const row = await trx
      .insertInto('services')
      .values({ name: service.name, short_name: service.shortName, is_secretariat: service.isSecretariat })
      .onConflict((oc) => oc.column('name').doUpdateSet({ short_name: service.shortName }))
      .returning('id')
      .executeTakeFirstOrThrow();
    serviceIds.set(service.key, row.id);
  }
  const categoryIds = new Map<string, number>();
  for (const [shortName, name] of [
    ['rsa_orientation', 'RSA orientation'],
    ['rsa_accompagnement', 'RSA accompagnement'],
  ] as const) {
    const row = await trx
      .insertInto('motif_categories')
      .values({ name, short_name: shortName })
      .onConflict((oc) => oc.column('short_name').doUpdateSet({ name }))
      .returning('id')
      .executeTakeFirstOrThrow();
    categoryIds.set(shortName, row.id);
  }

  const userIds: number[] = [];
  for (const user of USERS) {
    const row = await trx
      .insertInto('users')
      .values({
        first_name: user.firstName,
        last_name: user.lastName,
        birth_date: user.birthDate,
        email: user.email,
        phone_number: user.phone,
        phone_number_e164: user.phone,
        password_hash: user.email === DEMO_USER_EMAIL ? passwordHash : null,
        created_through: 'seed',
        confirmed_at: user.email === DEMO_USER_EMAIL ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userIds.push(row.id);
  }
  // Camille books for her son too.
  const firstUserId = userIds[0] ?? 0;
  const child = await trx
    .insertInto('users')
    .values({ responsible_id: firstUserId, first_name: 'Noé', last_name: 'Durand', birth_date: '2025-08-02', created_through: 'seed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  userIds.push(child.id);

  // The super admin of the back office: no organisation, no TOTP secret yet (enrolment at first sign-in).
  await trx
    .insertInto('agents')
    .values({ email: DEMO_AGENT_EMAILS.superAdmin, first_name: 'Hélène', last_name: 'Garnier', password_hash: passwordHash, is_super_admin: true, invitation_accepted_at: now })
    .execute();

  for (const territorySpec of TERRITORIES) {
    const territory = await trx
      .insertInto('territories')
      .values({ departement_number: territorySpec.departementNumber, name: territorySpec.name })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const key of ['PMI', 'SOCIAL', 'RSA', 'SECRETARIAT']) {
      await trx.insertInto('territory_services').values({ territory_id: territory.id, service_id: serviceIds.get(key) ?? 0 }).execute();
    }
    // The categories this territory's motifs use are enabled in it (ADR 0030): the motif form offers them.
    const motifKeys = new Set(territorySpec.organisations.flatMap((organisation) => organisation.motifKeys));
    const usedCategories = new Set(MOTIFS.flatMap((motif) => (motif.category !== undefined && motifKeys.has(motif.key) ? [motif.category] : [])));
    for (const shortName of usedCategories) {
      await trx.insertInto('territory_motif_categories').values({ territory_id: territory.id, motif_category_id: categoryIds.get(shortName) ?? 0 }).execute();
    }
    const team = await trx
      .insertInto('teams')
      .values({ territory_id: territory.id, name: `Équipe PMI ${territorySpec.name}` })
      .returning('id')
      .executeTakeFirstOrThrow();

    for (const orgSpec of territorySpec.organisations) {
      const organisation = await trx
        .insertInto('organisations')
        .values({
          territory_id: territory.id,
          name: orgSpec.name,
          slug: orgSpec.slug,
          external_id: orgSpec.externalId,
          time_zone: orgSpec.timeZone,
          phone_number: orgSpec.phoneNumber,
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      const placeIds: number[] = [];
      for (const placeSpec of orgSpec.places) {
        const place = await trx
          .insertInto('places')
          .values({
            organisation_id: organisation.id,
            name: placeSpec.name,
            address: placeSpec.address,
            latitude: placeSpec.latitude,
            longitude: placeSpec.longitude,
            time_zone: orgSpec.timeZone,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        placeIds.push(place.id);
      }

      const motifIds = new Map<string, { id: number; spec: MotifSpec }>();
      for (const motif of MOTIFS.filter((m) => orgSpec.motifKeys.includes(m.key))) {
        const row = await trx
          .insertInto('appointment_types')
          .values({
            organisation_id: organisation.id,
            service_id: serviceIds.get(motif.service) ?? 0,
            motif_category_id: motif.category === undefined ? null : (categoryIds.get(motif.category) ?? null),
            name: motif.name,
            duration_minutes: motif.durationMinutes,
            location_type: motif.locationType,
            bookable_by: motif.bookableBy,
            is_collective: motif.isCollective ?? false,
            is_follow_up_only: motif.isFollowUpOnly ?? false,
            restriction_for_booking: motif.restriction ?? null,
            instruction_for_booking: motif.instruction ?? null,
            sectorisation_level: motif.service === 'RSA' ? 'organisation' : 'departement',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        motifIds.set(motif.key, { id: row.id, spec: motif });
      }

      const sector = await trx
        .insertInto('sectors')
        .values({ territory_id: territory.id, name: orgSpec.sector.name, human_id: orgSpec.sector.humanId })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const city of orgSpec.sector.cities) {
        await trx.insertInto('zones').values({ sector_id: sector.id, level: 'city', city_code: city.code, city_name: city.name }).execute();
      }
      await trx.insertInto('sector_attributions').values({ sector_id: sector.id, organisation_id: organisation.id, level: 'organisation' }).execute();

      for (const userId of userIds) {
        await trx.insertInto('user_profiles').values({ user_id: userId, organisation_id: organisation.id }).onConflict((oc) => oc.doNothing()).execute();
      }

      const today = localDayOf(orgSpec.timeZone, dateToEpochMinutes(now));
      const firstDay = addDays(today, -63);
      let agentIndex = 0;
      for (const agentSpec of orgSpec.agents) {
        agentIndex += 1;
        const agent = await trx
          .insertInto('agents')
          .values({
            email: agentSpec.email,
            first_name: agentSpec.firstName,
            last_name: agentSpec.lastName,
            password_hash: agentSpec.email === null ? null : passwordHash,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('agent_roles').values({ agent_id: agent.id, organisation_id: organisation.id, access_level: agentSpec.accessLevel }).execute();
        await trx.insertInto('agent_services').values({ agent_id: agent.id, service_id: serviceIds.get(agentSpec.service) ?? 0 }).execute();
        if (agentSpec.service === 'PMI') await trx.insertInto('agent_teams').values({ agent_id: agent.id, team_id: team.id }).execute();
        if (agentSpec.email === DEMO_AGENT_EMAILS.melunAdmin || agentSpec.email === DEMO_AGENT_EMAILS.reunionAdmin) {
          await trx.insertInto('agent_territorial_roles').values({ agent_id: agent.id, territory_id: territory.id }).execute();
        }
        if (agentSpec.service === 'SECRETARIAT') continue;

        const serviceMotifs = [...motifIds.values()].filter((m) => m.spec.service === agentSpec.service);
        const officeMotifs = serviceMotifs.filter((m) => m.spec.locationType === 'public_office' && m.spec.isCollective !== true);
        const remoteMotifs = serviceMotifs.filter((m) => m.spec.locationType !== 'public_office');
        const placeId = placeIds[(agentIndex - 1) % placeIds.length] ?? placeIds[0] ?? null;

        // Weekly mornings at the office, on four days (one agent also on Saturday mornings monthly).
        const morning = await trx
          .insertInto('opening_periods')
          .values({
            organisation_id: organisation.id,
            agent_id: agent.id,
            place_id: placeId,
            title: 'Permanence du matin',
            first_day: dayNumberToIsoDate(firstDay),
            last_day: null,
            start_time: '09:00',
            end_time: '12:00',
            recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,TH,FR',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const motif of officeMotifs) {
          await trx.insertInto('opening_period_appointment_types').values({ opening_period_id: morning.id, appointment_type_id: motif.id }).execute();
        }
        if (remoteMotifs.length > 0) {
          // Every other Wednesday afternoon for calls, video and home visits.
          const afternoon = await trx
            .insertInto('opening_periods')
            .values({
              organisation_id: organisation.id,
              agent_id: agent.id,
              place_id: null,
              title: 'Entretiens à distance',
              first_day: dayNumberToIsoDate(firstDay),
              last_day: null,
              start_time: '14:00',
              end_time: '17:00',
              recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE',
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          for (const motif of remoteMotifs) {
            await trx.insertInto('opening_period_appointment_types').values({ opening_period_id: afternoon.id, appointment_type_id: motif.id }).execute();
          }
        }
        if (agentSpec.service === 'PMI' && agentIndex % 2 === 1) {
          const saturday = await trx
            .insertInto('opening_periods')
            .values({
              organisation_id: organisation.id,
              agent_id: agent.id,
              place_id: placeId,
              title: 'Premier samedi du mois',
              first_day: dayNumberToIsoDate(firstDay),
              last_day: null,
              start_time: '09:00',
              end_time: '12:00',
              recurrence: 'FREQ=MONTHLY;BYDAY=1SA',
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          for (const motif of officeMotifs) {
            await trx.insertInto('opening_period_appointment_types').values({ opening_period_id: saturday.id, appointment_type_id: motif.id }).execute();
          }
        }

        // Absences: a recurring Friday-afternoon team meeting, and a week of leave in three weeks.
        await trx
          .insertInto('absences')
          .values({
            agent_id: agent.id,
            organisation_id: organisation.id,
            title: 'Réunion d’équipe',
            first_day: dayNumberToIsoDate(firstDay),
            start_time: '14:00',
            end_day: dayNumberToIsoDate(firstDay),
            end_time: '16:00',
            last_day: null,
            time_zone: orgSpec.timeZone,
            recurrence: 'FREQ=WEEKLY;BYDAY=FR',
          })
          .execute();
        if (agentIndex === 2) {
          const leaveStart = addDays(today, 21 - weekdayOf(today));
          await trx
            .insertInto('absences')
            .values({
              agent_id: agent.id,
              organisation_id: organisation.id,
              title: 'Congés',
              first_day: dayNumberToIsoDate(leaveStart),
              start_time: '00:00',
              end_day: dayNumberToIsoDate(addDays(leaveStart, 5)),
              end_time: '00:00',
              last_day: dayNumberToIsoDate(addDays(leaveStart, 5)),
              time_zone: orgSpec.timeZone,
              recurrence: null,
            })
            .execute();
        }

        // Appointments on the morning grid (09:00, 10:00, 11:00 never overlap: durations ≤ 60 min),
        // from nine weeks ago to three weeks ahead.
        for (let day = firstDay; day <= addDays(today, 21); day += 1) {
          const weekday = weekdayOf(day);
          if (![0, 1, 3, 4].includes(weekday)) continue;
          for (const hour of [9, 10, 11]) {
            const motif = officeMotifs[Math.floor(random() * officeMotifs.length)];
            if (motif === undefined || random() > 0.35) continue;
            const startsAt = localToEpochMinutes(orgSpec.timeZone, day, hour * 60);
            const endsAt = startsAt + motif.spec.durationMinutes;
            const isPast = endsAt <= dateToEpochMinutes(now);
            const roll = random();
            // The last two days' appointments are still « à renseigner », as in a real agenda.
            const recentlyPast = isPast && endsAt > dateToEpochMinutes(now) - 2 * 24 * 60;
            const pastStatus = roll < 0.8 ? (recentlyPast ? 'unknown' : 'seen') : roll < 0.9 ? 'noshow' : 'excused';
            const status = isPast ? pastStatus : roll < 0.93 ? 'unknown' : 'excused';
            const userId = userIds[Math.floor(random() * userIds.length)] ?? firstUserId;
            const appointment = await trx
              .insertInto('appointments')
              .values({
                organisation_id: organisation.id,
                appointment_type_id: motif.id,
                place_id: placeId,
                during: toRange(startsAt, endsAt),
                time_zone: orgSpec.timeZone,
                status,
                created_by_type: roll < 0.5 ? 'user' : 'agent',
                created_by_agent_id: roll < 0.5 ? null : agent.id,
                created_by_user_id: roll < 0.5 ? userId : null,
                cancelled_at: status === 'excused' ? epochMinutesToDate(startsAt - 24 * 60) : null,
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            await trx.insertInto('appointment_agents').values({ appointment_id: appointment.id, agent_id: agent.id }).execute();
            await trx
              .insertInto('participations')
              .values({ appointment_id: appointment.id, user_id: userId, status, created_by_type: roll < 0.5 ? 'user' : 'agent' })
              .execute();
          }
        }

        if (agentSpec.service === 'RSA') {
          for (const userId of userIds.slice(0, 3)) {
            await trx.insertInto('referent_assignations').values({ user_id: userId, agent_id: agent.id }).execute();
          }
        }

        // A collective workshop next week with seats left.
        const collective = motifIds.get('massage');
        if (agentSpec.service === 'PMI' && collective !== undefined) {
          const day = addDays(today, 7 - weekdayOf(today) + 2); // Wednesday of next week
          const startsAt = localToEpochMinutes(orgSpec.timeZone, day, 9 * 60 + 30);
          const workshop = await trx
            .insertInto('appointments')
            .values({
              organisation_id: organisation.id,
              appointment_type_id: collective.id,
              place_id: placeId,
              during: toRange(startsAt, startsAt + collective.spec.durationMinutes),
              time_zone: orgSpec.timeZone,
              is_collective: true,
              max_participants: 8,
              name: 'Atelier massage bébé',
              created_by_type: 'agent',
              created_by_agent_id: agent.id,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.insertInto('appointment_agents').values({ appointment_id: workshop.id, agent_id: agent.id }).execute();
          for (const userId of userIds.slice(1, 4)) {
            await trx.insertInto('participations').values({ appointment_id: workshop.id, user_id: userId, created_by_type: 'agent' }).execute();
          }
        }
      }
    }
  }
  await insertDuplicateUsager(trx, now, userIds[2] ?? firstUserId);
}

/**
 * A duplicate for the merge pages (ADR 0021): Élodie Lefèvre typed again in a hurry at the Melun
 * front desk (no accents, capitals, another phone), with one past appointment there. Inserted
 * after everything else, so that the rest of the demo (its pseudo-random draws) stays the same.
 */
async function insertDuplicateUsager(trx: Transaction<Database>, now: Date, originalId: number): Promise<void> {
  const original = await trx.selectFrom('users').select(['birth_date']).where('id', '=', originalId).executeTakeFirstOrThrow();
  const melun = await trx.selectFrom('organisations').select(['id', 'time_zone']).where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
  const nadia = await trx.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow();
  const motif = await trx
    .selectFrom('appointment_types as t')
    .innerJoin('services as s', 's.id', 't.service_id')
    .select(['t.id', 't.duration_minutes'])
    .where('t.organisation_id', '=', melun.id)
    .where('s.short_name', '=', 'Service social')
    .where('t.location_type', '=', 'public_office')
    .where('t.is_collective', '=', false)
    .orderBy('t.id')
    .executeTakeFirstOrThrow();
  const place = await trx.selectFrom('places').select('id').where('organisation_id', '=', melun.id).orderBy('id').executeTakeFirstOrThrow();
  const duplicate = await trx
    .insertInto('users')
    .values({
      first_name: 'Elodie',
      last_name: 'LEFEVRE',
      birth_date: original.birth_date,
      phone_number: '06 12 34 56 93',
      phone_number_e164: '+33612345693',
      address: '4 rue de la Rochette, 77000 Melun',
      created_through: 'agent',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('user_profiles').values({ user_id: duplicate.id, organisation_id: melun.id, notes: 'Venue sans rendez-vous, dossier à compléter.' }).execute();
  // Last week's Wednesday at 15:00 (no other appointment of Nadia's at that hour): honoured.
  const today = localDayOf(melun.time_zone, dateToEpochMinutes(now));
  const startsAt = localToEpochMinutes(melun.time_zone, addDays(today, 2 - weekdayOf(today) - 7), 15 * 60);
  const appointment = await trx
    .insertInto('appointments')
    .values({
      organisation_id: melun.id,
      appointment_type_id: motif.id,
      place_id: place.id,
      during: toRange(startsAt, startsAt + motif.duration_minutes),
      time_zone: melun.time_zone,
      status: 'seen',
      created_by_type: 'agent',
      created_by_agent_id: nadia.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('appointment_agents').values({ appointment_id: appointment.id, agent_id: nadia.id }).execute();
  await trx.insertInto('participations').values({ appointment_id: appointment.id, user_id: duplicate.id, status: 'seen', created_by_type: 'agent', created_by_agent_id: nadia.id }).execute();
}

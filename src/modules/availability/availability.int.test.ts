import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { epochMinutesToDate, formatLocalDateTime } from '../../shared/time/index.js';
import { findNextAvailabilities, searchCollectiveSlots, searchCollectiveSlotsOfTypes, searchJointSlots, searchSlots } from './index.js';

// Tuesday 24 November 2026, 10:00 in Paris.
const NOW = new Date('2026-11-24T09:00:00Z');
const DAY_MS = 86_400_000;

describe('availability use cases on the demo territory', () => {
  let database: TestDatabase;
  const typeIds = new Map<string, number>();
  const placeIds = new Map<string, number>();

  async function typeId(slug: string, name: string): Promise<number> {
    const key = `${slug}|${name}`;
    const cached = typeIds.get(key);
    if (cached !== undefined) return cached;
    const row = await database.db
      .selectFrom('appointment_types as t')
      .innerJoin('organisations as o', 'o.id', 't.organisation_id')
      .select('t.id')
      .where('o.slug', '=', slug)
      .where('t.name', '=', name)
      .executeTakeFirstOrThrow();
    typeIds.set(key, row.id);
    return row.id;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    const places = await database.db.selectFrom('places').select(['id', 'name']).execute();
    for (const place of places) placeIds.set(place.name, place.id);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('finds a week of public slots at one place, in opening hours, never over an active appointment', async () => {
    const id = await typeId('mds-melun', 'Consultation de puériculture');
    const from = new Date(NOW.getTime() + 7 * DAY_MS);
    const slots = await searchSlots(database.db, { appointmentTypeId: id, audience: 'public', from, to: new Date(from.getTime() + 7 * DAY_MS), now: NOW });
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      const local = formatLocalDateTime(slot.timeZone, slot.startsAtEpochMinutes).slice(11);
      expect(local >= '09:00' && local < '12:00').toBe(true);
    }
    const busy = await database.db
      .selectFrom('appointment_agents')
      .select(['agent_id', 'during'])
      .where('is_active', '=', true)
      .where('agent_id', 'in', [...new Set(slots.flatMap((slot) => slot.agentIds))])
      .execute();
    const ranges = busy.map((row) => {
      const [start = '', end = ''] = row.during.slice(1, -1).split(',');
      return { agentId: row.agent_id, start: Date.parse(start.replaceAll('"', '')), end: Date.parse(end.replaceAll('"', '')) };
    });
    for (const slot of slots) {
      const start = epochMinutesToDate(slot.startsAtEpochMinutes).getTime();
      const end = epochMinutesToDate(slot.endsAtEpochMinutes).getTime();
      const clash = ranges.find((range) => slot.agentIds.includes(range.agentId) && range.start < end && start < range.end);
      expect(clash).toBeUndefined();
    }
    // one slot per start time and place on the public side
    const keys = slots.map((slot) => `${String(slot.placeId)}|${String(slot.startsAtEpochMinutes)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('respects the minimum booking notice on the public side only', async () => {
    const id = await typeId('mds-melun', 'Consultation de puériculture');
    const to = new Date(NOW.getTime() + DAY_MS);
    const publicSlots = await searchSlots(database.db, { appointmentTypeId: id, audience: 'public', from: NOW, to, now: NOW });
    for (const slot of publicSlots) expect(slot.startsAtEpochMinutes * 60_000).toBeGreaterThanOrEqual(NOW.getTime() + 30 * 60_000);
    const agentSlots = await searchSlots(database.db, { appointmentTypeId: id, audience: 'agent', from: NOW, to, now: NOW });
    expect(agentSlots.length).toBeGreaterThanOrEqual(publicSlots.length);
  });

  it('gives the next availability of a motif for every place of the département that offers it', async () => {
    const id = await typeId('mds-melun', 'Consultation de puériculture');
    const next = await findNextAvailabilities(database.db, { appointmentTypeId: id, audience: 'public', now: NOW });
    const expectedPlaces = ['MDS de Melun', 'Antenne de Dammarie-lès-Lys', 'MDS de Meaux', 'MDS de Fontainebleau']
      .map((name) => placeIds.get(name))
      .filter((placeId) => placeId !== undefined);
    const found = [...next.keys()];
    expect(found.every((key) => expectedPlaces.includes(key))).toBe(true);
    expect(found.length).toBeGreaterThanOrEqual(3);
    // never La Réunion: another territory
    expect(found).not.toContain(placeIds.get('Pôle solidarités de Saint-Denis'));
    // each is the earliest slot of its place: nothing earlier in a search up to it
    for (const [placeId, slot] of next) {
      const type = await database.db
        .selectFrom('appointment_types as t')
        .innerJoin('places as p', 'p.organisation_id', 't.organisation_id')
        .select('t.id')
        .where('p.id', '=', placeId)
        .where('t.name', '=', 'Consultation de puériculture')
        .executeTakeFirstOrThrow();
      const before = await searchSlots(database.db, {
        appointmentTypeId: type.id,
        audience: 'public',
        from: NOW,
        to: epochMinutesToDate(slot.startsAtEpochMinutes + 1),
        now: NOW,
        filters: { placeIds: [placeId] },
      });
      expect(before[0]?.startsAtEpochMinutes).toBe(slot.startsAtEpochMinutes);
    }
  });

  it('shows slots in La Réunion in Indian/Reunion wall-clock time', async () => {
    const id = await typeId('solidarites-saint-denis-974', 'Consultation de puériculture');
    const from = new Date(NOW.getTime() + 7 * DAY_MS);
    const slots = await searchSlots(database.db, { appointmentTypeId: id, audience: 'public', from, to: new Date(from.getTime() + 7 * DAY_MS), now: NOW });
    expect(slots.length).toBeGreaterThan(0);
    expect(slots[0]?.timeZone).toBe('Indian/Reunion');
    const local = formatLocalDateTime('Indian/Reunion', slots[0]?.startsAtEpochMinutes ?? 0).slice(11);
    expect(local >= '09:00' && local < '12:00').toBe(true);
  });

  it('offers follow-up slots only with the usager’s referents', async () => {
    const id = await typeId('mds-melun', 'Suivi RSA avec votre référent');
    const from = new Date(NOW.getTime() + 7 * DAY_MS);
    const to = new Date(from.getTime() + 7 * DAY_MS);
    const none = await searchSlots(database.db, { appointmentTypeId: id, audience: 'public', from, to, now: NOW, filters: { referentAgentIds: [] } });
    expect(none).toEqual([]);
    const referent = await database.db
      .selectFrom('agents')
      .select('id')
      .where('last_name', '=', 'Petit')
      .executeTakeFirstOrThrow();
    const withReferent = await searchSlots(database.db, { appointmentTypeId: id, audience: 'public', from, to, now: NOW, filters: { referentAgentIds: [referent.id] } });
    expect(withReferent.length).toBeGreaterThan(0);
    expect(withReferent.every((slot) => slot.agentIds.includes(referent.id))).toBe(true);
  });

  it('lists the collective workshop with its seats left', async () => {
    const id = await typeId('mds-melun', 'Atelier massage bébé');
    const sessions = await searchCollectiveSlots(database.db, { appointmentTypeId: id, audience: 'public', from: NOW, to: new Date(NOW.getTime() + 30 * DAY_MS), now: NOW });
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions[0]?.seatsLeft).toBe(5);
  });

  it('lists the sessions of several organisations’ versions of a motif in one search, the same as one search each', async () => {
    const ids = [await typeId('mds-melun', 'Atelier massage bébé'), await typeId('mds-meaux', 'Atelier massage bébé')];
    const request = { audience: 'public' as const, from: NOW, to: new Date(NOW.getTime() + 60 * DAY_MS), now: NOW };
    const together = await searchCollectiveSlotsOfTypes(database.db, { ...request, appointmentTypeIds: ids });
    const oneByOne = (await Promise.all(ids.map((appointmentTypeId) => searchCollectiveSlots(database.db, { ...request, appointmentTypeId })))).flat();
    expect(together.length).toBeGreaterThan(0);
    expect(new Set(together.map((session) => session.appointmentId))).toEqual(new Set(oneByOne.map((session) => session.appointmentId)));
    expect(together.map((session) => session.startsAtEpochMinutes)).toEqual([...together.map((session) => session.startsAtEpochMinutes)].sort((a, b) => a - b));
  });

  it('finds joint slots only where both agents are open and free', async () => {
    const id = await typeId('mds-melun', 'Consultation de puériculture');
    const placeId = placeIds.get('MDS de Melun') ?? 0;
    const [lead, partner] = await Promise.all(
      ['Moreau', 'Lambert'].map((lastName) => database.db.selectFrom('agents').select('id').where('last_name', '=', lastName).executeTakeFirstOrThrow()),
    );
    const organisation = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    // The secretary joins the PMI nurse on Tuesday mornings from 10:00.
    const period = await database.db
      .insertInto('opening_periods')
      .values({
        organisation_id: organisation.id,
        agent_id: partner!.id,
        place_id: placeId,
        title: 'Binôme',
        first_day: '2026-11-01',
        start_time: '10:00',
        end_time: '12:00',
        recurrence: 'FREQ=WEEKLY;BYDAY=TU',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('opening_period_appointment_types').values({ opening_period_id: period.id, appointment_type_id: id }).execute();
    const from = new Date(NOW.getTime() + 7 * DAY_MS);
    const to = new Date(from.getTime() + 28 * DAY_MS);
    const request = { appointmentTypeId: id, from, to, now: NOW };
    const joint = await searchJointSlots(database.db, { ...request, agentIds: [lead!.id, partner!.id] });
    expect(joint.length).toBeGreaterThan(0);
    const startsOf = async (agentId: number) =>
      new Set((await searchSlots(database.db, { ...request, audience: 'agent', filters: { agentIds: [agentId] } })).map((slot) => slot.startsAtEpochMinutes));
    const leadStarts = await startsOf(lead!.id);
    const partnerStarts = await startsOf(partner!.id);
    for (const slot of joint) {
      expect(leadStarts.has(slot.startsAtEpochMinutes) && partnerStarts.has(slot.startsAtEpochMinutes)).toBe(true);
      expect(formatLocalDateTime('Europe/Paris', slot.startsAtEpochMinutes).slice(11) >= '10:00').toBe(true);
    }
  });
});

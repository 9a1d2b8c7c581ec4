// Test data of the slot search (tests only): in Melun, two agents of different services who can
// be booked together — Alice Binôme (Service social) offers « Entretien en binôme » (60 min, two
// days' public notice) at the MDS de Melun on weekdays 9:00–12:00; Bruno Binôme (PMI) is at the
// same place on Tuesdays, Thursdays and Fridays 10:00–12:00 (for his own motif) and at the
// Dammarie antenna on Wednesdays 10:00–12:00. Both periods start on Monday 23 November 2026.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface JointFixture {
  readonly organisationId: number;
  readonly motifId: number;
  readonly alice: number;
  readonly bruno: number;
  readonly melunPlace: number;
  readonly dammariePlace: number;
}

/** Adds the two agents, the motif and their opening periods to the seeded demo territory. */
export async function addJointFixture(db: Kysely<Database>, options: { partnerOffersMotif?: boolean } = {}): Promise<JointFixture> {
  const organisation = await db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
  const service = async (shortName: string): Promise<number> => (await db.selectFrom('services').select('id').where('short_name', '=', shortName).executeTakeFirstOrThrow()).id;
  const place = async (name: string): Promise<number> => (await db.selectFrom('places').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const [social, pmi, melunPlace, dammariePlace] = await Promise.all([service('Service social'), service('PMI'), place('MDS de Melun'), place('Antenne de Dammarie-lès-Lys')]);
  const motif = await db
    .insertInto('appointment_types')
    .values({ organisation_id: organisation.id, service_id: social, name: 'Entretien en binôme', duration_minutes: 60, location_type: 'public_office', bookable_by: 'agents', min_booking_notice_minutes: 2 * 24 * 60 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agent = async (firstName: string, serviceId: number): Promise<number> => {
    const row = await db.insertInto('agents').values({ first_name: firstName, last_name: 'Binôme', email: null }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('agent_roles').values({ agent_id: row.id, organisation_id: organisation.id, access_level: 'intervenant' }).execute();
    await db.insertInto('agent_services').values({ agent_id: row.id, service_id: serviceId }).execute();
    return row.id;
  };
  const alice = await agent('Alice', social);
  const bruno = await agent('Bruno', pmi);
  const period = async (agentId: number, placeId: number, start: string, end: string, days: string, motifIds: readonly number[]): Promise<void> => {
    const row = await db
      .insertInto('opening_periods')
      .values({ organisation_id: organisation.id, agent_id: agentId, place_id: placeId, title: 'Permanence', first_day: '2026-11-23', last_day: null, start_time: start, end_time: end, recurrence: `FREQ=WEEKLY;BYDAY=${days}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const motifId of motifIds) await db.insertInto('opening_period_appointment_types').values({ opening_period_id: row.id, appointment_type_id: motifId }).execute();
  };
  const brunoMotif = (await db.selectFrom('appointment_types').select('id').where('organisation_id', '=', organisation.id).where('name', '=', 'Consultation de puériculture').executeTakeFirstOrThrow()).id;
  const brunoMotifs = options.partnerOffersMotif === true ? [brunoMotif, motif.id] : [brunoMotif];
  await period(alice, melunPlace, '09:00', '12:00', 'MO,TU,WE,TH,FR', [motif.id]);
  await period(bruno, melunPlace, '10:00', '12:00', 'TU,TH,FR', brunoMotifs);
  await period(bruno, dammariePlace, '10:00', '12:00', 'WE', brunoMotifs);
  return { organisationId: organisation.id, motifId: motif.id, alice, bruno, melunPlace, dammariePlace };
}

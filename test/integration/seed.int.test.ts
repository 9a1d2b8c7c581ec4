import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const NOW = new Date('2026-11-24T09:00:00Z');

describe('demo territory seed', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('creates Seine-et-Marne and La Réunion once, and does nothing the second time', async () => {
    expect(await seedDemoTerritory(database.db, NOW)).toBe(true);
    expect(await seedDemoTerritory(database.db, NOW)).toBe(false);
    const territories = await database.db.selectFrom('territories').select('departement_number').orderBy('departement_number').execute();
    expect(territories.map((t) => t.departement_number)).toEqual(['77', '974']);
    const reunion = await database.db.selectFrom('organisations').select('time_zone').where('slug', '=', 'solidarites-saint-denis-974').executeTakeFirstOrThrow();
    expect(reunion.time_zone).toBe('Indian/Reunion');
  });

  it('has appointment types of every location type and a collective one', async () => {
    const types = await database.db.selectFrom('appointment_types').select(['location_type', 'is_collective']).execute();
    expect(new Set(types.map((t) => t.location_type))).toEqual(new Set(['public_office', 'phone', 'home', 'visio']));
    expect(types.some((t) => t.is_collective)).toBe(true);
  });

  it('enables in each territory exactly the motif categories its motifs use (the motif form offers them)', async () => {
    const enabled = await database.db
      .selectFrom('territory_motif_categories as tc')
      .innerJoin('territories as t', 't.id', 'tc.territory_id')
      .innerJoin('motif_categories as c', 'c.id', 'tc.motif_category_id')
      .select(['t.departement_number', 'c.short_name'])
      .orderBy('t.departement_number')
      .orderBy('c.short_name')
      .execute();
    const used = await database.db
      .selectFrom('appointment_types as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .innerJoin('territories as t', 't.id', 'o.territory_id')
      .innerJoin('motif_categories as c', 'c.id', 'm.motif_category_id')
      .select(['t.departement_number', 'c.short_name'])
      .distinct()
      .orderBy('t.departement_number')
      .orderBy('c.short_name')
      .execute();
    expect(enabled).toEqual([
      { departement_number: '77', short_name: 'rsa_accompagnement' },
      { departement_number: '77', short_name: 'rsa_orientation' },
    ]);
    expect(enabled).toEqual(used);
  });

  it('has agents of each role, recurring opening periods, absences, past and future appointments', async () => {
    const roles = await database.db.selectFrom('agent_roles').select('access_level').distinct().execute();
    expect(new Set(roles.map((r) => r.access_level))).toEqual(new Set(['admin', 'basic', 'intervenant']));
    const recurrences = await database.db.selectFrom('opening_periods').select('recurrence').distinct().execute();
    expect(recurrences.map((r) => r.recurrence)).toEqual(expect.arrayContaining(['FREQ=WEEKLY;BYDAY=MO,TU,TH,FR', 'FREQ=MONTHLY;BYDAY=1SA']));
    const absences = await database.db.selectFrom('absences').select('id').execute();
    expect(absences.length).toBeGreaterThan(0);
    const past = await database.db.selectFrom('appointments').select('id').where(sql<boolean>`upper(during) <= ${NOW}`).execute();
    const future = await database.db.selectFrom('appointments').select('id').where(sql<boolean>`lower(during) > ${NOW}`).execute();
    expect(past.length).toBeGreaterThan(20);
    expect(future.length).toBeGreaterThan(5);
  });
});

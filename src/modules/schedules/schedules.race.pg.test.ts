import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackend, type TestDatabase } from '../../../test/support/database.js';

if (testBackend !== 'postgres') throw new Error('schedules.race.pg.test.ts needs PostgreSQL: set TEST_DATABASE_URL');
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { isoDateToDayNumber } from '../../shared/time/index.js';
import { loadAgentPrincipal } from '../agents/index.js';
import { editOccurrence, type ScheduleActor } from './schedules.use-cases.js';

const NOW = new Date('2026-11-24T09:00:00Z');
// Mondays, Tuesdays, Thursdays and Fridays of December 2026 and January 2027: the morning period's occurrences.
const DATES = ['2026-12-01', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-10', '2026-12-11', '2027-01-04', '2027-01-05', '2027-01-07', '2027-01-08', '2027-01-11'];

// PGlite serves one connection at a time: races need PostgreSQL (collected only with TEST_DATABASE_URL, see vitest.config.ts).
describe('single-occurrence edits under concurrency (PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: DatabaseHandle;
  let actor: ScheduleActor;
  let periodId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    pool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: DATES.length });
    const nadia = (await database.db.selectFrom('agents').select('id').where('last_name', '=', 'Benali').executeTakeFirstOrThrow()).id;
    const organisationId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    periodId = (await database.db.selectFrom('opening_periods').select('id').where('agent_id', '=', nadia).where('title', '=', 'Permanence du matin').executeTakeFirstOrThrow()).id;
    const principal = await loadAgentPrincipal(database.db, nadia);
    if (principal === undefined) throw new Error('demo agent missing');
    actor = { principal, organisationId, now: NOW, today: isoDateToDayNumber('2026-11-24') };
  });
  afterAll(async () => {
    await pool.close();
    await database.destroy();
  });

  it('keeps every cancelled date when agents cancel different occurrences of one period at once', async () => {
    const outcomes = await Promise.all(DATES.map((date) => editOccurrence(pool.db, actor, { periodId, date, edit: { kind: 'cancel' } })));
    expect(outcomes).toEqual(DATES.map(() => ({ ok: true })));
    const row = await database.db.selectFrom('opening_periods').select(sql<string>`excluded_dates::text`.as('excluded')).where('id', '=', periodId).executeTakeFirstOrThrow();
    expect(row.excluded).toBe(`{${DATES.join(',')}}`);
  });

  it('keeps every move when agents move different occurrences at once, and cancels a date once', async () => {
    const moves = DATES.map((date) => editOccurrence(pool.db, actor, { periodId, date, edit: { kind: 'restore' } }));
    await Promise.all(moves);
    const outcomes = await Promise.all([
      ...DATES.map((date) => editOccurrence(pool.db, actor, { periodId, date, edit: { kind: 'move', startTime: '13:00', endTime: '15:00', placeId: null } })),
      editOccurrence(pool.db, actor, { periodId, date: '2027-01-12', edit: { kind: 'cancel' } }),
      editOccurrence(pool.db, actor, { periodId, date: '2027-01-12', edit: { kind: 'cancel' } }),
    ]);
    expect(outcomes.slice(0, DATES.length)).toEqual(DATES.map(() => ({ ok: true })));
    expect(outcomes.slice(DATES.length).map((outcome) => (outcome?.ok === true ? 'ok' : outcome?.reason)).sort()).toEqual(['ALREADY_CANCELLED', 'ok']);
    const overrides = await database.db.selectFrom('opening_period_overrides').select('opening_period_id').where('opening_period_id', '=', periodId).execute();
    expect(overrides).toHaveLength(DATES.length);
  });
});

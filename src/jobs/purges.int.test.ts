import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.js';
import type { AppContext } from '../platform/context.js';
import type { ScheduledJob } from '../platform/jobs/scheduled-job.js';
import type { SecurityTables } from '../platform/security/index.js';
import { scheduledJobs } from './index.js';
import { ACCESS_TOKEN_GRACE_MS, IDEMPOTENCY_KEY_RETENTION_MS, purges, SESSION_ABSOLUTE_TIMEOUT_MS } from './purges.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const MINUTE = 60_000;
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);
const hex64 = (): string => randomBytes(32).toString('hex');

function purge(name: string): ScheduledJob {
  const job = purges.find((candidate) => candidate.name === name);
  if (job === undefined) throw new Error(`no purge named ${name}`);
  return job;
}

describe('purges', () => {
  let database: TestDatabase;
  let context: AppContext;
  let userId: number;

  beforeAll(async () => {
    database = await openTestDatabase();
    context = createTestContext(database, NOW);
    userId = (
      await database.db.insertInto('users').values({ first_name: 'Camille', last_name: 'Durand' }).returning('id').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await database.destroy();
  });
  beforeEach(async () => {
    for (const table of ['http_sessions', 'rate_limit_hits', 'access_tokens', 'booking_idempotency_keys'] as const) {
      await database.db.deleteFrom(table).execute();
    }
  });

  it('are all scheduled, with distinct queue names and five-field crons', () => {
    expect(scheduledJobs).toEqual(expect.arrayContaining([...purges]));
    expect(new Set(purges.map((job) => job.name)).size).toBe(purges.length);
    for (const job of purges) {
      expect(job.name).toMatch(/^[a-z0-9-]+$/);
      expect(job.cron.split(' ')).toHaveLength(5);
    }
  });

  it('deletes the sessions past their idle or absolute timeout, and only those', async () => {
    const session = (expiresAt: Date, createdAt = at(-120 * MINUTE)) => ({
      session_id_hash: hex64(),
      data: '{}',
      created_at: createdAt,
      expires_at: expiresAt,
    });
    const alive = session(at(MINUTE));
    const tooOld = session(at(MINUTE), at(-SESSION_ABSOLUTE_TIMEOUT_MS - MINUTE));
    await database.db.insertInto('http_sessions').values([session(at(-MINUTE)), session(NOW), tooOld, alive]).execute();

    expect(await purge('purge-expired-sessions').run(context, NOW)).toBe(3);

    const left = await database.db.selectFrom('http_sessions').select('session_id_hash').execute();
    expect(left).toEqual([{ session_id_hash: alive.session_id_hash }]);
  });

  it('deletes the rate-limit counters of finished windows', async () => {
    await database.db
      .insertInto('rate_limit_hits')
      .values([
        { key_hash: 'finished', hits: 3, window_ends_at: at(-MINUTE) },
        { key_hash: 'running', hits: 1, window_ends_at: at(MINUTE) },
      ])
      .execute();

    expect(await purge('purge-rate-limit-windows').run(context, NOW)).toBe(1);

    expect(await database.db.selectFrom('rate_limit_hits').select('key_hash').execute()).toEqual([{ key_hash: 'running' }]);
  });

  it('deletes the sign-in throttles whose window and lock are over, and keeps a running lock', async () => {
    const key = (digit: string): string => digit.repeat(64);
    await database.db
      .withTables<SecurityTables>()
      .insertInto('sign_in_throttles')
      .values([
        { key_hash: key('a'), failures: 3, window_ends_at: at(-MINUTE), blocked_until: null },
        { key_hash: key('b'), failures: 10, window_ends_at: at(-MINUTE), blocked_until: at(MINUTE) },
        { key_hash: key('c'), failures: 2, window_ends_at: at(MINUTE), blocked_until: null },
      ])
      .execute();

    expect(await purge('purge-sign-in-throttles').run(context, NOW)).toBe(1);

    const left = await database.db.withTables<SecurityTables>().selectFrom('sign_in_throttles').select('key_hash').orderBy('key_hash').execute();
    expect(left).toEqual([{ key_hash: key('b') }, { key_hash: key('c') }]);
  });

  it('deletes links expired or used longer ago than the grace period', async () => {
    const beyondGrace = at(-ACCESS_TOKEN_GRACE_MS - MINUTE);
    const withinGrace = at(-ACCESS_TOKEN_GRACE_MS + MINUTE);
    const token = (label: string, createdAt: Date, expiresAt: Date, usedAt: Date | null) => ({
      token_hash: hex64(),
      purpose: label === 'invitation' ? ('invitation' as const) : ('passwordless_sign_in' as const),
      user_id: userId,
      created_at: createdAt,
      expires_at: expiresAt,
      used_at: usedAt,
    });
    const rows = {
      expiredLongAgo: token('expired long ago', at(-ACCESS_TOKEN_GRACE_MS - 60 * MINUTE), beyondGrace, null),
      usedLongAgo: token('used long ago', at(-ACCESS_TOKEN_GRACE_MS - 60 * MINUTE), at(60 * MINUTE), beyondGrace),
      expiredRecently: token('expired recently', at(-ACCESS_TOKEN_GRACE_MS - 60 * MINUTE), withinGrace, null),
      usedRecently: token('used recently', at(-60 * MINUTE), at(60 * MINUTE), withinGrace),
      valid: token('invitation', at(-60 * MINUTE), at(30 * 24 * 60 * MINUTE), null),
    };
    await database.db.insertInto('access_tokens').values(Object.values(rows)).execute();

    expect(await purge('purge-access-tokens').run(context, NOW)).toBe(2);

    const left = (await database.db.selectFrom('access_tokens').select('token_hash').execute()).map((row) => row.token_hash);
    expect(left.sort()).toEqual([rows.expiredRecently, rows.usedRecently, rows.valid].map((row) => row.token_hash).sort());
  });

  it('deletes idempotency keys older than the retention', async () => {
    const key = (label: string, createdAt: Date) => ({
      key: `${label}-${hex64().slice(0, 16)}`,
      operation: 'book' as const,
      user_id: userId,
      request_fingerprint: hex64(),
      created_at: createdAt,
    });
    await database.db
      .insertInto('booking_idempotency_keys')
      .values([key('old', at(-IDEMPOTENCY_KEY_RETENTION_MS - MINUTE)), key('recent', at(-IDEMPOTENCY_KEY_RETENTION_MS + MINUTE))])
      .execute();

    expect(await purge('purge-booking-idempotency-keys').run(context, NOW)).toBe(1);

    const left = await database.db.selectFrom('booking_idempotency_keys').select('key').execute();
    expect(left.map((row) => row.key.split('-')[0])).toEqual(['recent']);
  });
});

/**
 * Per-key throttles in PostgreSQL, for limits that count something other than requests per
 * client address: failed sign-ins per e-mail address (`sign_in_throttles`) and e-mails sent per
 * address (`rate_limit_hits`). Keys are HMACs keyed from SESSION_SECRET, never addresses, and each
 * check-and-count is one atomic statement, so concurrent requests and several processes cannot
 * slip past a limit.
 */
import { createHash, createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SecurityTables } from './security.tables.js';

/** The key a limit is counted under: HMAC of the scope and the value (an e-mail, an address). */
export function throttleKey(sessionSecret: string, scope: string, value: string): string {
  const hashKey = createHash('sha256').update('throttle-keys\n').update(sessionSecret).digest();
  return createHmac('sha256', hashKey).update(`${scope}\n${value}`).digest('hex');
}

/** Counts one hit in a fixed window (one upsert) and returns the count so far in that window. */
export async function countHit(db: Kysely<Database>, request: { keyHash: string; windowMs: number; now: Date }): Promise<number> {
  const windowEndsAt = new Date(request.now.getTime() + request.windowMs);
  const row = await db
    .withTables<SecurityTables>()
    .insertInto('rate_limit_hits')
    .values({ key_hash: request.keyHash, hits: 1, window_ends_at: windowEndsAt })
    .onConflict((conflict) =>
      conflict.column('key_hash').doUpdateSet({
        hits: sql<number>`CASE WHEN rate_limit_hits.window_ends_at <= ${request.now} THEN 1 ELSE LEAST(rate_limit_hits.hits + 1, 2147483647) END`,
        window_ends_at: sql<Date>`CASE WHEN rate_limit_hits.window_ends_at <= ${request.now} THEN excluded.window_ends_at ELSE rate_limit_hits.window_ends_at END`,
      }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

export interface SignInThrottlePolicy {
  /** Failures allowed without delay. */
  readonly freeFailures: number;
  /** First delay once `freeFailures` is reached; doubles with each further failure. */
  readonly baseDelayMs: number;
  /** Failures within the window that lock the key. */
  readonly lockAfterFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

/** 5 failures → 1 s, 2 s, 4 s, 8 s, 16 s between attempts; 10 failures in 15 minutes → locked 15 minutes. */
export const SIGN_IN_THROTTLE: SignInThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  lockAfterFailures: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly locked: boolean };

/**
 * Counts a sign-in attempt as a failure *before* its password is checked, in one statement that
 * refuses while the key is delayed or locked: concurrent attempts cannot get more checks than
 * the policy allows. A successful sign-in then clears the key (`clearSignInThrottle`).
 */
export async function claimSignInAttempt(
  db: Kysely<Database>,
  request: { keyHash: string; now: Date; policy?: SignInThrottlePolicy },
): Promise<ThrottleDecision> {
  const policy = request.policy ?? SIGN_IN_THROTTLE;
  const { now } = request;
  const failures = sql<number>`(CASE WHEN t.window_ends_at <= ${now} THEN 1 ELSE t.failures + 1 END)`;
  const result = await sql<{ failures: number }>`
    INSERT INTO sign_in_throttles AS t (key_hash, failures, window_ends_at, blocked_until)
    VALUES (${request.keyHash}, 1, ${new Date(now.getTime() + policy.windowMs)}, NULL)
    ON CONFLICT (key_hash) DO UPDATE SET
      failures = ${failures},
      window_ends_at = CASE WHEN t.window_ends_at <= ${now} THEN excluded.window_ends_at ELSE t.window_ends_at END,
      blocked_until = CASE
        WHEN ${failures} >= ${policy.lockAfterFailures} THEN ${new Date(now.getTime() + policy.lockMs)}::timestamptz
        WHEN ${failures} >= ${policy.freeFailures}
          THEN ${now}::timestamptz + (${policy.baseDelayMs}::bigint * power(2, ${failures} - ${policy.freeFailures})) * interval '1 millisecond'
        ELSE NULL
      END
    WHERE t.blocked_until IS NULL OR t.blocked_until <= ${now}
    RETURNING failures`.execute(db);
  if (result.rows.length > 0) return { allowed: true };
  const row = await db.withTables<SecurityTables>().selectFrom('sign_in_throttles').select(['blocked_until', 'failures']).where('key_hash', '=', request.keyHash).executeTakeFirst();
  const blockedUntil = row?.blocked_until?.getTime() ?? now.getTime();
  return { allowed: false, retryAfterMs: Math.max(0, blockedUntil - now.getTime()), locked: (row?.failures ?? 0) >= policy.lockAfterFailures };
}

/** Forgets the failures of a key: after a successful sign-in or a proven mailbox. */
export async function clearSignInThrottle(db: Kysely<Database>, keyHash: string): Promise<void> {
  await db.withTables<SecurityTables>().deleteFrom('sign_in_throttles').where('key_hash', '=', keyHash).execute();
}

/** Deletes throttles whose window and block are over; for a scheduled job. Returns the count. */
export async function purgeExpiredSignInThrottles(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .withTables<SecurityTables>()
    .deleteFrom('sign_in_throttles')
    .where('window_ends_at', '<=', now)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

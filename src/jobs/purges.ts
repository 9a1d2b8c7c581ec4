/**
 * Purges of rows that have stopped meaning anything. The tables were designed with an index for
 * them (migrations 0002 and 0003) but nothing ran them: sessions, rate-limit counters, links and
 * idempotency keys piled up forever — personal data kept for no purpose (RGPD, minimisation).
 * Each purge is one DELETE, with the instant passed in (tests fix it). The security tables' purges
 * are their owner's (platform/security); the booking tables' are written here.
 */
import type { DeleteResult } from 'kysely';
import type { ScheduledJob } from '../platform/jobs/scheduled-job.js';
import { DEFAULT_SESSION_ABSOLUTE_TIMEOUT_HOURS, purgeExpiredRateLimitHits, purgeExpiredSessions, purgeExpiredSignInThrottles } from '../platform/security/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The sessions' absolute timeout: registerSecurity's default, which app.ts uses. */
export const SESSION_ABSOLUTE_TIMEOUT_MS = DEFAULT_SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * 60 * 1000;

/**
 * An expired or used link is kept a week, so that opening it again says « ce lien a expiré » or
 * « ce lien a déjà servi » instead of « lien invalide », which would send the usager looking for a typo.
 */
export const ACCESS_TOKEN_GRACE_MS = 7 * DAY_MS;

/**
 * An idempotency key only has to outlive the retries of one request (a double click, a reload, a
 * network retry within minutes); a week leaves room for a client that retries the next day.
 */
export const IDEMPOTENCY_KEY_RETENTION_MS = 7 * DAY_MS;

function deletedRows(results: DeleteResult[]): number {
  return results.reduce((total, result) => total + Number(result.numDeletedRows), 0);
}

export const purges: readonly ScheduledJob[] = [
  {
    // Sessions past their idle or absolute timeout.
    name: 'purge-expired-sessions',
    cron: '*/15 * * * *',
    run: (context, now) => purgeExpiredSessions(context.db, now, SESSION_ABSOLUTE_TIMEOUT_MS),
  },
  {
    // Counters of finished windows: under a flood of requests this table grows fastest.
    name: 'purge-rate-limit-windows',
    cron: '*/5 * * * *',
    run: (context, now) => purgeExpiredRateLimitHits(context.db, now),
  },
  {
    // Per-address sign-in failure counters whose window and lock are over.
    name: 'purge-sign-in-throttles',
    cron: '*/15 * * * *',
    run: (context, now) => purgeExpiredSignInThrottles(context.db, now),
  },
  {
    name: 'purge-access-tokens',
    cron: '20 3 * * *',
    run: async (context, now) => {
      const before = new Date(now.getTime() - ACCESS_TOKEN_GRACE_MS);
      return deletedRows(
        await context.db
          .deleteFrom('access_tokens')
          .where((eb) => eb.or([eb('expires_at', '<=', before), eb('used_at', '<=', before)]))
          .execute(),
      );
    },
  },
  {
    name: 'purge-booking-idempotency-keys',
    cron: '40 3 * * *',
    run: async (context, now) =>
      deletedRows(
        await context.db
          .deleteFrom('booking_idempotency_keys')
          .where('created_at', '<=', new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS))
          .execute(),
      ),
  },
];

/**
 * Rate limiting with @fastify/rate-limit and counters in PostgreSQL (`rate_limit_hits`), so that
 * the limit holds across every app process behind the load balancer (an in-memory store would
 * give each process its own allowance). Fixed windows: one atomic upsert per request.
 */
import { createHmac } from 'node:crypto';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitOptions } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SecurityTables } from './security.tables.js';

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export interface PostgresRateLimitStoreOptions {
  db: Kysely<Database>;
  now: () => Date;
  /** Keys are stored as HMAC(hashKey, key): client addresses and e-mails never reach the table. */
  hashKey: string;
}

const MAX_HITS = 2_147_483_647;

interface RouteInfo {
  method?: string | string[];
  url?: string;
}

/**
 * The counting scope of a limited route. @fastify/rate-limit passes `child()` the merged limit
 * options (with `routeInfo` and `groupId`), not the route options its types announce: read both
 * defensively. Routes of one `groupId` share their count.
 */
function routeScope(childOptions: object): string {
  const options = childOptions as { groupId?: unknown; routeInfo?: RouteInfo } & RouteInfo;
  if (typeof options.groupId === 'string') return `group ${options.groupId}`;
  const route = options.routeInfo ?? options;
  const method = Array.isArray(route.method) ? route.method.join(',') : (route.method ?? '');
  return `${method} ${route.url ?? ''}`;
}

/** Builds the store class @fastify/rate-limit instantiates, bound to the database and clock. */
export function createPostgresRateLimitStore(options: PostgresRateLimitStoreOptions): FastifyRateLimitStoreCtor {
  const db = options.db.withTables<SecurityTables>();

  class PostgresRateLimitStore implements FastifyRateLimitStore {
    // Each limited route counts separately: the scope prefixes the key.
    constructor(private readonly scope = 'global') {}

    incr(key: string, callback: IncrCallback, timeWindowMs: number): void {
      const now = options.now();
      const keyHash = createHmac('sha256', options.hashKey).update(`${this.scope}\n${key}`).digest('hex');
      const windowEndsAt = new Date(now.getTime() + timeWindowMs);
      db.insertInto('rate_limit_hits')
        .values({ key_hash: keyHash, hits: 1, window_ends_at: windowEndsAt })
        .onConflict((conflict) =>
          conflict.column('key_hash').doUpdateSet({
            hits: sql<number>`CASE WHEN rate_limit_hits.window_ends_at <= ${now} THEN 1 ELSE LEAST(rate_limit_hits.hits + 1, ${MAX_HITS}) END`,
            window_ends_at: sql<Date>`CASE WHEN rate_limit_hits.window_ends_at <= ${now} THEN excluded.window_ends_at ELSE rate_limit_hits.window_ends_at END`,
          }),
        )
        .returning(['hits', 'window_ends_at'])
        .executeTakeFirstOrThrow()
        .then(
          (row) => {
            callback(null, { current: row.hits, ttl: Math.max(0, row.window_ends_at.getTime() - now.getTime()) });
          },
          (error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)));
          },
        );
    }

    child(routeOptions: RouteOptions & { path: string; prefix: string }): FastifyRateLimitStore {
      return new PostgresRateLimitStore(routeScope(routeOptions));
    }
  }

  // @fastify/rate-limit calls `new Store(globalOptions)`; the global store keeps the default scope.
  return class extends PostgresRateLimitStore {
    constructor() {
      super('global');
    }
  };
}

/** Deletes the counters whose window has ended; for a scheduled job. Returns the count. */
export async function purgeExpiredRateLimitHits(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.withTables<SecurityTables>().deleteFrom('rate_limit_hits').where('window_ends_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface RouteRateLimit {
  /** Requests allowed per window and per client. */
  max: number;
  timeWindowSeconds: number;
  /**
   * What counts as one client; the client address by default (IPv6 grouped by /64). Give a
   * function to count per account as well, e.g. the normalised e-mail of a sign-in form: it then
   * runs once the body is parsed.
   */
  keyBy?: (request: FastifyRequest) => string;
}

/**
 * Per-route limit, answered with 429 and the French "Trop de demandes" page beyond it:
 * `app.post('/connexion', { config: { rateLimit: rateLimit({ max: 10, timeWindowSeconds: 60 }) } }, …)`.
 */
export function rateLimit(limit: RouteRateLimit): RateLimitOptions {
  return {
    max: limit.max,
    timeWindow: limit.timeWindowSeconds * 1000,
    ...(limit.keyBy === undefined ? {} : { keyGenerator: limit.keyBy, hook: 'preHandler' as const }),
  };
}

import { createHash } from 'node:crypto';
import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SecurityTables } from './security.tables.js';

export interface PostgresSessionStoreOptions {
  db: Kysely<Database>;
  now: () => Date;
  /**
   * A session unused for this long is gone, unless the session itself carries
   * `idleTimeoutMinutes` (agent sessions carry their own, AGENT_SESSION_IDLE_MINUTES).
   */
  idleTimeoutMs: number;
  /** A session older than this is gone, however active (absolute timeout). */
  absoluteTimeoutMs: number;
  /** Told when a callback of @fastify/session throws (it then cannot reach Fastify's handler). */
  onCallbackError?: (error: unknown) => void;
}

type Callback = (error?: unknown) => void;

/** The idle expiry is pushed forward at most once a minute: most requests only read. */
const TOUCH_INTERVAL_MS = 60_000;
type SessionCallback = (error: unknown, session?: Session | null) => void;

/** Only the SHA-256 of a session id is stored: a leaked table cannot be replayed as cookies. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/**
 * A @fastify/session store in the `http_sessions` table, so that every app process sees the same
 * sessions. Expiry is decided here, with the application clock: the idle timeout is pushed
 * forward when a session is read (at most once a minute) or saved, the absolute timeout counts
 * from creation. Session values must be JSON.
 */
export class PostgresSessionStore implements SessionStore {
  readonly #db: Kysely<Database & SecurityTables>;
  readonly #options: PostgresSessionStoreOptions;

  constructor(options: PostgresSessionStoreOptions) {
    this.#db = options.db.withTables<SecurityTables>();
    this.#options = options;
  }

  set(sessionId: string, session: Session, callback: Callback): void {
    void this.#settle(async () => {
      await this.#write(sessionId, session);
      return undefined;
    }, callback);
  }

  get(sessionId: string, callback: SessionCallback): void {
    void this.#settle(async () => {
      const data = await this.#read(sessionId);
      // `originalMaxAge: null` lets @fastify/session rebuild the cookie from its options.
      return data === undefined ? null : { ...data, cookie: { originalMaxAge: null } };
    }, callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    void this.#settle(async () => {
      await this.#db.deleteFrom('http_sessions').where('session_id_hash', '=', hashSessionId(sessionId)).execute();
      return undefined;
    }, callback);
  }

  /**
   * Runs the database work, then calls the callback exactly once, outside any promise chain of
   * the work. The callback resumes Fastify's hooks (it may write the response): if it throws, the
   * error is reported to `onCallbackError` instead of becoming an unhandled rejection that would
   * stop the process.
   */
  async #settle<T>(work: () => Promise<T>, callback: (error: unknown, result?: T) => void): Promise<void> {
    let outcome: { error: unknown; result?: T };
    try {
      outcome = { error: null, result: await work() };
    } catch (error) {
      outcome = { error: error ?? new Error('session store failure') };
    }
    try {
      callback(outcome.error, outcome.result);
    } catch (callbackError) {
      this.#options.onCallbackError?.(callbackError);
    }
  }

  /** The session's own idle timeout (a positive number of minutes, at most a day), else the store's. */
  #idleTimeoutMsOf(data: Record<string, unknown>): number {
    const minutes = data.idleTimeoutMinutes;
    return typeof minutes === 'number' && Number.isInteger(minutes) && minutes > 0 && minutes <= 1440 ? minutes * 60_000 : this.#options.idleTimeoutMs;
  }

  async #write(sessionId: string, session: Session): Promise<void> {
    // The cookie attributes come from the configuration on every request; only the data is kept.
    const data: Record<string, unknown> = { ...session };
    delete data.cookie;
    const now = this.#options.now();
    await this.#db
      .insertInto('http_sessions')
      .values({
        session_id_hash: hashSessionId(sessionId),
        data: JSON.stringify(data),
        created_at: now,
        expires_at: new Date(now.getTime() + this.#idleTimeoutMsOf(data)),
      })
      .onConflict((conflict) =>
        conflict.column('session_id_hash').doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), expires_at: eb.ref('excluded.expires_at') })),
      )
      .execute();
  }

  async #read(sessionId: string): Promise<Record<string, unknown> | undefined> {
    const now = this.#options.now();
    const sessionIdHash = hashSessionId(sessionId);
    const row = await this.#db
      .selectFrom('http_sessions')
      .select(['data', 'expires_at'])
      .where('session_id_hash', '=', sessionIdHash)
      .where('expires_at', '>', now)
      .where('created_at', '>', new Date(now.getTime() - this.#options.absoluteTimeoutMs))
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const expiresAt = new Date(now.getTime() + this.#idleTimeoutMsOf(row.data));
    if (expiresAt.getTime() - row.expires_at.getTime() >= TOUCH_INTERVAL_MS) {
      await this.#db.updateTable('http_sessions').set({ expires_at: expiresAt }).where('session_id_hash', '=', sessionIdHash).execute();
    }
    return row.data;
  }
}

/** Deletes the sessions past their idle or absolute timeout; for a scheduled job. Returns the count. */
export async function purgeExpiredSessions(db: Kysely<Database>, now: Date, absoluteTimeoutMs: number): Promise<number> {
  const result = await db
    .withTables<SecurityTables>()
    .deleteFrom('http_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', new Date(now.getTime() - absoluteTimeoutMs))]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

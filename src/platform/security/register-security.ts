import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { registerCsrfCheck } from './csrf.js';
import { createPostgresRateLimitStore } from './rate-limit.js';
import { PostgresSessionStore } from './session-store.js';

export interface SecurityOptions {
  /** Default 30 minutes (ANSSI web recommendations: idle timeout for agents). */
  sessionIdleTimeoutMinutes?: number;
  /** Default 12 hours: a session ends after a working day, however active. */
  sessionAbsoluteTimeoutHours?: number;
}

/** A session ends after a working day, however active (ANSSI: absolute timeout). */
export const DEFAULT_SESSION_ABSOLUTE_TIMEOUT_HOURS = 12;

const COOKIE_NAME = 'creneau_session';
const CSRF_COOKIE_NAME = 'creneau_csrf';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route whose answers may be cached sets its own `Cache-Control` value here; every other
     * answer (pages, JSON, redirects) gets `no-store` (static files set their own max-age).
     */
    cacheControl?: string;
  }
}

/** `__Host-` (RFC 6265bis): the browser only accepts the cookie over HTTPS, for this host, on path `/`. */
export function sessionCookieName(baseUrl: string): string {
  return baseUrl.startsWith('https://') ? `__Host-${COOKIE_NAME}` : COOKIE_NAME;
}

/** The attributes of the session cookie; the cookie that clears it must carry the same ones. */
function sessionCookieAttributes(baseUrl: string): { path: string; httpOnly: true; sameSite: 'lax'; secure: boolean } {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: baseUrl.startsWith('https://') };
}

/**
 * Registers cookies, server-side sessions in PostgreSQL, the CSRF check of state-changing
 * requests and the rate limiter (inactive until a route sets `config.rateLimit`). Register it
 * before any module, so that every route gets the hooks.
 */
export async function registerSecurity(app: FastifyInstance, context: AppContext, options: SecurityOptions = {}): Promise<void> {
  const idleTimeoutMs = (options.sessionIdleTimeoutMinutes ?? 30) * 60_000;
  const absoluteTimeoutMs = (options.sessionAbsoluteTimeoutHours ?? DEFAULT_SESSION_ABSOLUTE_TIMEOUT_HOURS) * 3_600_000;
  const isHttps = context.config.baseUrl.startsWith('https://');

  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: context.config.sessionSecret,
    cookieName: sessionCookieName(context.config.baseUrl),
    // No Max-Age: a browser-session cookie. The store decides expiry (idle and absolute timeouts)
    // with the application clock, so the cookie needs no refresh on every response.
    cookie: sessionCookieAttributes(context.config.baseUrl),
    store: new PostgresSessionStore({
      db: context.db,
      now: context.now,
      idleTimeoutMs,
      absoluteTimeoutMs,
      onCallbackError: (error) => {
        app.log.error({ err: error }, 'session hook failed after the store answered');
      },
    }),
    // No row for a visitor until a route stores something (a sign-in, the funnel's address):
    // CSRF tokens of anonymous forms live in a cookie (csrf.ts), not in the session.
    saveUninitialized: false,
    // Saved only when modified; reading a session pushes its idle timeout forward (store).
    rolling: false,
  });

  registerCsrfCheck(app, {
    key: createHash('sha256').update('csrf-tokens\n').update(context.config.sessionSecret).digest(),
    cookieName: isHttps ? `__Host-${CSRF_COOKIE_NAME}` : CSRF_COOKIE_NAME,
    sessionCookieName: sessionCookieName(context.config.baseUrl),
    secure: isHttps,
  });

  // Pages and JSON may show personal data: nothing is cached unless the route says otherwise.
  app.addHook('onSend', (request, reply, payload, done) => {
    const chosen = request.routeOptions.config.cacheControl;
    if (chosen !== undefined) reply.header('cache-control', chosen);
    else if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  await app.register(fastifyRateLimit, {
    global: false,
    store: createPostgresRateLimitStore({
      db: context.db,
      now: context.now,
      // A key of its own, derived from SESSION_SECRET: hashing client addresses with a secret
      // keeps the table from being reversed by trying the 2^32 IPv4 addresses.
      hashKey: createHash('sha256').update('rate-limit-keys\n').update(context.config.sessionSecret).digest('hex'),
    }),
  });
}

/**
 * Gives the session a new id while keeping the listed values: call it at sign-in and at every
 * change of privilege, against session fixation. The old id is deleted; CSRF tokens bound to it
 * stop working (pages rendered afterwards carry fresh ones).
 */
export async function regenerateSession(request: FastifyRequest, keep: string[] = []): Promise<void> {
  await request.session.regenerate(keep);
}

/**
 * Ends the session at sign-out: deletes it from the store and clears the cookie with the same
 * name and attributes as the cookie it replaces (a `__Host-` cookie is only replaced by a `Secure`
 * one on path `/`).
 */
export async function endSession(request: FastifyRequest, reply: FastifyReply, baseUrl: string): Promise<void> {
  await request.session.destroy();
  reply.clearCookie(sessionCookieName(baseUrl), sessionCookieAttributes(baseUrl));
}

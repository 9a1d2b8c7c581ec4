import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { loadConfig } from '../../config.js';
import type { AppContext } from '../context.js';
import { registerErrorHandling } from '../http/error-handler.js';
import { createDevOutboxMailer } from '../mailer/index.js';
import { h } from '../views/jsx.js';
import { csrfToken } from './csrf.js';
import { CsrfField } from './csrf-field.js';
import { purgeExpiredRateLimitHits, rateLimit } from './rate-limit.js';
import { endSession, regenerateSession, registerSecurity } from './register-security.js';
import type { SecurityTables } from './security.tables.js';
import { hashSessionId, PostgresSessionStore, purgeExpiredSessions } from './session-store.js';

// Augmentations apply to the whole program: test-only names, so they never clash with a module's.
declare module 'fastify' {
  interface Session {
    securityTestNote?: string;
    securityTestUserId?: number;
  }
}

const START = new Date('2026-11-24T09:00:00Z');
const MINUTE = 60_000;
const SECRET = 'secret-de-session-de-test-de-plus-de-32-caracteres';

class TestClock {
  current = START;
  reset(): void {
    this.current = START;
  }
  readonly now = (): Date => this.current;
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A small app with the security plugins and a few routes that exercise them. */
async function buildSecuredApp(database: TestDatabase, clock: TestClock, baseUrl = 'http://localhost:3000'): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL: baseUrl, SESSION_SECRET: SECRET });
  const context: AppContext = {
    config,
    db: database.db,
    backend: database.backend,
    now: clock.now,
    mailer: createDevOutboxMailer({ db: database.db, from: config.mailFrom, now: clock.now }),
  };
  const app = Fastify({ logger: false, trustProxy: true });
  await app.register(formbody);
  registerErrorHandling(app);
  await registerSecurity(app, context);

  app.get('/form', (request, reply) =>
    reply.type('text/html; charset=utf-8').send(
      (
        <form method="post" action="/form">
          <CsrfField token={csrfToken(request)} />
        </form>
      ).value,
    ),
  );
  app.post('/form', () => ({ accepted: true }));
  app.post('/remember', (request) => {
    request.session.set('securityTestNote', 'remembered');
    return { stored: true };
  });
  app.get('/cacheable', { config: { cacheControl: 'public, max-age=60' } }, () => ({ ok: true }));
  app.post('/api/webhook', { config: { csrf: false } }, () => ({ accepted: true }));
  app.get<{ Querystring: { note: string } }>('/note/put', (request) => {
    request.session.set('securityTestNote', request.query.note);
    return { stored: true };
  });
  app.get('/note', (request) => ({ note: request.session.get('securityTestNote') ?? null, sessionId: request.session.sessionId }));
  app.post('/sign-in', async (request) => {
    await regenerateSession(request, ['securityTestNote']);
    request.session.set('securityTestUserId', 42);
    return { sessionId: request.session.sessionId };
  });
  app.post('/sign-out', async (request, reply) => {
    await endSession(request, reply, baseUrl);
    return { signedOut: true };
  });
  app.get('/limited', { config: { rateLimit: rateLimit({ max: 2, timeWindowSeconds: 60 }) } }, () => ({ ok: true }));
  app.get('/other-limited', { config: { rateLimit: rateLimit({ max: 2, timeWindowSeconds: 60 }) } }, () => ({ ok: true }));
  app.get('/unlimited', () => ({ ok: true }));
  await app.ready();
  return app;
}

function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((candidate) => candidate.name.endsWith('creneau_session'));
  if (cookie === undefined) throw new Error('no session cookie');
  return cookie.value;
}

/** Every cookie the responses set, the later ones winning: what a browser would send back. */
function cookiesOf(...responses: LightMyRequestResponse[]): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const response of responses) for (const cookie of response.cookies) jar[cookie.name] = cookie.value;
  return jar;
}

function formToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (match?.[1] === undefined) throw new Error('no CSRF field');
  return match[1];
}

describe('security plugins', () => {
  let database: TestDatabase;
  let clock: TestClock;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    clock = new TestClock();
    app = await buildSecuredApp(database, clock);
  });
  beforeEach(async () => {
    clock.reset();
    await database.db.withTables<SecurityTables>().deleteFrom('http_sessions').execute();
    await database.db.withTables<SecurityTables>().deleteFrom('rate_limit_hits').execute();
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  async function sessionRows(): Promise<{ session_id_hash: string; data: Record<string, unknown> }[]> {
    return database.db.withTables<SecurityTables>().selectFrom('http_sessions').select(['session_id_hash', 'data']).execute();
  }

  describe('sessions', () => {
    it('persists a session in PostgreSQL and reads it back on the next request', async () => {
      const put = await app.inject({ method: 'GET', url: '/note/put?note=bonjour' });
      const cookie = sessionCookie(put);
      const read = await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } });
      const { note, sessionId } = read.json<{ note: string; sessionId: string }>();
      expect(note).toBe('bonjour');
      const rows = await sessionRows();
      expect(rows).toEqual([{ session_id_hash: hashSessionId(sessionId), data: { securityTestNote: 'bonjour' } }]);
    });

    it('shares sessions between processes through the database', async () => {
      const cookie = sessionCookie(await app.inject({ method: 'GET', url: '/note/put?note=partagee' }));
      const otherProcess = await buildSecuredApp(database, clock);
      const read = await otherProcess.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } });
      await otherProcess.close();
      expect(read.json<{ note: string }>().note).toBe('partagee');
    });

    it('stores nothing and sets no cookie for a visitor whose session stays empty', async () => {
      const response = await app.inject({ method: 'GET', url: '/note' });
      expect(response.cookies).toEqual([]);
      expect(await sessionRows()).toEqual([]);
    });

    it('ignores a cookie whose signature was altered', async () => {
      const cookie = sessionCookie(await app.inject({ method: 'GET', url: '/note/put?note=secrete' }));
      const forged = `${cookie.slice(0, -3)}AAA`;
      const read = await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: forged } });
      expect(read.json<{ note: string | null }>().note).toBeNull();
    });

    it('ends a session left idle for more than 30 minutes, and keeps an active one', async () => {
      const cookie = sessionCookie(await app.inject({ method: 'GET', url: '/note/put?note=active' }));
      clock.advance(29 * MINUTE);
      expect((await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } })).json<{ note: string }>().note).toBe('active');
      clock.advance(29 * MINUTE);
      expect((await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } })).json<{ note: string }>().note).toBe('active');
      clock.advance(31 * MINUTE);
      expect((await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } })).json<{ note: string | null }>().note).toBeNull();
    });

    it('pushes the idle expiry forward when the session is read, at most once a minute', async () => {
      const cookie = sessionCookie(await app.inject({ method: 'GET', url: '/note/put?note=lue' }));
      const expiry = async (): Promise<Date | undefined> =>
        (await database.db.withTables<SecurityTables>().selectFrom('http_sessions').select('expires_at').executeTakeFirst())?.expires_at;
      expect(await expiry()).toEqual(new Date(START.getTime() + 30 * MINUTE));
      clock.advance(30_000);
      await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } });
      expect(await expiry()).toEqual(new Date(START.getTime() + 30 * MINUTE));
      clock.advance(90_000);
      await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } });
      expect(await expiry()).toEqual(new Date(START.getTime() + 32 * MINUTE));
    });

    it('ends a session 12 hours after its creation however active it is', async () => {
      const cookie = sessionCookie(await app.inject({ method: 'GET', url: '/note/put?note=longue' }));
      for (let elapsedMinutes = 20; elapsedMinutes < 12 * 60; elapsedMinutes += 20) {
        clock.advance(20 * MINUTE);
        await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } });
      }
      clock.advance(20 * MINUTE);
      expect((await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: cookie } })).json<{ note: string | null }>().note).toBeNull();
    });

    it('gives a new session id at sign-in, keeps the chosen values and forgets the old id', async () => {
      const put = await app.inject({ method: 'GET', url: '/note/put?note=gardee' });
      const oldCookie = sessionCookie(put);
      const before = await app.inject({ method: 'GET', url: '/form', cookies: cookiesOf(put) });
      const signIn = await app.inject({
        method: 'POST',
        url: '/sign-in',
        cookies: cookiesOf(put, before),
        payload: { _csrf: formToken(before.body) },
      });
      expect(signIn.statusCode).toBe(200);
      const newCookie = sessionCookie(signIn);
      expect(newCookie).not.toBe(oldCookie);
      const rows = await sessionRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.data).toEqual({ securityTestNote: 'gardee', securityTestUserId: 42 });
      expect((await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: oldCookie } })).json<{ note: string | null }>().note).toBeNull();
      expect((await app.inject({ method: 'GET', url: '/note', cookies: { creneau_session: newCookie } })).json<{ note: string }>().note).toBe('gardee');
    });

    it('deletes the session and clears the cookie at sign-out', async () => {
      const put = await app.inject({ method: 'GET', url: '/note/put?note=x' });
      const page = await app.inject({ method: 'GET', url: '/form', cookies: cookiesOf(put) });
      const signOut = await app.inject({ method: 'POST', url: '/sign-out', cookies: cookiesOf(put, page), payload: { _csrf: formToken(page.body) } });
      expect(signOut.statusCode).toBe(200);
      expect(signOut.cookies.find((candidate) => candidate.name === 'creneau_session')?.value).toBe('');
      expect(await sessionRows()).toEqual([]);
    });

    it('calls the store callback once, outside promise chains: a callback that throws is reported, never an unhandled rejection', async () => {
      const reported: unknown[] = [];
      const store = new PostgresSessionStore({ db: database.db, now: clock.now, idleTimeoutMs: 60_000, absoluteTimeoutMs: 3_600_000, onCallbackError: (error) => reported.push(error) });
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown): void => {
        rejections.push(reason);
      };
      process.on('unhandledRejection', onRejection);
      try {
        let calls = 0;
        await new Promise<void>((resolve) => {
          store.set('une-session', {} as never, () => {
            calls += 1;
            setImmediate(resolve);
            throw new TypeError('Invalid character in header content ["location"]');
          });
        });
        await new Promise((resolve) => setImmediate(resolve));
        expect(calls).toBe(1);
        expect(reported).toHaveLength(1);
        expect(rejections).toEqual([]);
      } finally {
        process.off('unhandledRejection', onRejection);
      }
    });

    it('purges expired sessions', async () => {
      await app.inject({ method: 'GET', url: '/note/put?note=a' });
      clock.advance(10 * MINUTE);
      await app.inject({ method: 'GET', url: '/note/put?note=b' });
      clock.advance(25 * MINUTE);
      expect(await purgeExpiredSessions(database.db, clock.now(), 12 * 3_600_000)).toBe(1);
      expect((await sessionRows()).map((row) => row.data)).toEqual([{ securityTestNote: 'b' }]);
    });
  });

  describe('session cookie', () => {
    it('is HttpOnly and SameSite=Lax, without Secure over plain HTTP', async () => {
      const response = await app.inject({ method: 'GET', url: '/note/put?note=x' });
      expect(response.headers['set-cookie']).toMatch(/^creneau_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    });

    it('is cleared at sign-out by a cookie with the same name and attributes (https)', async () => {
      const secured = await buildSecuredApp(database, clock, 'https://rdv.creneau.example');
      const https = { 'x-forwarded-proto': 'https' };
      try {
        const put = await secured.inject({ method: 'GET', url: '/note/put?note=x', headers: https });
        const page = await secured.inject({ method: 'GET', url: '/form', headers: https, cookies: cookiesOf(put) });
        const signOut = await secured.inject({ method: 'POST', url: '/sign-out', headers: https, cookies: cookiesOf(put, page), payload: { _csrf: formToken(page.body) } });
        expect(signOut.statusCode).toBe(200);
        const set = put.cookies.find((cookie) => cookie.name === '__Host-creneau_session');
        const cleared = signOut.cookies.find((cookie) => cookie.name === '__Host-creneau_session');
        expect(cleared?.value).toBe('');
        const attributes = (cookie: typeof set) => ({ secure: cookie?.secure, httpOnly: cookie?.httpOnly, sameSite: cookie?.sameSite, path: cookie?.path, domain: cookie?.domain });
        expect(attributes(cleared)).toEqual(attributes(set));
        expect(attributes(cleared)).toEqual({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/', domain: undefined });
        expect(page.cookies.find((cookie) => cookie.name === '__Host-creneau_csrf')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
      } finally {
        await secured.close();
      }
    });

    it('is Secure with the __Host- prefix when BASE_URL is https', async () => {
      const secured = await buildSecuredApp(database, clock, 'https://rdv.creneau.example');
      const response = await secured.inject({ method: 'GET', url: '/note/put?note=x', headers: { 'x-forwarded-proto': 'https' } });
      await secured.close();
      const cookie = response.cookies[0];
      expect(cookie).toMatchObject({ name: '__Host-creneau_session', httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      expect(cookie).not.toHaveProperty('domain');
    });
  });

  describe('CSRF protection', () => {
    it('refuses a form posted without a token with a French 403 page', async () => {
      const response = await app.inject({ method: 'POST', url: '/form', payload: { name: 'x' } });
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('Accès refusé');
      expect(response.body).toContain('Le formulaire a expiré ou n’a pas pu être vérifié');
    });

    it('accepts a form that carries the token of its page', async () => {
      const page = await app.inject({ method: 'GET', url: '/form' });
      const response = await app.inject({
        method: 'POST',
        url: '/form',
        cookies: cookiesOf(page),
        payload: { _csrf: formToken(page.body), name: 'x' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ accepted: true });
    });

    it('accepts the token in the x-csrf-token header, for progressive-enhancement scripts', async () => {
      const page = await app.inject({ method: 'GET', url: '/form' });
      const response = await app.inject({
        method: 'DELETE',
        url: '/form',
        cookies: cookiesOf(page),
        headers: { 'x-csrf-token': formToken(page.body) },
      });
      // The token passes; the route does not exist for DELETE.
      expect(response.statusCode).toBe(404);
    });

    it('refuses a token taken from another session, or altered', async () => {
      const victim = await app.inject({ method: 'GET', url: '/form' });
      const attacker = await app.inject({ method: 'GET', url: '/form' });
      const stolen = await app.inject({
        method: 'POST',
        url: '/form',
        cookies: cookiesOf(victim),
        payload: { _csrf: formToken(attacker.body) },
      });
      expect(stolen.statusCode).toBe(403);
      const token = formToken(victim.body);
      const altered = await app.inject({
        method: 'POST',
        url: '/form',
        cookies: cookiesOf(victim),
        payload: { _csrf: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` },
      });
      expect(altered.statusCode).toBe(403);
    });

    it('invalidates the tokens of the previous session after sign-in', async () => {
      const page = await app.inject({ method: 'GET', url: '/form' });
      const token = formToken(page.body);
      const signIn = await app.inject({ method: 'POST', url: '/sign-in', cookies: cookiesOf(page), payload: { _csrf: token } });
      const replay = await app.inject({ method: 'POST', url: '/form', cookies: { creneau_session: sessionCookie(signIn) }, payload: { _csrf: token } });
      expect(replay.statusCode).toBe(403);
    });

    it('lets a route opt out with config.csrf = false', async () => {
      const response = await app.inject({ method: 'POST', url: '/api/webhook', payload: { event: 'x' } });
      expect(response.statusCode).toBe(200);
    });

    it('renders a different token on each page (BREACH) that all verify', async () => {
      const first = await app.inject({ method: 'GET', url: '/form' });
      const second = await app.inject({ method: 'GET', url: '/form', cookies: cookiesOf(first) });
      expect(formToken(first.body)).not.toBe(formToken(second.body));
      for (const token of [formToken(first.body), formToken(second.body)]) {
        const response = await app.inject({ method: 'POST', url: '/form', cookies: cookiesOf(first), payload: { _csrf: token } });
        expect(response.statusCode).toBe(200);
      }
    });
  });

  describe('caching', () => {
    it('sends Cache-Control: no-store on every answer unless the route chose its own', async () => {
      for (const url of ['/form', '/note', '/missing']) {
        expect((await app.inject({ method: 'GET', url })).headers['cache-control']).toBe('no-store');
      }
      expect((await app.inject({ method: 'GET', url: '/cacheable' })).headers['cache-control']).toBe('public, max-age=60');
    });
  });

  describe('rate limiting', () => {
    it('answers 429 with the French page once a client exceeds the route limit', async () => {
      expect((await app.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(200);
      const refused = await app.inject({ method: 'GET', url: '/limited' });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.body).toContain('Trop de demandes');
    });

    it('counts each client and each route separately, and leaves other routes alone', async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) await app.inject({ method: 'GET', url: '/limited', remoteAddress: '203.0.113.7' });
      expect((await app.inject({ method: 'GET', url: '/limited', remoteAddress: '198.51.100.2' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/other-limited', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect((await app.inject({ method: 'GET', url: '/unlimited', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
      }
    });

    it('shares the count between processes through the database', async () => {
      const otherProcess = await buildSecuredApp(database, clock);
      expect((await app.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(200);
      expect((await otherProcess.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(200);
      expect((await otherProcess.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(429);
      await otherProcess.close();
    });

    it('allows the client again once the window has ended, and purges ended windows', async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) await app.inject({ method: 'GET', url: '/limited' });
      clock.advance(61_000);
      expect(await purgeExpiredRateLimitHits(database.db, clock.now())).toBe(1);
      expect((await app.inject({ method: 'GET', url: '/limited' })).statusCode).toBe(200);
    });

    it('stores keyed hashes, never the client address', async () => {
      await app.inject({ method: 'GET', url: '/limited', remoteAddress: '203.0.113.7' });
      const rows = await database.db.withTables<SecurityTables>().selectFrom('rate_limit_hits').select('key_hash').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});

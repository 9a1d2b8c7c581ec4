import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MultiClockBrowser, signInAgent } from '../../../test/support/agents.js';
import { buildTestApp, createTestContext, TEST_NOW } from '../../../test/support/app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { throttleKey } from '../../platform/security/index.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, seedDemoTerritory } from '../../seed/index.js';
import { agentSignInThrottleKey } from './agents.use-cases.js';

const MINUTE = 60_000;
const at = (minutes: number): Date => new Date(TEST_NOW.getTime() + minutes * MINUTE);

describe('agent sessions: timeouts, new id at sign-in, sign-out, throttling', () => {
  let database: TestDatabase;
  /** Apps on the same database whose clocks stand still at sign-in time and later. */
  const apps = new Map<number, FastifyInstance>();
  const appAt = (minutes: number): FastifyInstance => {
    const app = apps.get(minutes);
    if (app === undefined) throw new Error(`no app at +${String(minutes)} min`);
    return app;
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    for (const minutes of [0, 59, 61, 120]) apps.set(minutes, await buildTestApp(database, at(minutes)));
  });
  beforeEach(async () => {
    await database.db.deleteFrom('sign_in_throttles').execute();
    await database.db.deleteFrom('rate_limit_hits').execute();
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await database.destroy();
  });

  it('keeps an agent session used within the 60-minute idle timeout, and ends it after 61 idle minutes', async () => {
    const browser = new MultiClockBrowser();
    await browser.signIn(appAt(0), DEMO_AGENT_EMAILS.melunBasic);
    expect((await browser.get(appAt(59), '/agents/compte')).statusCode).toBe(200);
    // Last used at +59: at +120 it has been idle 61 minutes.
    const later = await browser.get(appAt(120), '/agents/compte');
    expect(later.statusCode).toBe(303);
    expect(later.headers.location).toBe('/agents/connexion?retour=%2Fagents%2Fcompte');
  });

  it('ends an agent session left idle 61 minutes after signing in', async () => {
    const browser = new MultiClockBrowser();
    await browser.signIn(appAt(0), DEMO_AGENT_EMAILS.melunBasic);
    expect((await browser.get(appAt(61), '/agents/compte')).statusCode).toBe(303);
  });

  it('honours AGENT_SESSION_IDLE_MINUTES', async () => {
    const base = createTestContext(database, at(0));
    const shortIdle = { ...base.config, agentSessionIdleMinutes: 15 };
    const signInApp = await buildApp({ ...base, config: shortIdle });
    const laterApp = await buildApp({ ...createTestContext(database, at(16)), config: shortIdle });
    try {
      const browser = new MultiClockBrowser();
      await browser.signIn(signInApp, DEMO_AGENT_EMAILS.meauxBasic);
      expect((await browser.get(signInApp, '/agents/compte')).statusCode).toBe(200);
      expect((await browser.get(laterApp, '/agents/compte')).statusCode).toBe(303);
    } finally {
      await signInApp.close();
      await laterApp.close();
    }
  });

  it('ends an agent session 12 hours after sign-in however active (AGENT_SESSION_MAX_HOURS)', async () => {
    let clock = at(0);
    const app = await buildApp({ ...createTestContext(database), now: () => clock });
    try {
      const browser = new MultiClockBrowser();
      await browser.signIn(app, DEMO_AGENT_EMAILS.melunBasic);
      for (let minutes = 45; minutes < 12 * 60; minutes += 45) {
        clock = at(minutes);
        expect((await browser.get(app, '/agents/compte')).statusCode, `at +${String(minutes)} min`).toBe(200);
      }
      clock = at(12 * 60);
      expect((await browser.get(app, '/agents/compte')).statusCode).toBe(303);
    } finally {
      await app.close();
    }
  });

  it('honours a shorter AGENT_SESSION_MAX_HOURS', async () => {
    let clock = at(0);
    const base = { ...createTestContext(database), now: () => clock };
    const app = await buildApp({ ...base, config: { ...base.config, agentSessionMaxHours: 2 } });
    try {
      const browser = new MultiClockBrowser();
      await browser.signIn(app, DEMO_AGENT_EMAILS.melunBasic);
      for (const minutes of [50, 100]) {
        clock = at(minutes);
        expect((await browser.get(app, '/agents/compte')).statusCode).toBe(200);
      }
      clock = at(120);
      expect((await browser.get(app, '/agents/compte')).statusCode).toBe(303);
    } finally {
      await app.close();
    }
  });

  it('gives a new session id at sign-in: the cookie changes and the old id no longer works', async () => {
    const browser = new MultiClockBrowser();
    await browser.signIn(appAt(0), DEMO_AGENT_EMAILS.melunBasic);
    const first = browser.sessionCookie();
    expect(first).toBeDefined();
    await browser.signIn(appAt(0), DEMO_AGENT_EMAILS.melunBasic);
    const second = browser.sessionCookie();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await browser.get(appAt(0), '/agents/compte')).statusCode).toBe(200);
    browser.useSessionCookie(first ?? '');
    expect((await browser.get(appAt(0), '/agents/compte')).statusCode).toBe(303);
  });

  it('destroys the session at sign-out (POST /agents/deconnexion): replaying its cookie leads to the sign-in page', async () => {
    const browser = new MultiClockBrowser();
    await browser.signIn(appAt(0), DEMO_AGENT_EMAILS.melunBasic);
    const cookie = browser.sessionCookie() ?? '';
    const before = await database.db.selectFrom('http_sessions').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    await browser.get(appAt(0), '/agents/compte');
    const signedOut = await browser.post(appAt(0), '/agents/deconnexion', {});
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/agents/connexion');
    expect(browser.sessionCookie()).toBeUndefined();
    const after = await database.db.selectFrom('http_sessions').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count) - 1);
    browser.useSessionCookie(cookie);
    expect((await browser.get(appAt(0), '/agents/compte')).statusCode).toBe(303);
  });

  /** Ten wrong passwords for one address, 20 seconds apart (the delays after the 5th failure pass). */
  async function failTenTimes(path: '/agents/connexion' | '/connexion', email: string, setClock: (date: Date) => void, app: FastifyInstance): Promise<void> {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      setClock(new Date(TEST_NOW.getTime() + attempt * 20_000));
      const session = new InjectSession(app);
      await session.get(path);
      const failed = await session.post(path, { email, motDePasse: `mauvais mot de passe ${String(attempt)}` });
      expect(failed.statusCode, `attempt ${String(attempt)}`).toBe(422);
    }
  }

  it('refuses even the right password with 429 and a French message after 10 failures for one agent address', async () => {
    let clock = at(0);
    const app = await buildApp({ ...createTestContext(database), now: () => clock });
    try {
      await failTenTimes('/agents/connexion', DEMO_AGENT_EMAILS.meauxBasic, (date) => (clock = date), app);
      clock = new Date(TEST_NOW.getTime() + 220_000);
      const session = new InjectSession(app);
      await session.get('/agents/connexion');
      const refused = await session.post('/agents/connexion', { email: DEMO_AGENT_EMAILS.meauxBasic, motDePasse: DEMO_PASSWORD });
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('Trop de tentatives de connexion avec cette adresse. Réessayez dans 15 minutes');
      expect(Number(refused.headers['retry-after'])).toBe(15 * 60 - 20);
      // Another agent's address is not affected; the lock ends 15 minutes after the 10th failure.
      await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
      clock = new Date(TEST_NOW.getTime() + 200_000 + 15 * MINUTE);
      await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    } finally {
      await app.close();
    }
  });

  it('counts agent failures under a scope of their own: a locked usager address does not lock the agent sign-in', async () => {
    const secret = createTestContext(database).config.sessionSecret;
    const email = DEMO_AGENT_EMAILS.melunAdmin;
    expect(agentSignInThrottleKey(secret, email)).not.toBe(throttleKey(secret, 'sign-in', email));
    let clock = at(0);
    const app = await buildApp({ ...createTestContext(database), now: () => clock });
    try {
      await failTenTimes('/connexion', email, (date) => (clock = date), app);
      const usagerAgain = new InjectSession(app);
      await usagerAgain.get('/connexion');
      expect((await usagerAgain.post('/connexion', { email, motDePasse: DEMO_PASSWORD })).statusCode).toBe(429);
      await signInAgent(app, email);
    } finally {
      await app.close();
    }
  });
});

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/index.js';
import { InjectSession } from './browser-session.js';

/** Signs an agent in through the real sign-in form and returns the browser-like session. */
export async function signInAgent(app: FastifyInstance, email: string, password: string = DEMO_PASSWORD): Promise<InjectSession> {
  const session = new InjectSession(app);
  await session.get('/agents/connexion');
  const response = await session.post('/agents/connexion', { email, motDePasse: password });
  expect(response.statusCode, `sign-in of ${email}`).toBe(303);
  return session;
}

/**
 * A cookie jar that can be replayed on several apps built on the same database with different
 * clocks (`buildTestApp(database, now)`), to test idle and absolute session timeouts; it also
 * exposes the session cookie, to test that signing in gives a new session id.
 */
export class MultiClockBrowser {
  private readonly cookies = new Map<string, string>();
  private lastBody = '';

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    this.lastBody = response.body;
  }

  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The session cookie's value (undefined once cleared). */
  sessionCookie(): string | undefined {
    return this.cookies.get('creneau_session');
  }

  /** Puts back an earlier session cookie (to replay an old session id). */
  useSessionCookie(value: string): void {
    this.cookies.set('creneau_session', value);
  }

  async get(app: FastifyInstance, url: string): Promise<LightMyRequestResponse> {
    const response = await app.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.remember(response);
    return response;
  }

  /** POSTs a form with the CSRF token of the last page. */
  async post(app: FastifyInstance, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const token = /name="_csrf" value="([^"]+)"/.exec(this.lastBody)?.[1] ?? '';
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
    this.remember(response);
    return response;
  }

  /** Signs an agent in through the real form on `app` (its clock is the sign-in instant). */
  async signIn(app: FastifyInstance, email: string, password: string = DEMO_PASSWORD): Promise<void> {
    await this.get(app, '/agents/connexion');
    const response = await this.post(app, '/agents/connexion', { email, motDePasse: password });
    expect(response.statusCode, `sign-in of ${email}`).toBe(303);
  }
}

import type { FastifyInstance } from 'fastify';
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

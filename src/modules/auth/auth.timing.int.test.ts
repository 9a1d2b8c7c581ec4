import { performance } from 'node:perf_hooks';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { MailDeliveryError, type Mailer } from '../../platform/mailer/index.js';
import { DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';

const ROUNDS = 9;
/** A slow SMTP relay: if a request waited for it, known addresses would answer 300 ms later. */
const SMTP_DELAY_MS = 300;
/** Allowed gap between the medians: well below the relay's delay, well above scheduling noise. */
const TOLERANCE_MS = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** What a visitor sees of an answer, without the per-page CSRF token. */
function shape(response: LightMyRequestResponse): { status: number; location: string | undefined; body: string } {
  return { status: response.statusCode, location: response.headers.location, body: response.body.replace(/name="_csrf" value="[^"]+"/g, '') };
}

async function appWith(database: TestDatabase, mailer: (base: Mailer) => Mailer): Promise<FastifyInstance> {
  const context = createTestContext(database);
  const app = await buildApp({ ...context, mailer: mailer(context.mailer) });
  await app.ready();
  return app;
}

describe('no timing oracle on account e-mails', () => {
  let database: TestDatabase;
  let slowApp: FastifyInstance;
  let failingApp: FastifyInstance;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, new Date('2026-11-24T09:00:00Z'));
    slowApp = await appWith(database, (base) => ({
      send: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, SMTP_DELAY_MS));
        return base.send(message);
      },
      close: () => base.close(),
    }));
    failingApp = await appWith(database, (base) => ({
      send: () => Promise.reject(new MailDeliveryError('SMTP 554 at DATA', { isRetryable: false, smtpResponseCode: 554 })),
      close: () => base.close(),
    }));
  });
  afterAll(async () => {
    await slowApp.close();
    await failingApp.close();
    await database.destroy();
  });

  async function submit(app: FastifyInstance, page: string, action: string, fields: Record<string, string>): Promise<{ response: LightMyRequestResponse; ms: number }> {
    const browser = new InjectSession(app);
    await browser.get(page);
    const started = performance.now();
    const response = await browser.post(action, fields);
    return { response, ms: performance.now() - started };
  }

  const forms: { name: string; page: string; action: string; fields: (email: string) => Record<string, string> }[] = [
    { name: 'sign-up', page: '/inscription', action: '/inscription', fields: (email) => ({ prenom: 'Jeanne', nom: 'Leroy', email, motDePasse: 'un chemin de traverse vers la mer' }) },
    { name: 'sign-in link', page: '/connexion/lien', action: '/connexion/lien', fields: (email) => ({ email }) },
    { name: 'password reset', page: '/mot-de-passe-oublie', action: '/mot-de-passe-oublie', fields: (email) => ({ email }) },
  ];

  for (const form of forms) {
    it(`answers the ${form.name} form alike, in the same time, for known and unknown addresses (slow SMTP relay)`, async () => {
      const known: number[] = [];
      const unknown: number[] = [];
      const shapes = new Set<string>();
      for (let round = 0; round < ROUNDS; round += 1) {
        counter += 1;
        const a = await submit(slowApp, form.page, form.action, form.fields(DEMO_USER_EMAIL));
        const b = await submit(slowApp, form.page, form.action, form.fields(`inconnu.${String(counter)}@example.fr`));
        known.push(a.ms);
        unknown.push(b.ms);
        shapes.add(JSON.stringify(shape(a.response)));
        shapes.add(JSON.stringify(shape(b.response)));
      }
      expect([...shapes].map((entry) => (JSON.parse(entry) as { status: number }).status)).toEqual([303]);
      expect(shapes.size).toBe(1);
      expect(Math.abs(median(known) - median(unknown))).toBeLessThan(TOLERANCE_MS);
      expect(median(known)).toBeLessThan(SMTP_DELAY_MS);
    });
  }

  it('answers the same when the SMTP relay refuses every message', async () => {
    for (const form of forms) {
      counter += 1;
      const failing = await submit(failingApp, form.page, form.action, form.fields(DEMO_USER_EMAIL));
      const unknown = await submit(failingApp, form.page, form.action, form.fields(`inconnu.${String(counter)}@example.fr`));
      expect(shape(failing.response)).toEqual(shape(unknown.response));
      expect(failing.response.statusCode).toBe(303);
    }
  });
});

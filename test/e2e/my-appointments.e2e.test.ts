import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { searchSlots } from '../../src/modules/availability/index.js';
import { issueAccessToken } from '../../src/modules/access-tokens/index.js';
import { bookAppointment, type BookedAppointment } from '../../src/modules/appointments/index.js';
import { DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from '../../src/seed/index.js';
import { epochMinutesToDate } from '../../src/shared/time/index.js';
import { createTestContext } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { accessibilityViolations, launchBrowser, openPage, screenshot } from './browser.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const DAY_MS = 86_400_000;

describe('"Mes rendez-vous" and appointment links in Chromium', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let appointment: BookedAppointment;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildApp(createTestContext(database, NOW));
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    const type = await database.db
      .selectFrom('appointment_types as t')
      .innerJoin('organisations as o', 'o.id', 't.organisation_id')
      .select('t.id')
      .where('o.slug', '=', 'mds-melun')
      .where('t.name', '=', 'Consultation de puériculture')
      .executeTakeFirstOrThrow();
    const camille = await database.db.selectFrom('users').select('id').where('email', '=', DEMO_USER_EMAIL).executeTakeFirstOrThrow();
    const from = new Date(NOW.getTime() + 10 * DAY_MS);
    const [slot] = await searchSlots(database.db, { appointmentTypeId: type.id, audience: 'public', from, to: new Date(from.getTime() + 14 * DAY_MS), now: NOW });
    if (slot === undefined) throw new Error('aucun créneau');
    const booked = await bookAppointment(database.db, {
      appointmentTypeId: type.id,
      startsAt: epochMinutesToDate(slot.startsAtEpochMinutes),
      placeId: slot.placeId,
      agentId: slot.agentIds[0] ?? null,
      userId: camille.id,
      bookedBy: { type: 'user', userId: camille.id },
      idempotencyKey: randomUUID(),
      now: NOW,
    });
    if (!booked.ok) throw new Error(booked.reason);
    appointment = booked.appointment;
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
    await database.destroy();
  });

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await accessibilityViolations(page), name).toEqual([]);
    await screenshot(page, name);
  }

  it('lists, confirms a cancel and offers a week to move to, every page free of axe-core violations', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/mes-rdv`);
    await page.getByLabel('Adresse e-mail').fill(DEMO_USER_EMAIL);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/mes-rdv$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mes rendez-vous');
    await expectAccessible(page, 'mes-rdv-1-list');

    await page.goto(`${baseUrl}/mes-rdv/${appointment.publicId}/annuler`);
    await expect(page.getByText('Confirmez-vous l’annulation ?').count()).resolves.toBe(1);
    await expectAccessible(page, 'mes-rdv-2-cancel');

    await page.goto(`${baseUrl}/mes-rdv/${appointment.publicId}/deplacer`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Déplacer le rendez-vous');
    await expectAccessible(page, 'mes-rdv-3-reschedule');
    await page.getByRole('button', { name: 'Déplacer à cet horaire' }).click();
    await expect(page.locator('#debut-erreur').textContent()).resolves.toContain('Choisissez un nouvel horaire');
    await expectAccessible(page, 'mes-rdv-4-reschedule-error');
  });

  it('asks the first letters of the last name on a link, with an accessible error', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: appointment.participationId, now: NOW });
    const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
    await page.goto(`${baseUrl}/rdv/lien/${token}`);
    await expectAccessible(page, 'rdv-lien-1-question');
    await page.getByLabel(/Les 3 premières lettres/).fill('xyz');
    await page.getByRole('button', { name: 'Voir le rendez-vous' }).click();
    await expect(page.locator('#lettres-erreur').textContent()).resolves.toContain('Il vous reste 4 essais');
    await expectAccessible(page, 'rdv-lien-2-error');
    await page.getByLabel(/Les 3 premières lettres/).fill('dur');
    await page.getByRole('button', { name: 'Voir le rendez-vous' }).click();
    await page.waitForURL(/\/rendez-vous$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Votre rendez-vous');
    await expectAccessible(page, 'rdv-lien-3-appointment');
  });
});

import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { seedDemoTerritory } from '../../src/seed/index.js';
import { createTestContext, TEST_NOW } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { accessibilityViolations, launchBrowser, openPage, screenshot } from './browser.js';

/**
 * A new usager books from the home page: address, motif, place, slot, sign-up confirmed through
 * the e-mail (read on the development outbox), details, confirmation — every page checked by
 * axe-core.
 */
describe('a new usager books an appointment in Chromium', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildApp(createTestContext(database));
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
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

  async function openLatestEmailLink(page: Page, subject: string): Promise<void> {
    await page.goto(`${baseUrl}/dev/outbox`);
    await page.getByRole('link', { name: subject }).first().click();
    const body = (await page.locator('pre').first().textContent()) ?? '';
    const link = /https?:\/\/\S+jeton=\S+/.exec(body)?.[0];
    expect(link, 'link in the e-mail').toBeDefined();
    await page.goto(`${baseUrl}${new URL(link!).pathname}${new URL(link!).search}`);
  }

  it('books from the home page and reads the confirmation', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Votre adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Service social' }).click();
    await page.getByRole('link', { name: 'Premier rendez-vous avec une assistante sociale — Sur place' }).click();
    // The nearest place offering this motif.
    await page.locator('.fr-card__title a').first().click();
    await page.locator('a.fr-tag').first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Identifiez-vous');
    await expectAccessible(page, 'booking-1-identify');

    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await expectAccessible(page, 'booking-2-sign-up');
    await page.getByLabel('Prénom').fill('Yasmine');
    await page.getByLabel('Nom', { exact: true }).fill('Belkacem');
    await page.getByLabel('Adresse e-mail').fill('yasmine.belkacem@example.fr');
    await page.getByLabel('Mot de passe').fill('les jardins suspendus de Melun');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Vérifiez votre boîte');

    await openLatestEmailLink(page, 'Confirmez votre adresse e-mail');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Vos informations');
    await expectAccessible(page, 'booking-3-details');
    await page.getByLabel('Téléphone portable').fill('06 11 22 33 44');
    await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    await expect(page.locator('h1').textContent()).resolves.toContain('Votre rendez-vous est confirmé');
    await expectAccessible(page, 'booking-4-confirmation');
    const booked = await database.db
      .selectFrom('participations as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.phone_number_e164'])
      .where('u.email', '=', 'yasmine.belkacem@example.fr')
      .executeTakeFirstOrThrow();
    expect(booked.phone_number_e164).toBe('+33611223344');
  });
});

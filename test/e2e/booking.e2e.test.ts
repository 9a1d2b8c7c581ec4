import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.js';
import { expectAccessible, linkOfLatestEmail, openPage, screenshot, startDemoServer, type DemoServer } from './browser.js';

/**
 * A new usager books from the home page: address, motif, place, slot, sign-up confirmed through
 * the e-mail (read on the development outbox), details, confirmation — every page checked by
 * axe-core. Then the appointment is moved and cancelled from "Mes rendez-vous".
 */
describe('a new usager books an appointment in Chromium', () => {
  let server: DemoServer;
  let database: TestDatabase;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ database, browser, baseUrl } = server);
  });
  afterAll(async () => {
    await server.close();
  });


  it('books from the home page, reads the confirmation, then moves and cancels the appointment', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Votre adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Service social' }).click();
    await page.getByRole('link', { name: 'Premier rendez-vous avec une assistante sociale — Sur place' }).click();
    // The nearest place offering this motif, a slot next week (far enough to be moved online).
    await page.locator('.fr-card__title a').first().click();
    await page.getByRole('link', { name: 'Semaine suivante' }).click();
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

    await page.goto(await linkOfLatestEmail(page, baseUrl, 'Confirmez votre adresse e-mail'));
    // The link opens a page with a button: nothing happens on the GET (login CSRF, mail scanners).
    await expectAccessible(page, 'booking-2b-activate-account');
    await page.getByLabel('Mot de passe choisi à l’inscription').fill('les jardins suspendus de Melun');
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
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

    const during = async (): Promise<string> =>
      (
        await database.db
          .selectFrom('appointments as a')
          .innerJoin('participations as p', 'p.appointment_id', 'a.id')
          .innerJoin('users as u', 'u.id', 'p.user_id')
          .select(['a.during'])
          .where('u.email', '=', 'yasmine.belkacem@example.fr')
          .executeTakeFirstOrThrow()
      ).during;
    await page.getByRole('link', { name: 'Voir mes rendez-vous' }).click();
    const before = await during();
    await page.getByRole('link', { name: 'Déplacer' }).first().click();
    // DSFR radios are drawn over a visually hidden input: check it as a click on its label would.
    await page.locator('input[name="debut"]').first().check({ force: true });
    await page.getByRole('button', { name: 'Déplacer à cet horaire' }).click();
    await page.waitForURL(/\/mes-rdv$/);
    expect(await during()).not.toBe(before);
    await expectAccessible(page, 'booking-5-moved');

    await page.getByRole('link', { name: 'Annuler' }).first().click();
    await page.getByRole('button', { name: 'Oui, annuler le rendez-vous' }).click();
    await page.waitForURL(/\/mes-rdv$/);
    const status = await database.db
      .selectFrom('appointments as a')
      .innerJoin('participations as p', 'p.appointment_id', 'a.id')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['a.status'])
      .where('u.email', '=', 'yasmine.belkacem@example.fr')
      .executeTakeFirstOrThrow();
    expect(status.status).toBe('excused');
    await expectAccessible(page, 'booking-6-cancelled');
  });

  it('can book with the keyboard only', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    const tabTo = async (matches: (state: { id: string; text: string; tag: string; href: string }) => boolean, label: string): Promise<void> => {
      for (let index = 0; index < 80; index += 1) {
        // A navigation started by the previous Enter may still be landing: wait for the page first.
        await page.waitForLoadState('load');
        await page.keyboard.press('Tab');
        const state = await page.evaluate<{ id: string; text: string; tag: string; href: string }>(
          '({ id: document.activeElement?.id ?? "", text: (document.activeElement?.textContent ?? "").trim(), tag: document.activeElement?.tagName ?? "", href: document.activeElement?.getAttribute("href") ?? "" })',
        );
        if (matches(state)) return;
      }
      throw new Error(`« ${label} » injoignable au clavier`);
    };
    await tabTo((state) => state.id === 'adresse', 'adresse');
    await page.keyboard.type('Fontainebleau');
    await page.keyboard.press('Enter');
    await page.waitForURL(/prendre-rdv/);
    await page.waitForLoadState();
    await tabTo((state) => state.text === 'PMI', 'PMI');
    await page.keyboard.press('Enter');
    await page.waitForURL(/service=/);
    await tabTo((state) => state.text === 'Consultation de puériculture — Sur place', 'motif');
    await page.keyboard.press('Enter');
    await page.waitForURL(/motif=/);
    await tabTo((state) => state.text === 'MDS de Fontainebleau', 'lieu');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lieu=/);
    await tabTo((state) => state.tag === 'A' && /^\d{1,2}h\d{2}$/.test(state.text), 'créneau');
    await page.keyboard.press('Enter');
    await page.waitForURL(/creneau/);
    // The identify step's own sign-in link (it brings the usager back to the slot), not the header's quick link.
    await tabTo((state) => state.text === 'Se connecter' && state.href.includes('retour='), 'se connecter');
    await page.keyboard.press('Enter');
    await page.waitForURL(/connexion/);
    await tabTo((state) => state.id === 'email', 'e-mail');
    await page.keyboard.type('camille.durand@demo.creneau.fr');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Creneau-demo-2026');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/prendre-rdv\/creneau\?/);
    await tabTo((state) => state.text === 'Confirmer le rendez-vous', 'confirmer');
    await page.keyboard.press('Enter');
    await page.waitForURL(/confirmation/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Votre rendez-vous est confirmé');
    await screenshot(page, 'booking-keyboard-confirmation');
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/modules/invitations/index.js';
import { TEST_NOW } from '../support/app.js';
import { expectAccessible, openPage, screenshot, startDemoServer, type DemoServer } from './browser.js';

describe('public funnel in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ browser, baseUrl } = server);
  });
  afterAll(async () => {
    await server.close();
  });


  it('goes from the address to a week of slots with every page free of axe-core violations', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Votre adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Quel service');
    await expectAccessible(page, 'funnel-1-services');
    await page.getByRole('link', { name: 'PMI' }).click();
    await expectAccessible(page, 'funnel-2-motifs');
    await page.getByRole('link', { name: 'Consultation de puériculture — Sur place' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Où souhaitez-vous');
    await expectAccessible(page, 'funnel-3-places');
    await page.getByRole('link', { name: 'MDS de Melun' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Choisissez un horaire');
    await expectAccessible(page, 'funnel-4-week');
  });

  it('announces a form error linked to its field, with the input kept', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Votre adresse').fill('zzzzqqqq xxyy');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.locator('#adresse-erreur').textContent()).resolves.toContain('Adresse introuvable');
    await expect(page.getByLabel('Votre adresse').inputValue()).resolves.toBe('zzzzqqqq xxyy');
    await expectAccessible(page, 'funnel-address-error');
  });

  it('can be walked with the keyboard only, at 320 px', async () => {
    const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
    await page.goto(`${baseUrl}/`);
    // Tab to the address field, type, submit with Enter.
    for (let index = 0; index < 10; index += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate<string | undefined>('document.activeElement?.id')) === 'adresse') break;
    }
    await page.keyboard.type('20 quai Hippolyte Rossignol 77000 Melun');
    await page.keyboard.press('Enter');
    await page.waitForURL(/prendre-rdv/);
    const focusLink = async (name: string): Promise<void> => {
      for (let index = 0; index < 40; index += 1) {
        await page.keyboard.press('Tab');
        const text = await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()');
        if (text === name) return;
      }
      throw new Error(`lien « ${name} » injoignable au clavier`);
    };
    await focusLink('PMI');
    await page.keyboard.press('Enter');
    await page.waitForURL(/service=/);
    await focusLink('Consultation de puériculture — Sur place');
    await page.keyboard.press('Enter');
    await page.waitForURL(/motif=/);
    await focusLink('MDS de Melun');
    await page.keyboard.press('Enter');
    await page.waitForURL(/lieu=/);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'funnel-week-320px');
  });

  it('keeps the other funnel pages free of axe-core violations: restriction, sign-in, prescripteur, slot gone, 404', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Votre adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'PMI' }).click();
    await page.getByRole('link', { name: 'Consultation prénatale avec une sage-femme — Sur place' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('À lire avant');
    await expectAccessible(page, 'funnel-restriction');
    await page.getByRole('link', { name: 'J’ai lu et j’accepte' }).click();
    await page.locator('.fr-card__title a').first().click();
    await page.locator('a.fr-tag').first().click();
    await page.getByRole('link', { name: 'Réserver en tant que prescripteur' }).click();
    await expectAccessible(page, 'funnel-prescripteur');
    await page.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    await expect(page.locator('#erreurs').count()).resolves.toBe(1);
    await expectAccessible(page, 'funnel-prescripteur-errors');
    await page.goto(`${baseUrl}/connexion`);
    await expectAccessible(page, 'sign-in');
    await page.goto(`${baseUrl}/prendre-rdv?motif=1&lieu=1&indisponible=1`);
    await expect(page.getByRole('heading', { level: 2, name: 'Ce créneau n’est plus disponible' }).count()).resolves.toBe(1);
    await expectAccessible(page, 'funnel-week-slot-gone');
    await page.goto(`${baseUrl}/nulle-part`);
    await expectAccessible(page, 'not-found');
  });

  it('asks an invited person for the first letters of their name, with an accessible error, then opens the funnel', async () => {
    const karim = await server.database.db.selectFrom('users').select('id').where('email', '=', 'karim.haddad@demo.creneau.fr').executeTakeFirstOrThrow();
    const melun = await server.database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const invitation = await createInvitation(server.database.db, { userId: karim.id, motifCategoryShortName: 'rsa_orientation', organisationIds: [melun.id], partner: 'rdv-insertion', now: TEST_NOW });
    if (!invitation.ok) throw new Error('invitation not created');
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/invitation/${invitation.token}`);
    await expectAccessible(page, 'invitation-proof');
    await page.getByLabel('Les 3 premières lettres de votre nom de famille').fill('xyz');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect(page.locator('#lettres-erreur').count()).resolves.toBe(1);
    await expectAccessible(page, 'invitation-proof-error');
    await page.getByLabel('Les 3 premières lettres de votre nom de famille').fill('Had');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/Quel|motif|service/i);
    await expectAccessible(page, 'invitation-funnel');
  });
});

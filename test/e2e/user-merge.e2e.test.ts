import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import type { TestDatabase } from '../support/database.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * Issue 10's merge in Chromium, every page checked by axe-core: the social worker of Melun finds
 * the demo duplicate of Élodie Lefèvre (« Elodie LEFEVRE », typed in a hurry), compares the two
 * records, keeps the new phone number and merges; the territorial admin then reads the journal of
 * consultations, filtered on Élodie.
 */
describe('merging the demo duplicate in Chromium', () => {
  let server: DemoServer;
  let database: TestDatabase;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ database, baseUrl } = server);
  });
  afterAll(async () => {
    await server.close();
  });

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${baseUrl}/agents/connexion`);
    await page.getByLabel('Adresse e-mail professionnelle').fill(email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
  }

  it('merges « Elodie LEFEVRE » into Élodie Lefèvre, then shows it in the journal', { timeout: 180_000 }, async () => {
    const melun = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    const elodie = await database.db.selectFrom('users').select('id').where('first_name', '=', 'Élodie').executeTakeFirstOrThrow();
    const duplicate = await database.db.selectFrom('users').select('id').where('first_name', '=', 'Elodie').where('last_name', '=', 'LEFEVRE').executeTakeFirstOrThrow();
    const agent = await openPage(server.browser);
    await signIn(agent, DEMO_AGENT_EMAILS.melunBasic);

    // 1. Find the duplicate among the usagers the agent may see.
    await agent.goto(`${baseUrl}/agents/organisations/${String(melun.id)}/usagers/${String(elodie.id)}/fusionner`);
    await expectAccessible(agent, 'merge-1-choose');
    await agent.getByLabel('Nom, prénom ou nom de naissance du doublon').fill('lefevre');
    await agent.getByRole('button', { name: 'Rechercher' }).click();
    await agent.waitForURL(/recherche=lefevre/);
    await expectAccessible(agent, 'merge-2-candidates');
    await agent.getByRole('link', { name: 'Comparer avec Elodie LEFEVRE' }).click();
    await agent.waitForURL(new RegExp(`avec=${String(duplicate.id)}`));

    // 2. Compare: the kept spelling of the name, the duplicate's phone and address.
    await expect(agent.locator('h1').textContent()).resolves.toBe('Fusionner Elodie LEFEVRE dans Élodie Lefèvre');
    await expectAccessible(agent, 'merge-3-compare');
    await expect(agent.locator('#nom-conserve').isChecked()).resolves.toBe(true);
    await agent.locator('#telephone-fusionne').check({ force: true });
    await agent.getByRole('button', { name: 'Fusionner les deux fiches' }).click();
    await agent.waitForURL(/\/fusionner\/resultat$/);
    await expect(agent.locator('main').textContent()).resolves.toContain(`La fiche n° ${String(duplicate.id)} a été fusionnée dans celle de Élodie Lefèvre`);
    await expectAccessible(agent, 'merge-4-done');
    const kept = await database.db.selectFrom('users').select(['phone_number_e164', 'last_name']).where('id', '=', elodie.id).executeTakeFirstOrThrow();
    expect(kept).toEqual({ phone_number_e164: '+33612345693', last_name: 'Lefèvre' });
    const erased = await database.db.selectFrom('users').select('deleted_at').where('id', '=', duplicate.id).executeTakeFirstOrThrow();
    expect(erased.deleted_at).not.toBeNull();

    // 3. The territorial admin reads who compared Élodie's records.
    const admin = await openPage(server.browser);
    await signIn(admin, DEMO_AGENT_EMAILS.melunAdmin);
    await admin.getByRole('link', { name: 'Journal des consultations' }).click();
    await admin.waitForURL(/journal-des-consultations/);
    await expectAccessible(admin, 'merge-5-journal');
    await admin.getByLabel('Numéro d’usager').fill(String(elodie.id));
    await admin.getByRole('button', { name: 'Filtrer' }).click();
    await admin.waitForURL(new RegExp(`usager=${String(elodie.id)}`));
    const table = (await admin.locator('table').textContent()) ?? '';
    expect(table).toContain('Fiches comparées pour une fusion');
    expect(table).toContain('Nadia Benali');
    await expectAccessible(admin, 'merge-6-journal-filtered');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * The users directory in Chromium, every page checked by axe-core: the secretariat of Melun
 * searches « Elodi Lefevr » (misspelt, no accents) and finds Élodie Lefèvre of the demo data,
 * opens her page (journalled), then opens the creation form and sends it with errors.
 */
describe('the users directory in Chromium', () => {
  let server: DemoServer;

  beforeAll(async () => {
    server = await startDemoServer();
  }, 180_000);
  afterAll(async () => {
    await server.close();
  });

  it('finds a misspelt accented name, opens the user page, and shows the form’s errors', { timeout: 180_000 }, async () => {
    const { baseUrl, database } = server;
    const page = await openPage(server.browser);
    await page.goto(`${baseUrl}/agents/connexion`);
    await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);

    await page.getByRole('link', { name: 'Usagers' }).click();
    await page.waitForURL(/\/usagers$/);
    await page.getByLabel('Rechercher un usager').fill('Elodi Lefevr');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/recherche=Elodi/);
    const table = page.getByRole('table');
    expect(await table.locator('caption').textContent()).toContain('Elodi Lefevr');
    // Élodie Lefèvre and the demo's duplicate of her (« Elodie LEFEVRE », to be merged) lead the results.
    const leading = await table.locator('tbody tr').getByRole('link').allTextContents();
    expect(leading.slice(0, 2).sort()).toEqual(['LEFEVRE Elodie', 'LEFÈVRE Élodie']);
    await expectAccessible(page, 'usagers-recherche');

    await table.getByRole('link', { name: 'LEFÈVRE Élodie' }).click();
    await page.waitForURL(/\/usagers\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Élodie');
    expect(await page.getByText('1996', { exact: false }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'usagers-fiche');
    const views = await database.db.selectFrom('read_journal').select(['kind', 'user_ids']).orderBy('id').execute();
    expect(views.map((entry) => entry.kind)).toEqual(['user_search', 'user_view']);

    await page.goto(page.url().replace(/\/\d+$/, '/nouveau'));
    await page.getByLabel('Prénom').fill('Léo');
    await page.getByLabel('Téléphone').fill('12');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/usagers\/nouveau$/);
    expect(await page.locator('#erreurs').textContent()).toContain('Saisissez le nom.');
    expect(await page.getByLabel('Prénom').inputValue()).toBe('Léo');
    await expectAccessible(page, 'usagers-creation-erreur');
    await page.close();
  });
});

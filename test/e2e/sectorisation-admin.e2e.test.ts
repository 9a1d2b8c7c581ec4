import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DSFR_THEME, useTheme } from '../../src/platform/views/theme.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * Sectorisation administration in Chromium, in both themes, every page checked by axe-core: the
 * territorial admin of the 77 uploads a zones CSV with one bad line (the error is shown by line,
 * nothing is written), fixes it, sees the dry run, confirms, then tests an address of the new
 * street zone on the test page. The demo's territorial admin of the 77 is the secretariat of
 * Melun (the seed has no separate admin.77 account on this branch).
 */
const THEMES = [
  { name: 'dsfr', config: {} },
  { name: 'neutral', config: { theme: loadConfig({ THEME: 'neutral', THEME_SERVICE_NAME: 'RDV Solidarités', THEME_OPERATOR_NAME: 'Département de Seine-et-Marne' }).theme } },
] as const;

describe.each(THEMES)('sectorisation administration in Chromium, theme $name', (theme) => {
  let server: DemoServer;

  beforeAll(async () => {
    server = await startDemoServer({ config: theme.config });
  }, 180_000);
  afterAll(async () => {
    await server.close();
    useTheme(DSFR_THEME);
  });

  it('imports a zones CSV after fixing its bad line, then tests an address', { timeout: 480_000 }, async () => {
    const { baseUrl, database } = server;
    const a11y = (name: string) => `sectorisation-${theme.name}-${name}`;
    const territoryId = (await database.db.selectFrom('territories').select('id').where('departement_number', '=', '77').executeTakeFirstOrThrow()).id;
    const zoneCount = async () => Number((await database.db.selectFrom('zones').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const page = await openPage(server.browser);
    await page.goto(`${baseUrl}/agents/connexion`);
    await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);

    const base = `${baseUrl}/agents/territoires/${String(territoryId)}/sectorisation`;
    await page.goto(base);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sectorisation');
    expect(await page.getByRole('table').locator('caption').textContent()).toContain('Secteurs du territoire');
    await expectAccessible(page, a11y('secteurs'));

    // A new sector for the street zones, through its form (with an error first).
    await page.getByRole('link', { name: 'Créer un secteur' }).click();
    await page.waitForURL(/\/secteurs\/nouveau$/);
    await expectAccessible(page, a11y('secteur-nouveau'));
    await page.getByLabel('Nom du secteur').fill('Melun centre');
    await page.getByLabel('Identifiant').fill('Melun Centre');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    expect(await page.locator('#erreurs').textContent()).toContain('minuscules, chiffres, tirets et soulignés');
    expect(await page.getByLabel('Nom du secteur').inputValue()).toBe('Melun centre');
    await expectAccessible(page, a11y('secteur-nouveau-erreur'));
    await page.getByLabel('Identifiant').fill('melun-centre');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/secteurs\/\d+$/);
    const sectorUrl = page.url();
    await page.getByRole('combobox', { name: /Organisation ou agent/ }).selectOption({ label: 'Maison départementale des solidarités de Melun' });
    await page.getByRole('button', { name: 'Attribuer' }).click();
    await page.waitForURL(sectorUrl);
    expect(await page.getByRole('status').first().textContent()).toContain('Le secteur a été attribué.');
    await expectAccessible(page, a11y('secteur'));

    // The import: one bad line (line 3, a 4-digit INSEE code).
    await page.goto(base);
    await page.getByRole('link', { name: 'Importer des zones (CSV)' }).click();
    await page.waitForURL(/\/import$/);
    await expectAccessible(page, a11y('import'));
    const header = 'secteur;code_insee;nom_commune;id_voie_ban;nom_voie';
    const bad = `${header}\nmelun-centre;77288;Melun;77288_0740;Quai Hippolyte Rossignol\nmelun-centre;7728;Melun;;\n`;
    const before = await zoneCount();
    await page.getByLabel('Fichier des zones').setInputFiles({ name: 'zones-melun.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#erreurs').textContent()).toContain('Le fichier contient une erreur : rien n’a été enregistré');
    const errorRow = page.getByRole('table').locator('tbody tr').first();
    expect(await errorRow.locator('td').allTextContents()).toEqual(['3', 'code_insee', '« 7728 » n’est pas un code INSEE de commune (5 caractères, exemple : 14118)']);
    expect(await zoneCount()).toBe(before);
    await expectAccessible(page, a11y('import-erreur'));

    // Fixed: the dry run shows what would change, still nothing written.
    const fixed = `${header}\nmelun-centre;77288;Melun;77288_0740;Quai Hippolyte Rossignol\nmelun-centre;77285;Le Mée-sur-Seine;;\n`;
    await page.getByLabel('Fichier des zones').setInputFiles({ name: 'zones-melun.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed, 'utf8') });
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('L’import créerait 2 zones, en modifierait 0 et en supprimerait 0.');
    expect(await zoneCount()).toBe(before);
    await expectAccessible(page, a11y('import-simulation'));
    await page.getByRole('button', { name: 'Confirmer l’import' }).click();
    await page.waitForURL(base);
    expect(await page.getByRole('status').first().textContent()).toContain('Import appliqué : 2 zone(s) créée(s), 0 modifiée(s), 0 supprimée(s).');
    expect(await zoneCount()).toBe(before + 2);
    await expectAccessible(page, a11y('secteurs-apres-import'));

    // The sector's deletion page (not confirmed).
    await page.goto(`${sectorUrl}/supprimer`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Supprimer le secteur « Melun centre » ?');
    await expectAccessible(page, a11y('secteur-suppression'));

    // The test page: the street zone wins over Melun's commune zone.
    await page.goto(base);
    await page.getByRole('link', { name: 'Tester une adresse' }).click();
    await page.waitForURL(/\/test$/);
    await expectAccessible(page, a11y('test'));
    await page.getByLabel('Adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await page.getByRole('button', { name: 'Tester' }).click();
    await page.waitForURL(/\/test\?adresse=/);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain('20 Quai Hippolyte Rossignol 77000 Melun');
    expect(await page.getByText('Melun centre (melun-centre) — par la rue').count()).toBe(1);
    expect(await page.getByText('Organisation : Maison départementale des solidarités de Melun').count()).toBe(1);
    expect(await page.getByRole('table').locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page, a11y('test-resultat'));
    await page.close();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DSFR_THEME, useTheme } from '../../src/platform/views/theme.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * Organisation administration in Chromium, in both themes: the admin of Melun opens the
 * « Administration » section, the organisation's details (with an error), creates a place through
 * the map-free address confirmation, creates a motif (after an error), duplicates it and archives
 * the copy. Every page of the module is checked by axe-core.
 */
for (const themeName of ['dsfr', 'neutral'] as const) {
  describe(`organisation administration in Chromium (theme ${themeName})`, () => {
    let server: DemoServer;
    let folder: string;

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'creneau-orgadmin-e2e-'));
      if (themeName === 'dsfr') {
        server = await startDemoServer();
        return;
      }
      const logoPath = path.join(folder, 'logo.svg');
      await writeFile(logoPath, '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48"><rect width="160" height="48" fill="#0b5e3f"/></svg>');
      const theme = loadConfig({ THEME: 'neutral', THEME_SERVICE_NAME: 'RDV Solidarités', THEME_OPERATOR_NAME: 'Département de Seine-et-Marne', THEME_LOGO_PATH: logoPath, THEME_LOGO_ALT: 'Département de Seine-et-Marne', THEME_PRIMARY_COLOR: '#0b5e3f' }).theme;
      server = await startDemoServer({ config: { theme } });
    }, 180_000);
    afterAll(async () => {
      await server.close();
      useTheme(DSFR_THEME);
      await rm(folder, { recursive: true, force: true });
    });

    it('creates a place with its address confirmed, a motif, duplicates it and archives the copy', { timeout: 480_000 }, async () => {
      const { baseUrl, database } = server;
      const check = (name: string) => expectAccessible(page, `administration-${themeName}-${name}`);
      const page = await openPage(server.browser);
      const problems: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 500) problems.push(`${String(response.status())} ${response.url()}`);
      });
      await page.goto(`${baseUrl}/agents/connexion`);
      await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
      await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);

      await page.getByRole('link', { name: 'Administration', exact: true }).first().click();
      await page.waitForURL(/\/administration$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Administration de l’organisation');
      expect(await page.getByRole('link', { name: 'Équipes' }).getAttribute('href')).toMatch(/\/administration\/equipes$/);
      await check('accueil');

      // Organisation details: an error is shown with the input kept.
      await page.getByRole('link', { name: 'Informations de l’organisation' }).click();
      await page.waitForURL(/\/administration\/organisation$/);
      await check('organisation');
      await page.getByLabel('Lien public').fill('MDS Melun');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#erreurs').textContent()).toContain('Lien public invalide');
      expect(await page.getByLabel('Lien public').inputValue()).toBe('MDS Melun');
      await check('organisation-erreur');

      // A place, through the confirmation of the address found.
      await page.getByRole('link', { name: 'Administration', exact: true }).first().click();
      await page.getByRole('link', { name: 'Lieux' }).first().click();
      await page.waitForURL(/\/administration\/lieux$/);
      await check('lieux');
      await page.getByRole('link', { name: 'Ajouter un lieu' }).click();
      await page.waitForURL(/\/lieux\/nouveau$/);
      await check('lieu-nouveau');
      await page.getByLabel('Nom du lieu').fill('Antenne de Fontainebleau');
      await page.getByLabel('Adresse', { exact: false }).first().fill('14 rue de la Paroisse 77300 Fontainebleau');
      await page.getByLabel('Accessibilité').fill('Accès de plain-pied, boucle magnétique à l’accueil.');
      await page.getByRole('button', { name: 'Vérifier l’adresse' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Vérifiez l’adresse trouvée');
      const found = await page.locator('form').last().textContent();
      expect(found).toContain('code INSEE 77186');
      expect(found).toMatch(/48,\d{5}° N, 2,\d{5}° E/);
      await check('lieu-confirmation');
      await page.getByRole('button', { name: 'Confirmer cette adresse et enregistrer' }).click();
      await page.waitForURL(/\/administration\/lieux$/);
      expect(await page.getByRole('status').first().textContent()).toContain('Antenne de Fontainebleau');
      await page.getByRole('link', { name: 'Modifier Antenne de Fontainebleau' }).click();
      await page.waitForURL(/\/lieux\/\d+\/modifier$/);
      expect(await page.getByLabel('Fuseau horaire').inputValue()).toBe('Europe/Paris');
      await check('lieu-modifier');
      const place = await database.db.selectFrom('places').select(['latitude', 'accessibility_notes']).where('name', '=', 'Antenne de Fontainebleau').executeTakeFirstOrThrow();
      expect(place.latitude).not.toBeNull();

      // A motif: an error first, then saved; duplicated; the copy archived.
      await page.getByRole('link', { name: 'Administration', exact: true }).first().click();
      await page.getByRole('link', { name: 'Motifs' }).first().click();
      await page.waitForURL(/\/administration\/motifs$/);
      await check('motifs');
      await page.getByRole('link', { name: 'Créer un motif' }).click();
      await page.waitForURL(/\/motifs\/nouveau$/);
      await check('motif-nouveau');
      await page.getByLabel('Délai maximum de réservation').fill('0');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForLoadState('load');
      const summary = await page.locator('#erreurs').textContent();
      expect(summary).toContain('Saisissez le nom du motif');
      expect(summary).toContain('Choisissez un service proposé par le territoire.');
      expect(summary).toContain('Délai maximum invalide');
      await check('motif-erreur');
      await page.getByLabel('Nom du motif').fill('Permanence logement');
      await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Service social' });
      await page.getByLabel('Délai maximum de réservation').fill('60');
      await page.getByLabel('Second rappel').fill('2');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForURL(/\/administration\/motifs$/);
      expect(await page.getByRole('status').first().textContent()).toContain('Permanence logement');
      await page.getByRole('button', { name: 'Dupliquer Permanence logement' }).click();
      await page.waitForURL(/\/motifs\/\d+\/modifier$/);
      expect(await page.getByLabel('Nom du motif').inputValue()).toBe('Permanence logement (copie)');
      expect(await page.getByLabel('Second rappel').inputValue()).toBe('2');
      await check('motif-copie');
      await page.getByRole('link', { name: 'Motifs', exact: true }).first().click();
      await page.waitForURL(/\/administration\/motifs$/);
      await page.getByRole('button', { name: 'Archiver Permanence logement (copie)' }).click();
      await page.waitForURL(/\/administration\/motifs$/);
      expect(await page.getByRole('status').first().textContent()).toContain('Le motif a été archivé');
      expect(await page.getByRole('table', { name: 'Motifs archivés' }).textContent()).toContain('Permanence logement (copie)');
      await check('motifs-archive');

      const motifs = await database.db.selectFrom('appointment_types').select(['name', 'archived_at', 'max_booking_notice_minutes']).where('name', 'like', 'Permanence logement%').orderBy('id').execute();
      expect(motifs.map((motif) => [motif.name, motif.archived_at !== null, motif.max_booking_notice_minutes])).toEqual([
        ['Permanence logement', false, 60 * 1440],
        ['Permanence logement (copie)', true, 60 * 1440],
      ]);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DSFR_THEME, useTheme } from '../../src/platform/views/theme.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { prepareTerritoryAdmins } from '../support/territory-admins.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * The territory administration in Chromium (ADR 0030): the territorial admin of Seine-et-Marne
 * creates an organisation, enables a social field, adds a local closure and names another
 * territorial admin; every page of the module has zero axe-core violations, in the DSFR theme and
 * in the neutral theme.
 */

async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/agents/connexion`);
  await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.territoryAdmin77);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
}

/** Every page (GET) of the module for the territory, with ids of its records. */
async function modulePages(server: DemoServer, territoryId: number): Promise<{ name: string; path: string }[]> {
  const db = server.database.db;
  const melun = await db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
  const nadia = await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow();
  const base = `/agents/territoires/${String(territoryId)}`;
  return [
    { name: 'hub', path: base },
    { name: 'organisations', path: `${base}/organisations` },
    { name: 'organisation-creation', path: `${base}/organisations/nouvelle` },
    { name: 'organisation-modification', path: `${base}/organisations/${String(melun.id)}/modifier` },
    { name: 'agents', path: `${base}/agents?organisation=${String(melun.id)}` },
    { name: 'agent', path: `${base}/agents/${String(nadia.id)}` },
    { name: 'invitation', path: `${base}/agents/inviter` },
    { name: 'services', path: `${base}/services` },
    { name: 'champs', path: `${base}/champs` },
    { name: 'jours-feries', path: `${base}/jours-feries` },
  ];
}

describe('the territory administration in Chromium', () => {
  const servers: DemoServer[] = [];
  let folder: string | undefined;

  afterAll(async () => {
    for (const server of servers) await server.close();
    useTheme(DSFR_THEME);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  it('admin.77 creates an organisation, enables a social field, adds a local closure and names a territorial admin (DSFR theme, axe-core on every page)', { timeout: 300_000 }, async () => {
    const server = await startDemoServer();
    servers.push(server);
    const { baseUrl, database } = server;
    const { territory77 } = await prepareTerritoryAdmins(database.db);
    const page = await openPage(server.browser);
    await signIn(page, baseUrl);

    // The workspace's navigation leads to the territory.
    await page.getByRole('link', { name: 'Territoire', exact: true }).first().click();
    await page.waitForURL(new RegExp(`/agents/territoires/${String(territory77)}$`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Seine-et-Marne (77)');
    await expectAccessible(page, 'territoire-accueil');

    // An organisation: first with errors (kept input), then created.
    await page.getByRole('link', { name: 'Organisations', exact: true }).click();
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await page.locator('#nom').fill('MDS de Provins');
    await page.getByLabel('Identifiant du lien public').fill('MDS Provins');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    expect(await page.locator('#erreurs').textContent()).toContain('L’identifiant du lien public ne contient que');
    expect(await page.locator('#nom').inputValue()).toBe('MDS de Provins');
    await expectAccessible(page, 'territoire-organisation-erreur');
    await page.getByLabel('Identifiant du lien public').fill('mds-provins');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    await page.waitForURL(/\/organisations$/);
    expect(await page.getByRole('status').textContent()).toContain('MDS de Provins');
    expect(await page.getByRole('table').getByRole('rowheader', { name: 'MDS de Provins' }).count()).toBe(1);
    expect((await database.db.selectFrom('organisations').select(['territory_id', 'time_zone']).where('slug', '=', 'mds-provins').executeTakeFirstOrThrow())).toEqual({ territory_id: territory77, time_zone: 'Europe/Paris' });

    // A social field of the users directory.
    await page.getByRole('link', { name: /Territoire Seine-et-Marne/ }).click();
    await page.getByRole('link', { name: 'Champs et annuaire des usagers' }).click();
    // The DSFR draws the checkbox on its label: a person clicks the label.
    await page.locator('label[for="champ-housing"]').click();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/champs$/);
    expect(await page.getByLabel('Logement').isChecked()).toBe(true);
    expect((await database.db.selectFrom('territories').select('user_fields').where('id', '=', territory77).executeTakeFirstOrThrow()).user_fields).toContain('housing');

    // A local closure.
    await page.getByRole('link', { name: /Territoire Seine-et-Marne/ }).click();
    await page.getByRole('link', { name: 'Jours fériés et fermetures' }).click();
    await page.getByLabel('Libellé').fill('Fermeture exceptionnelle');
    await page.getByLabel('Premier jour').fill('2026-12-24');
    await page.getByRole('button', { name: 'Ajouter la fermeture' }).click();
    await page.waitForURL(/\/jours-feries$/);
    const closures = page.getByRole('table', { name: /Fermetures locales/ });
    expect(await closures.getByRole('rowheader').allTextContents()).toEqual(['Fermeture exceptionnelle']);
    await expectAccessible(page, 'territoire-jours-feries');

    // A territorial admin.
    await page.getByRole('link', { name: /Territoire Seine-et-Marne/ }).click();
    await page.getByRole('link', { name: 'Agents et rôles' }).click();
    await page.getByLabel('Nom ou adresse e-mail').fill('Benali');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('link', { name: 'Gérer les rôles de Nadia Benali' }).click();
    await page.getByRole('button', { name: 'Nommer administrateur du territoire' }).click();
    expect(await page.getByRole('status').textContent()).toContain('administre maintenant le territoire');
    const nadia = await database.db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow();
    expect(await database.db.selectFrom('agent_territorial_roles').select('territory_id').where('agent_id', '=', nadia.id).execute()).toEqual([{ territory_id: territory77 }]);
    await expectAccessible(page, 'territoire-agent');

    for (const each of await modulePages(server, territory77)) {
      await page.goto(`${baseUrl}${each.path}`);
      expect(await page.title(), each.path).not.toContain('introuvable');
      await expectAccessible(page, `territoire-dsfr-${each.name}`);
    }
    await page.close();
  });

  it('every page of the module keeps zero axe-core violations in the neutral theme', { timeout: 300_000 }, async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'creneau-territory-e2e-'));
    const logoPath = path.join(folder, 'logo.svg');
    await writeFile(logoPath, '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48"><rect width="160" height="48" fill="#0b5e3f"/></svg>');
    const theme = loadConfig({ THEME: 'neutral', THEME_SERVICE_NAME: 'RDV Solidarités', THEME_OPERATOR_NAME: 'Département de Seine-et-Marne', THEME_LOGO_PATH: logoPath, THEME_LOGO_ALT: 'Département de Seine-et-Marne', THEME_PRIMARY_COLOR: '#0b5e3f' }).theme;
    const server = await startDemoServer({ config: { theme } });
    servers.push(server);
    const { territory77 } = await prepareTerritoryAdmins(server.database.db);
    const page = await openPage(server.browser);
    await signIn(page, server.baseUrl);
    expect(await page.locator('.fr-logo').count()).toBe(0);
    for (const each of await modulePages(server, territory77)) {
      await page.goto(`${server.baseUrl}${each.path}`);
      expect(await page.getByRole('heading', { level: 1 }).count(), each.path).toBe(1);
      await expectAccessible(page, `territoire-neutre-${each.name}`);
    }
    // A 422 page too (error summary, invalid fields).
    await page.goto(`${server.baseUrl}/agents/territoires/${String(territory77)}/jours-feries`);
    await page.getByRole('button', { name: 'Ajouter la fermeture' }).click();
    expect(await page.locator('#erreurs').textContent()).toContain('Saisissez le libellé');
    await expectAccessible(page, 'territoire-neutre-fermeture-erreur');
    await page.close();
  });
});

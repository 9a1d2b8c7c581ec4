import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DSFR_THEME, useTheme } from '../../src/platform/views/theme.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * Agents administration and teams in Chromium (ADR 0029): the Melun admin creates an intervenant,
 * changes a service, creates a team with two agents and tries to remove an agent who has future
 * appointments (the list is shown); every page of the module has zero axe-core violations, in the
 * DSFR theme and in the neutral theme.
 */

async function signIn(page: Page, server: DemoServer): Promise<string> {
  await page.goto(`${server.baseUrl}/agents/connexion`);
  await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
  const organisation = /\/agents\/organisations\/(\d+)\//.exec(page.url())?.[1] ?? '';
  return `${server.baseUrl}/agents/organisations/${organisation}/agents`;
}

async function agentId(server: DemoServer, email: string): Promise<number> {
  return (await server.database.db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** Every page of the module, and its refusal states, checked with axe-core. */
async function checkEveryPage(page: Page, server: DemoServer, agents: string, theme: string): Promise<void> {
  const nadia = await agentId(server, DEMO_AGENT_EMAILS.melunBasic);
  const claire = await agentId(server, 'pmi.melun@demo.creneau.fr');
  const sophie = await agentId(server, DEMO_AGENT_EMAILS.melunAdmin);
  await page.goto(agents);
  await expectAccessible(page, `${theme}-agents-list`);
  await page.goto(`${agents}/nouvel-intervenant`);
  await expectAccessible(page, `${theme}-intervenant-form`);
  await page.getByRole('button', { name: 'Créer l’intervenant' }).click();
  await page.waitForLoadState('load');
  await expect(page.getByText('Saisissez le prénom de l’intervenant.').first().isVisible()).resolves.toBe(true);
  await expectAccessible(page, `${theme}-intervenant-form-errors`);
  await page.goto(`${agents}/${String(claire)}`);
  await expectAccessible(page, `${theme}-agent-page`);
  await page.goto(`${agents}/${String(sophie)}`);
  await page.locator('#niveau-basic').check({ force: true });
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForLoadState('load');
  await expect(page.getByText('dernier administrateur').first().isVisible()).resolves.toBe(true);
  await expectAccessible(page, `${theme}-agent-page-last-admin`);
  await page.goto(`${agents}/${String(nadia)}/retrait`);
  await expectAccessible(page, `${theme}-removal-blocked`);
  await page.goto(`${agents}/${String(claire)}/retrait`);
  await expectAccessible(page, `${theme}-removal-${(await page.getByRole('table').count()) > 0 ? 'blocked-2' : 'confirm'}`);
  await page.goto(`${agents}/equipes`);
  await expectAccessible(page, `${theme}-teams`);
  await page.getByRole('link', { name: 'Équipe PMI Seine-et-Marne' }).click();
  await page.waitForURL(/\/equipes\/\d+/);
  await expectAccessible(page, `${theme}-team-shared`);
}

describe('agents administration and teams in Chromium (DSFR theme)', () => {
  let server: DemoServer;

  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('the Melun admin creates an intervenant, changes a service, builds a team and meets the removal’s list', { timeout: 240_000 }, async () => {
    const page = await openPage(server.browser);
    const agents = await signIn(page, server);
    await page.getByRole('link', { name: 'Agents', exact: true }).first().click();
    await page.waitForURL(/\/agents$/);

    // An intervenant: names and a service, no address.
    await page.getByRole('link', { name: 'Créer un intervenant' }).click();
    await page.getByLabel('Prénom').fill('Hugo');
    await page.getByLabel('Nom', { exact: true }).fill('Garnier');
    await page.getByLabel('Insertion et RSA').check({ force: true });
    await page.getByRole('button', { name: 'Créer l’intervenant' }).click();
    await page.waitForURL(/\/agents\/\d+\?info=cree/);
    await expect(page.getByRole('heading', { level: 1, name: 'Hugo Garnier' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('L’intervenant a été créé.').isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'dsfr-intervenant-created');

    // A service changed on Claire Moreau's page.
    await page.goto(agents);
    await page.getByRole('link', { name: 'Claire Moreau' }).click();
    await page.getByLabel('Service social').check({ force: true });
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/info=enregistre/);
    await expect(page.getByText('Les modifications ont été enregistrées.').isVisible()).resolves.toBe(true);
    const claire = await agentId(server, 'pmi.melun@demo.creneau.fr');
    const services = await server.database.db.selectFrom('agent_services').innerJoin('services', 'services.id', 'agent_services.service_id').select('services.short_name').where('agent_id', '=', claire).orderBy('short_name').execute();
    expect(services.map((row) => row.short_name)).toEqual(['PMI', 'Service social']);

    // A team with two agents.
    await page.goto(agents);
    await page.getByRole('link', { name: 'Équipes', exact: true }).last().click();
    await page.waitForURL(/\/equipes$/);
    await page.getByLabel('Nom de l’équipe').fill('Accueil Melun');
    await page.getByRole('button', { name: 'Créer l’équipe' }).click();
    await page.waitForURL(/\/equipes\/\d+\?info=equipe-creee/);
    for (const name of ['Nadia Benali', 'Claire Moreau']) {
      await page.getByLabel('Agent de l’organisation').selectOption({ label: name });
      await page.getByRole('button', { name: 'Ajouter à l’équipe' }).click();
      await page.waitForURL(/info=membre-ajoute/);
    }
    const members = page.getByRole('table', { name: 'Membres de l’équipe dans l’organisation' });
    await expect(members.getByRole('link', { name: 'Nadia Benali' }).isVisible()).resolves.toBe(true);
    await expect(members.getByRole('link', { name: 'Claire Moreau' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'dsfr-team');

    // Removing Nadia Benali, who has appointments to come: refused, listed with links.
    await members.getByRole('link', { name: 'Nadia Benali' }).click();
    await page.getByRole('link', { name: /Retirer Nadia Benali de l’organisation/ }).click();
    await page.waitForURL(/\/retrait$/);
    await expect(page.getByRole('heading', { name: /rendez-vous à venir empêche/ }).isVisible()).resolves.toBe(true);
    const rows = page.getByRole('table', { name: /Rendez-vous à venir de Nadia Benali/ }).getByRole('link', { name: /Réattribuer ou annuler/ });
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().getAttribute('href')).toMatch(/^\/agents\/organisations\/\d+\/rdv\/\d+$/);
    await expect(page.getByRole('button', { name: 'Retirer de l’organisation' }).count()).resolves.toBe(0);

    await checkEveryPage(page, server, agents, 'dsfr');
  });
});

describe('agents administration and teams in Chromium (neutral theme)', () => {
  let server: DemoServer;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'creneau-agents-e2e-'));
    const logoPath = path.join(folder, 'logo.svg');
    await writeFile(logoPath, '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48"><rect width="160" height="48" fill="#0b5e3f"/></svg>');
    const theme = loadConfig({ THEME: 'neutral', THEME_SERVICE_NAME: 'RDV Solidarités', THEME_OPERATOR_NAME: 'Département du Calvados', THEME_LOGO_PATH: logoPath, THEME_LOGO_ALT: 'Département du Calvados', THEME_PRIMARY_COLOR: '#0b5e3f' }).theme;
    server = await startDemoServer({ config: { theme } });
  });
  afterAll(async () => {
    await server.close();
    useTheme(DSFR_THEME);
    await rm(folder, { recursive: true, force: true });
  });

  it('every page of the module has zero axe-core violations', { timeout: 240_000 }, async () => {
    const page = await openPage(server.browser);
    const agents = await signIn(page, server);
    await checkEveryPage(page, server, agents, 'neutral');
  });
});

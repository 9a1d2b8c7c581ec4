import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DSFR_THEME, useTheme } from '../../src/platform/views/theme.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * The neutral theme (THEME=neutral) in Chromium: the pages a citizen and an agent meet keep zero
 * axe-core violations with another colour and font, show the operator's logo and never the
 * State's brand, and load no Marianne font.
 */
describe('the neutral theme in Chromium', () => {
  let server: DemoServer;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'creneau-theme-e2e-'));
    const logoPath = path.join(folder, 'logo.svg');
    await writeFile(logoPath, '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48"><rect width="160" height="48" fill="#0b5e3f"/><text x="8" y="30" fill="#fff" font-size="16">Calvados</text></svg>');
    const theme = loadConfig({ THEME: 'neutral', THEME_SERVICE_NAME: 'RDV Solidarités', THEME_OPERATOR_NAME: 'Département du Calvados', THEME_LOGO_PATH: logoPath, THEME_LOGO_ALT: 'Département du Calvados', THEME_PRIMARY_COLOR: '#0b5e3f' }).theme;
    server = await startDemoServer({ config: { theme } });
  });
  afterAll(async () => {
    await server.close();
    useTheme(DSFR_THEME);
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps the home page, the funnel and the agent workspace free of axe-core violations, in the operator’s colour', { timeout: 180_000 }, async () => {
    const page = await openPage(server.browser);
    const fonts: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (/marianne|spectral/i.test(request.url())) fonts.push(request.url());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${String(response.status())} ${response.url()}`);
    });
    await page.goto(`${server.baseUrl}/`);
    await expectAccessible(page, 'theme-neutral-home');
    expect(await page.locator('.fr-logo').count()).toBe(0);
    await expect(page.getByRole('img', { name: 'Département du Calvados' }).first().isVisible()).resolves.toBe(true);
    // The logo really loads (not a broken image).
    expect(await page.evaluate<number>("document.querySelector('.fr-header__operator img').naturalWidth")).toBe(160);
    const button = page.getByRole('button', { name: /Rechercher|Continuer|Valider/ }).first();
    await expect(button.getAttribute('class')).resolves.toContain('fr-btn');
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('main .fr-btn')).backgroundColor")).toBe('rgb(11, 94, 63)');
    expect(await page.evaluate<string>('getComputedStyle(document.body).fontFamily')).not.toContain('Marianne');

    await page.getByLabel(/adresse/i).first().fill('12 rue de la Paix 77000 Melun');
    await button.click();
    await page.waitForLoadState('load');
    await expectAccessible(page, 'theme-neutral-funnel');

    await page.goto(`${server.baseUrl}/agents/connexion`);
    await expectAccessible(page, 'theme-neutral-agent-sign-in');
    await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
    await expectAccessible(page, 'theme-neutral-agenda');
    await page.getByRole('link', { name: 'Rendez-vous', exact: true }).first().click();
    await page.waitForURL(/\/rdv(\?|$)/);
    await expectAccessible(page, 'theme-neutral-appointments');
    // The notification admin pages: the territory's sender and SMS provider settings, and the log.
    const organisation = /\/agents\/organisations\/\d+/.exec(page.url())?.[0] ?? '';
    await page.goto(`${server.baseUrl}${organisation}/territoire/notifications`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('SMS et e-mails du territoire');
    await expectAccessible(page, 'theme-neutral-territory-notifications');
    await page.goto(`${server.baseUrl}${organisation}/notifications`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Notifications envoyées');
    await expectAccessible(page, 'theme-neutral-notifications-log');

    expect(fonts).toEqual([]);
    expect(problems).toEqual([]);
  });
});

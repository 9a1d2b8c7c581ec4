import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { totpCodeAt } from '../../src/modules/super-admin/index.js';
import { DSFR_THEME, useTheme } from '../../src/platform/views/theme.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { TEST_NOW } from '../support/app.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * The super admin back office in Chromium (ADR 0032), in both themes: the demo super admin signs
 * in and enrols a TOTP second factor (the code computed from the secret shown), creates a territory
 * in one form, opens its territorial admins and the background jobs, then connects as an agent with
 * a reason, sees the banner and comes back. Every page of the module has zero axe-core violations.
 */
describe.each([
  { theme: 'dsfr', config: {} },
  { theme: 'neutral', config: { theme: loadConfig({ THEME: 'neutral', THEME_SERVICE_NAME: 'RDV Solidarités', THEME_OPERATOR_NAME: 'Département du Calvados', THEME_PRIMARY_COLOR: '#0b5e3f' }).theme } },
])('the super admin back office in Chromium ($theme theme)', ({ theme, config }) => {
  let server: DemoServer;

  beforeAll(async () => {
    server = await startDemoServer({ config });
  }, 180_000);
  afterAll(async () => {
    await server.close();
    useTheme(DSFR_THEME);
  });

  it('signs in with TOTP, creates a territory, impersonates an agent with a reason and comes back', { timeout: 300_000 }, async () => {
    const page = await openPage(server.browser);
    const problems: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${String(response.status())} ${response.url()}`);
    });
    const check = (name: string): Promise<void> => expectAccessible(page, `super-admin-${theme}-${name}`);

    // Password, then the enrolment of the second factor.
    await page.goto(`${server.baseUrl}/agents/connexion`);
    await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.superAdmin);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/connexion\/code$/);
    await expect(page.getByRole('img', { name: /QR code/ }).isVisible()).resolves.toBe(true);
    await check('enrolment');
    const secret = ((await page.locator('#cle-totp').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel(/Code à 6 chiffres/).fill('000000' === totpCodeAt(secret, TEST_NOW) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Activer et me connecter' }).click();
    await page.getByText('Code incorrect.').first().waitFor();
    await check('enrolment-error');
    await page.getByLabel(/Code à 6 chiffres/).fill(totpCodeAt(secret, TEST_NOW));
    await page.getByRole('button', { name: 'Activer et me connecter' }).click();
    await page.waitForURL(/\/super-admin$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Territoires' }).isVisible()).resolves.toBe(true);
    await check('territories');

    // A territory in one form: first an empty form (errors), then the real one.
    await page.getByRole('link', { name: 'Créer un territoire' }).click();
    await page.waitForURL(/\/territoires\/nouveau$/);
    await check('new-territory');
    await page.getByRole('button', { name: 'Créer le territoire et envoyer l’invitation' }).click();
    await page.getByText('Saisissez le numéro du département.').first().waitFor();
    await check('new-territory-errors');
    await page.getByLabel(/Numéro du département/).fill('14');
    await page.getByLabel(/Nom du territoire/).fill('Conseil départemental du Calvados');
    await page.getByLabel(/Nom de l’organisation/).fill('Maison des solidarités de Caen');
    await page.getByLabel(/Nom du lieu/).fill('MDS Caen centre');
    await page.getByLabel(/Adresse du lieu/).fill('12 rue de Bretagne 14000 Caen');
    await page.getByLabel('Prénom', { exact: true }).fill('Agathe');
    await page.getByLabel('Nom', { exact: true }).fill('Lemaître');
    await page.getByLabel(/Adresse e-mail professionnelle/).fill('agathe.lemaitre@calvados.fr');
    await page.getByRole('button', { name: 'Créer le territoire et envoyer l’invitation' }).click();
    await page.waitForURL(/\/super-admin\?territoire=cree$/);
    await expect(page.getByRole('cell', { name: 'Conseil départemental du Calvados', exact: true }).isVisible()).resolves.toBe(true);

    await page.getByRole('link', { name: /1 administrateur du territoire Conseil départemental du Calvados/ }).click();
    await page.waitForURL(/\/administrateurs$/);
    await expect(page.getByRole('cell', { name: 'agathe.lemaitre@calvados.fr', exact: true }).isVisible()).resolves.toBe(true);
    await check('territorial-admins');

    await page.goto(`${server.baseUrl}/super-admin/taches`);
    await check('jobs');

    // « Se connecter en tant que » Nadia Benali, with a reason.
    await page.getByRole('link', { name: 'Se connecter en tant que' }).first().click();
    await page.waitForURL(/\/super-admin\/agents$/);
    await page.getByLabel('Rechercher un agent par nom ou e-mail').fill('benali');
    await page.locator('#recherche-agents').getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/q=benali/);
    await check('agent-search');
    await page.getByRole('link', { name: 'Se connecter en tant que Nadia Benali' }).click();
    await page.waitForURL(/\/en-tant-que$/);
    await check('impersonation-form');
    await page.getByLabel(/Motif/).fill('Demande d’assistance n° 4521 : agenda vide');
    await page.getByRole('button', { name: 'Se connecter en tant que Nadia Benali' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
    const banner = page.locator('#bandeau-en-tant-que');
    await expect(banner.textContent()).resolves.toContain('Vous êtes connecté en tant que Nadia Benali');
    await expect(banner.textContent()).resolves.toContain('Demande d’assistance n° 4521 : agenda vide');
    await check('impersonated-agenda');
    await page.getByRole('button', { name: 'Revenir à mon compte' }).click();
    await page.waitForURL(/\/super-admin\?fin=retour$/);
    await expect(page.getByText('Vous êtes revenu à votre compte.').isVisible()).resolves.toBe(true);
    await expect(page.locator('#bandeau-en-tant-que').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import type { TestDatabase } from '../support/database.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * Issue 10 §4 in Chromium, every page checked by axe-core: the secretariat of Melun looks for a
 * joint slot of Nadia Benali (Service social) and Julien Petit (RSA), who both hold their morning
 * openings at the Dammarie antenna in the demo data, follows the first joint slot into the
 * prefilled creation wizard, confirms, and the appointment has both agents.
 */
describe('the agent slot search in Chromium', () => {
  let server: DemoServer;
  let database: TestDatabase;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ database, baseUrl } = server);
    // Seeding and Chromium's start take a while on a loaded 2-core machine.
  }, 300_000);
  afterAll(async () => {
    await server.close();
  });

  it('finds a joint slot of two agents, opens the prefilled wizard from it and creates the appointment with both', { timeout: 180_000 }, async () => {
    const agentId = async (firstName: string): Promise<number> => (await database.db.selectFrom('agents').select('id').where('first_name', '=', firstName).executeTakeFirstOrThrow()).id;
    const [nadia, julien] = [await agentId('Nadia'), await agentId('Julien')];
    const dammarie = (await database.db.selectFrom('places').select('id').where('name', '=', 'Antenne de Dammarie-lès-Lys').executeTakeFirstOrThrow()).id;

    const page = await openPage(server.browser);
    await page.goto(`${baseUrl}/agents/connexion`);
    await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);

    // 1. The search form, from the workspace's navigation.
    await page.getByRole('link', { name: 'Trouver un créneau' }).first().click();
    await page.waitForURL(/\/creneaux$/);
    await expectAccessible(page, 'slot-search-1-form');

    // 2. Nadia with Julien as her binôme, for a first social appointment.
    await page.getByLabel('Motif').selectOption({ label: 'Premier rendez-vous avec une assistante sociale (45 min)' });
    await page.locator(`#agents-${String(nadia)}`).check({ force: true });
    await page.getByLabel('Binôme').selectOption({ label: 'Julien Petit' });
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/creneaux\?/);
    await expect(page.locator('h2').filter({ hasText: 'en binôme' }).textContent()).resolves.toContain('avec Julien Petit en binôme');
    await expectAccessible(page, 'slot-search-2-joint-results');
    const table = page.locator('table').filter({ hasText: 'Prochaine disponibilité par lieu' });
    await expect(table.textContent()).resolves.toContain('Antenne de Dammarie-lès-Lys');
    const first = table.locator('a').first();
    await expect(first.textContent()).resolves.toContain('avec Nadia Benali et Julien Petit');
    const href = (await first.getAttribute('href')) ?? '';
    const prefill = new URL(href, baseUrl).searchParams;
    expect(prefill.get('agents')).toBe(`${String(nadia)},${String(julien)}`);
    const startsAt = new Date(prefill.get('debut') ?? '');
    expect(startsAt.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-24T09:00:00Z'));

    // 3. The slot opens the wizard, prefilled: a participant, then the details with both agents.
    await first.click();
    await page.waitForURL(/\/participants/);
    await expectAccessible(page, 'slot-search-3-wizard-participants');
    await page.locator('input[name="prenom"]').fill('Yasmine');
    await page.locator('input[name="nom"]').fill('Ouattara');
    await page.locator('input[name="naissance"]').fill('14/05/1987');
    await page.locator('input[name="telephone"]').fill('06 45 67 89 01');
    await page.getByRole('button', { name: 'Ajouter cette personne' }).click();
    await page.getByRole('button', { name: 'Continuer' }).first().click();
    await page.waitForURL(/\/details/);
    await expectAccessible(page, 'slot-search-4-wizard-details');
    for (const id of [nadia, julien]) await expect(page.locator(`input[name="agents"][value="${String(id)}"]`).isChecked()).resolves.toBe(true);
    // The wizard's prefill has no place yet: choose the slot's.
    await page.locator(`#lieu-${String(dammarie)}`).check({ force: true });
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL(/\/confirmation/);
    await expectAccessible(page, 'slot-search-5-wizard-review');

    // 4. Both are free: no overlap and no absence. Julien's opening is for his own motifs (ADR 0023),
    //    which the wizard may point out; it is acknowledged like any warning.
    const warnings = await Promise.all((await page.locator('input[name="avertissements"]').all()).map(async (input) => (await input.getAttribute('value')) ?? ''));
    expect(warnings.filter((key) => key !== `outside_opening:${String(julien)}`)).toEqual([]);
    for (const key of warnings) await page.locator(`input[name="avertissements"][value="${key}"]`).check({ force: true });
    await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
    await page.waitForURL(/\/rdv\/\d+$/);
    await expect(page.locator('main').textContent()).resolves.toContain('Le rendez-vous est créé');
    await expectAccessible(page, 'slot-search-6-appointment-detail');
    const appointmentId = Number(new URL(page.url()).pathname.split('/').pop());
    const agents = await database.db.selectFrom('appointment_agents').select(['agent_id', 'overlap_allowed', 'during']).where('appointment_id', '=', appointmentId).orderBy('agent_id').execute();
    expect(agents.map((row) => [row.agent_id, row.overlap_allowed])).toEqual([nadia, julien].sort((a, b) => a - b).map((id) => [id, false]));
    const appointment = await database.db.selectFrom('appointments').select(['place_id']).where('id', '=', appointmentId).executeTakeFirstOrThrow();
    expect(appointment.place_id).toBe(dammarie);

    // 5. The slot is no longer offered to the pair.
    await page.goto(`${baseUrl}${new URL(href, baseUrl).pathname.replace('/rdv/nouveau', '/creneaux')}?motif=${prefill.get('motif') ?? ''}&agents=${String(nadia)}&binome=${String(julien)}`);
    await expectAccessible(page, 'slot-search-7-joint-results-after-booking');
    const hrefs = await Promise.all((await page.locator('a[href*="/rdv/nouveau?"]').all()).map(async (link) => (await link.getAttribute('href')) ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.some((candidate) => candidate.includes(encodeURIComponent(prefill.get('debut') ?? '')))).toBe(false);
  });
});

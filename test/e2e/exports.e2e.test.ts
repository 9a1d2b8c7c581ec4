import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExportWorker, type ExportWorker } from '../../src/modules/exports/index.js';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD } from '../../src/seed/index.js';
import { expectAccessible, openPage, startDemoServer, type DemoServer } from './browser.js';

/**
 * Issue 10 §5 in Chromium: the secretariat of Melun filters the appointment list to this week,
 * exports it, watches the exports page until the file is ready (the page updates itself through
 * /static/exports-progress.js), downloads it and opens it with exceljs: its rows are the list's.
 * The export worker runs in-process on the app's context, as WORKER=inline does.
 */
describe('exports in Chromium', () => {
  let server: DemoServer;
  let worker: ExportWorker;

  beforeAll(async () => {
    server = await startDemoServer();
    worker = startExportWorker(server.context, { info: () => undefined, error: () => undefined }, { pollMs: 300, batchSize: 7 });
  }, 180_000);
  afterAll(async () => {
    await worker.stop();
    await server.close();
  });

  it('exports the week’s list, follows the progress, downloads the file and finds the list’s rows in it', { timeout: 180_000 }, async () => {
    const { baseUrl } = server;
    const page = await openPage(server.browser, { acceptDownloads: true });
    await page.goto(`${baseUrl}/agents/connexion`);
    await page.getByLabel('Adresse e-mail professionnelle').fill(DEMO_AGENT_EMAILS.melunAdmin);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
    const organisationPath = /\/agents\/organisations\/\d+/.exec(page.url())?.[0] ?? '';

    // The list, filtered to this week (TEST_NOW is Tuesday 24 November 2026).
    await page.goto(`${baseUrl}${organisationPath}/rdv`);
    await page.locator('#du').fill('2026-11-23');
    await page.locator('#au').fill('2026-11-29');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/du=2026-11-23/);
    const listed: number[] = [];
    for (;;) {
      const links = await page.locator('tbody th[scope="row"] a').all();
      const hrefs = await Promise.all(links.map(async (link) => (await link.getAttribute('href')) ?? ''));
      listed.push(...hrefs.map((href) => Number(/\/rdv\/(\d+)$/.exec(href)?.[1])));
      const next = page.locator('a.fr-pagination__link--next:not([aria-disabled])');
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForLoadState();
    }
    expect(listed.length).toBeGreaterThan(0);
    await page.goto(`${baseUrl}${organisationPath}/rdv?du=2026-11-23&au=2026-11-29`);
    await expectAccessible(page, 'exports-list-with-buttons');

    await page.getByRole('button', { name: 'Exporter les rendez-vous' }).click();
    await page.waitForURL(new RegExp(`${organisationPath}/exports$`));
    await expect.poll(async () => page.getByRole('link', { name: /Télécharger/ }).count(), { timeout: 60_000, interval: 500 }).toBe(1);
    await expect.poll(async () => page.locator('#exports-statut').textContent(), { timeout: 10_000 }).toContain('1 export prêt à télécharger');
    await expectAccessible(page, 'exports-page-ready');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rendez-vous-2026-11-24-10h00-[0-9a-f]{8}\.xlsx$/);
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Rendez-vous');
    const exported: number[] = [];
    sheet?.eachRow((row, number) => {
      if (number > 1) exported.push(Number(row.getCell(1).value));
    });
    expect(exported).toEqual(listed);
    await page.context().close();
  });
});

import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExportWorker, type ExportWorker } from '../../src/modules/exports/index.js';
import { DEMO_AGENT_EMAILS } from '../../src/seed/index.js';
import type { TestDatabase } from '../support/database.js';
import { expectAccessible, openPage, signInAgent, startDemoServer, type DemoServer } from './browser.js';

const DAY_MS = 86_400_000;

/** Monday and Sunday (YYYY-MM-DD) of the week of an instant's day (daytime instants: UTC day = Paris day). */
function weekOf(instant: Date): { monday: string; sunday: string } {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return { monday: monday.toISOString().slice(0, 10), sunday: new Date(monday.getTime() + 6 * DAY_MS).toISOString().slice(0, 10) };
}

/**
 * Issue 10 as one journey in Chromium, every page checked by axe-core:
 * 1. the secretariat of Melun searches « Elodi Lefevr » (misspelt, no accents): Élodie Lefèvre and
 *    the demo's duplicate of her (« Elodie LEFEVRE ») lead; her page opens (journalled); the
 *    creation form keeps its input on errors;
 * 2. the social worker merges the duplicate into Élodie, keeping the duplicate's newer phone; the
 *    admin reads the comparison in the journal of consultations;
 * 3. the secretariat looks for a joint slot of Nadia Benali and Julien Petit (binôme), follows the
 *    first one into the prefilled wizard, where the search finds Élodie alone now, and books it;
 * 4. the secretariat exports that week's appointments, follows the progress, downloads the file and
 *    opens it with exceljs: its rows are the list's, the booked appointment among them.
 * The export worker runs in-process on the app's context, as WORKER=inline does.
 */
describe('agent workspace II in Chromium: directory, merge, binôme slot, export', () => {
  let server: DemoServer;
  let database: TestDatabase;
  let baseUrl: string;
  let worker: ExportWorker;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ database, baseUrl } = server);
    worker = startExportWorker(server.context, { info: () => undefined, error: () => undefined }, { pollMs: 300, batchSize: 7 });
    // Seeding and Chromium's start take a while on a loaded 2-core machine.
  }, 300_000);
  afterAll(async () => {
    await worker.stop();
    await server.close();
  });

  it('finds Élodie misspelt, merges her duplicate, books a joint slot for her and finds it in the week’s export', { timeout: 600_000 }, async () => {
    const elodie = await database.db.selectFrom('users').select('id').where('first_name', '=', 'Élodie').executeTakeFirstOrThrow();
    const duplicate = await database.db.selectFrom('users').select('id').where('first_name', '=', 'Elodie').where('last_name', '=', 'LEFEVRE').executeTakeFirstOrThrow();
    const agentId = async (firstName: string): Promise<number> => (await database.db.selectFrom('agents').select('id').where('first_name', '=', firstName).executeTakeFirstOrThrow()).id;
    const [nadia, julien] = [await agentId('Nadia'), await agentId('Julien')];
    const dammarie = (await database.db.selectFrom('places').select('id').where('name', '=', 'Antenne de Dammarie-lès-Lys').executeTakeFirstOrThrow()).id;

    // ---------------------------------------------------------------------------------------
    // 1. The users directory: a misspelt accented name.
    // ---------------------------------------------------------------------------------------
    const page = await openPage(server.browser, { acceptDownloads: true });
    const organisationPath = await signInAgent(page, baseUrl, DEMO_AGENT_EMAILS.melunAdmin);
    await page.getByRole('link', { name: 'Usagers' }).click();
    await page.waitForURL(/\/usagers$/);
    await page.getByLabel('Rechercher un usager').fill('Elodi Lefevr');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/recherche=Elodi/);
    const table = page.getByRole('table');
    expect(await table.locator('caption').textContent()).toContain('Elodi Lefevr');
    const leading = await table.locator('tbody tr').getByRole('link').allTextContents();
    expect(leading.slice(0, 2).sort()).toEqual(['LEFEVRE Elodie', 'LEFÈVRE Élodie']);
    await expectAccessible(page, 'ws2-01-users-search');

    await table.getByRole('link', { name: 'LEFÈVRE Élodie' }).click();
    await page.waitForURL(new RegExp(`/usagers/${String(elodie.id)}$`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Élodie');
    expect(await page.getByText('1996', { exact: false }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'ws2-02-user-page');
    const reads = await database.db.selectFrom('read_journal').select('kind').orderBy('id').execute();
    expect(reads.map((entry) => entry.kind)).toEqual(['user_search', 'user_view']);

    await page.goto(`${baseUrl}${organisationPath}/usagers/nouveau`);
    await page.getByLabel('Prénom').fill('Léo');
    await page.getByLabel('Téléphone').fill('12');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/usagers\/nouveau$/);
    expect(await page.locator('#erreurs').textContent()).toContain('Saisissez le nom.');
    expect(await page.getByLabel('Prénom').inputValue()).toBe('Léo');
    await expectAccessible(page, 'ws2-03-user-form-errors');

    // ---------------------------------------------------------------------------------------
    // 2. The social worker merges the duplicate; the admin reads it in the journal.
    // ---------------------------------------------------------------------------------------
    const worker77 = await openPage(server.browser);
    await signInAgent(worker77, baseUrl, DEMO_AGENT_EMAILS.melunBasic);
    await worker77.goto(`${baseUrl}${organisationPath}/usagers/${String(elodie.id)}/fusionner`);
    await expectAccessible(worker77, 'ws2-04-merge-choose');
    await worker77.getByLabel('Nom, prénom ou nom de naissance du doublon').fill('lefevre');
    await worker77.getByRole('button', { name: 'Rechercher' }).click();
    await worker77.waitForURL(/recherche=lefevre/);
    await expectAccessible(worker77, 'ws2-05-merge-candidates');
    await worker77.getByRole('link', { name: 'Comparer avec Elodie LEFEVRE' }).click();
    await worker77.waitForURL(new RegExp(`avec=${String(duplicate.id)}`));
    await expect(worker77.locator('h1').textContent()).resolves.toBe('Fusionner Elodie LEFEVRE dans Élodie Lefèvre');
    await expectAccessible(worker77, 'ws2-06-merge-compare');
    await expect(worker77.locator('#nom-conserve').isChecked()).resolves.toBe(true);
    await worker77.locator('#telephone-fusionne').check({ force: true });
    await worker77.getByRole('button', { name: 'Fusionner les deux fiches' }).click();
    await worker77.waitForURL(/\/fusionner\/resultat$/);
    await expect(worker77.locator('main').textContent()).resolves.toContain(`La fiche n° ${String(duplicate.id)} a été fusionnée dans celle de Élodie Lefèvre`);
    await expectAccessible(worker77, 'ws2-07-merge-done');
    const kept = await database.db.selectFrom('users').select(['phone_number_e164', 'last_name']).where('id', '=', elodie.id).executeTakeFirstOrThrow();
    expect(kept).toEqual({ phone_number_e164: '+33612345693', last_name: 'Lefèvre' });
    const erased = await database.db.selectFrom('users').select('deleted_at').where('id', '=', duplicate.id).executeTakeFirstOrThrow();
    expect(erased.deleted_at).not.toBeNull();
    await worker77.context().close();

    await page.getByRole('link', { name: 'Journal des consultations' }).click();
    await page.waitForURL(/journal-des-consultations/);
    await expectAccessible(page, 'ws2-08-journal');
    await page.getByLabel('Numéro d’usager').fill(String(elodie.id));
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(new RegExp(`usager=${String(elodie.id)}`));
    const journal = (await page.locator('table').textContent()) ?? '';
    expect(journal).toContain('Fiches comparées pour une fusion');
    expect(journal).toContain('Nadia Benali');
    await expectAccessible(page, 'ws2-09-journal-filtered');

    // ---------------------------------------------------------------------------------------
    // 3. A joint slot of Nadia and Julien, booked for Élodie through the prefilled wizard.
    // ---------------------------------------------------------------------------------------
    await page.getByRole('link', { name: 'Trouver un créneau' }).first().click();
    await page.waitForURL(/\/creneaux$/);
    await expectAccessible(page, 'ws2-10-slot-search-form');
    await page.getByLabel('Motif').selectOption({ label: 'Premier rendez-vous avec une assistante sociale (45 min)' });
    await page.locator(`#agents-${String(nadia)}`).check({ force: true });
    await page.getByLabel('Binôme').selectOption({ label: 'Julien Petit' });
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/creneaux\?/);
    await expect(page.locator('h2').filter({ hasText: 'en binôme' }).textContent()).resolves.toContain('avec Julien Petit en binôme');
    await expectAccessible(page, 'ws2-11-slot-search-joint');
    const nextByPlace = page.locator('table').filter({ hasText: 'Prochaine disponibilité par lieu' });
    await expect(nextByPlace.textContent()).resolves.toContain('Antenne de Dammarie-lès-Lys');
    const first = nextByPlace.locator('a').first();
    await expect(first.textContent()).resolves.toContain('avec Nadia Benali et Julien Petit');
    const href = (await first.getAttribute('href')) ?? '';
    const prefill = new URL(href, baseUrl).searchParams;
    expect(prefill.get('agents')).toBe(`${String(nadia)},${String(julien)}`);
    const startsAt = new Date(prefill.get('debut') ?? '');
    expect(startsAt.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-24T09:00:00Z'));

    await first.click();
    await page.waitForURL(/\/participants/);
    await expectAccessible(page, 'ws2-12-wizard-participants');
    // The wizard's search: Élodie alone now, her duplicate erased.
    await page.getByLabel('Nom, prénom, e-mail ou téléphone').fill('lefevre');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/recherche=lefevre/);
    await expect(page.getByRole('button', { name: /^Ajouter .*LEFEVRE/ }).count()).resolves.toBe(0);
    await expectAccessible(page, 'ws2-13-wizard-search');
    await page.getByRole('button', { name: 'Ajouter Élodie Lefèvre' }).click();
    await page.waitForURL(/\/participants$/);
    await page.getByRole('button', { name: 'Continuer' }).first().click();
    await page.waitForURL(/\/details/);
    await expectAccessible(page, 'ws2-14-wizard-details');
    for (const id of [nadia, julien]) await expect(page.locator(`input[name="agents"][value="${String(id)}"]`).isChecked()).resolves.toBe(true);
    await page.locator(`#lieu-${String(dammarie)}`).check({ force: true });
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL(/\/confirmation/);
    await expectAccessible(page, 'ws2-15-wizard-review');
    // Both are free: no overlap and no absence. Julien's opening is for his own motifs (ADR 0023),
    // which the wizard may point out; it is acknowledged like any warning.
    const warnings = await Promise.all((await page.locator('input[name="avertissements"]').all()).map(async (input) => (await input.getAttribute('value')) ?? ''));
    expect(warnings.filter((key) => key !== `outside_opening:${String(julien)}`)).toEqual([]);
    for (const key of warnings) await page.locator(`input[name="avertissements"][value="${key}"]`).check({ force: true });
    await page.getByRole('button', { name: 'Créer le rendez-vous' }).click();
    await page.waitForURL(/\/rdv\/\d+$/);
    await expect(page.locator('main').textContent()).resolves.toContain('Le rendez-vous est créé');
    await expectAccessible(page, 'ws2-16-appointment');
    const appointmentId = Number(new URL(page.url()).pathname.split('/').pop());
    const links = await database.db.selectFrom('appointment_agents').select(['agent_id', 'overlap_allowed']).where('appointment_id', '=', appointmentId).orderBy('agent_id').execute();
    expect(links.map((row) => [row.agent_id, row.overlap_allowed])).toEqual([nadia, julien].sort((a, b) => a - b).map((id) => [id, false]));
    const booked = await database.db.selectFrom('appointments').select('place_id').where('id', '=', appointmentId).executeTakeFirstOrThrow();
    expect(booked.place_id).toBe(dammarie);
    const attendees = await database.db.selectFrom('participations').select('user_id').where('appointment_id', '=', appointmentId).execute();
    expect(attendees.map((row) => row.user_id)).toEqual([elodie.id]);

    // The slot is no longer offered to the pair.
    await page.goto(`${baseUrl}${organisationPath}/creneaux?motif=${prefill.get('motif') ?? ''}&agents=${String(nadia)}&binome=${String(julien)}`);
    await expectAccessible(page, 'ws2-17-slot-search-after-booking');
    const hrefs = await Promise.all((await page.locator('a[href*="/rdv/nouveau?"]').all()).map(async (link) => (await link.getAttribute('href')) ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.some((candidate) => candidate.includes(encodeURIComponent(prefill.get('debut') ?? '')))).toBe(false);

    // ---------------------------------------------------------------------------------------
    // 4. The week's appointments exported, downloaded and read with exceljs.
    // ---------------------------------------------------------------------------------------
    const week = weekOf(startsAt);
    await page.goto(`${baseUrl}${organisationPath}/rdv`);
    await page.locator('#du').fill(week.monday);
    await page.locator('#au').fill(week.sunday);
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(new RegExp(`du=${week.monday}`));
    const listed: number[] = [];
    for (;;) {
      const rows = await page.locator('tbody th[scope="row"] a').all();
      const rowHrefs = await Promise.all(rows.map(async (link) => (await link.getAttribute('href')) ?? ''));
      listed.push(...rowHrefs.map((rowHref) => Number(/\/rdv\/(\d+)$/.exec(rowHref)?.[1])));
      const next = page.locator('a.fr-pagination__link--next:not([aria-disabled])');
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForLoadState();
    }
    expect(listed).toContain(appointmentId);
    await page.goto(`${baseUrl}${organisationPath}/rdv?du=${week.monday}&au=${week.sunday}`);
    await expectAccessible(page, 'ws2-18-list-with-export');

    await page.getByRole('button', { name: 'Exporter les rendez-vous' }).click();
    await page.waitForURL(new RegExp(`${organisationPath}/exports$`));
    await expect.poll(async () => page.getByRole('link', { name: /Télécharger/ }).count(), { timeout: 60_000, interval: 500 }).toBe(1);
    await expect.poll(async () => page.locator('#exports-statut').textContent(), { timeout: 10_000 }).toContain('1 export prêt à télécharger');
    await expectAccessible(page, 'ws2-19-exports-ready');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rendez-vous-2026-11-24-10h00-[0-9a-f]{8}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Rendez-vous');
    if (sheet === undefined) throw new Error('no « Rendez-vous » sheet');
    const headerRow = sheet.getRow(1);
    const column = (name: string): number => {
      let found = 0;
      headerRow.eachCell((cell, number) => {
        if (cell.text === name) found = number;
      });
      if (found === 0) throw new Error(`no column « ${name} »`);
      return found;
    };
    const exported = new Map<number, ExcelJS.Row>();
    sheet.eachRow((row, number) => {
      if (number > 1) exported.set(Number(row.getCell(1).value), row);
    });
    // Its rows are the list's, in the list's order.
    expect([...exported.keys()]).toEqual(listed);
    const mine = exported.get(appointmentId);
    if (mine === undefined) throw new Error('the booked appointment is not in the file');
    expect(mine.getCell(column('Agents')).text).toContain('Nadia Benali');
    expect(mine.getCell(column('Agents')).text).toContain('Julien Petit');
    expect(mine.getCell(column('Usagers')).text).toBe('LEFÈVRE Élodie');
    expect(mine.getCell(column('Lieu')).text).toContain('Dammarie');
    await page.context().close();
  });
});

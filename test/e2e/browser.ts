/**
 * Headless Chromium from Debian (`apt-get install chromium`), driven by playwright-core, plus
 * axe-core checks. Screenshots go to artifacts/screenshots/ (kept by CI).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { startNotificationPump, type NotificationPump, type PumpOptions } from '../../src/modules/notifications/index.js';
import type { AppContext } from '../../src/platform/context.js';
import { createSmtpMailer } from '../../src/platform/mailer/index.js';
import { DEMO_PASSWORD, seedDemoTerritory } from '../../src/seed/index.js';
import { createTestContext, TEST_NOW } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('artifacts/screenshots');

/** Launches Debian's Chromium with the flags this sandbox needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'RGAAv4'];

/** axe-core violations of the page for the WCAG 2.1 AA and RGAA v4 tags, as readable lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map(
    (violation) => `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** Saves a full-page screenshot under artifacts/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** A page in its own context (axe-core needs one), optionally with a viewport. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  return context.newPage();
}

/** One line the notification pump logged (its details carry no personal data). */
export interface PumpLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** The real app on a seeded test database, listening on a free port, and a browser to drive it. */
export interface DemoServer {
  readonly database: TestDatabase;
  readonly app: FastifyInstance;
  readonly browser: Browser;
  readonly baseUrl: string;
  /** The app's context (its clock is TEST_NOW; the pump, when started, uses the same). */
  readonly context: AppContext;
  /** What the notification pump logged, when `notificationPump` was given. */
  readonly pumpLog: readonly PumpLogEntry[];
  /** Closes the browser, stops the pump, closes the app, the mailer and the database. */
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** E-mails go through the SMTP adapter to this relay (SMTP_URL) instead of the development outbox. */
  readonly smtpUrl?: string;
  /**
   * Runs the notification pump in-process with these options, on the app's context and clock
   * (as WORKER=inline does). The demo data's own outbox events are marked processed first: only
   * what the journey does is notified.
   */
  readonly notificationPump?: PumpOptions;
  /** Settings to change in the test configuration (a theme, for instance). */
  readonly config?: Partial<Config>;
}

/** Starts the app on the demo territory with a fixed clock (TEST_NOW), and Chromium. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const database = await openTestDatabase();
  await seedDemoTerritory(database.db, TEST_NOW);
  const baseContext = createTestContext(database, TEST_NOW);
  const testContext: AppContext = { ...baseContext, config: { ...baseContext.config, ...options.config } };
  const context: AppContext =
    options.smtpUrl === undefined
      ? testContext
      : { ...testContext, config: { ...testContext.config, smtpUrl: options.smtpUrl }, mailer: createSmtpMailer({ smtpUrl: options.smtpUrl, from: testContext.config.mailFrom }) };
  const app = await buildApp(context);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const pumpLog: PumpLogEntry[] = [];
  let pump: NotificationPump | undefined;
  if (options.notificationPump !== undefined) {
    await database.db.updateTable('outbox_events').set({ processed_at: TEST_NOW }).where('processed_at', 'is', null).execute();
    const record =
      (level: PumpLogEntry['level']) =>
      (details: Record<string, unknown>, message: string): void => {
        pumpLog.push({ level, message, details });
      };
    pump = startNotificationPump(context, { info: record('info'), warn: record('warn'), error: record('error') }, options.notificationPump);
  }
  const browser = await launchBrowser();
  return {
    database,
    app,
    browser,
    baseUrl,
    context,
    pumpLog,
    close: async () => {
      await browser.close();
      await pump?.stop();
      await app.close();
      await context.mailer.close();
      await database.destroy();
    },
  };
}

/** Fails with the violations when axe-core finds any, then keeps a screenshot. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  if (violations.length > 0) throw new Error(`${name} : ${violations.join('\n')}`);
  await screenshot(page, name);
}

/**
 * Signs an agent in through the real sign-in form and waits for their first page (the agenda of
 * their organisation). Returns the organisation's path, `/agents/organisations/<id>`.
 */
export async function signInAgent(page: Page, baseUrl: string, email: string, password: string = DEMO_PASSWORD): Promise<string> {
  await page.goto(`${baseUrl}/agents/connexion`);
  await page.getByLabel('Adresse e-mail professionnelle').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/agents\/organisations\/\d+\/agenda/);
  return /\/agents\/organisations\/\d+/.exec(page.url())?.[0] ?? '';
}

/**
 * The first link with a `jeton=` in the latest e-mail with this subject on the development outbox
 * (e-mails leave through the in-process queue, a few milliseconds after the answer), as a URL of
 * the test server.
 */
export async function linkOfLatestEmail(page: Page, baseUrl: string, subject: string): Promise<string> {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    await page.goto(`${baseUrl}/dev/outbox`);
    if ((await page.getByRole('link', { name: subject }).count()) > 0) break;
    await page.waitForTimeout(100);
  }
  await page.getByRole('link', { name: subject }).first().click();
  const body = (await page.locator('pre').first().textContent()) ?? '';
  const link = /https?:\/\/\S+jeton=\S+/.exec(body)?.[0];
  if (link === undefined) throw new Error(`no link in « ${subject} »`);
  const url = new URL(link);
  return `${baseUrl}${url.pathname}${url.search}`;
}

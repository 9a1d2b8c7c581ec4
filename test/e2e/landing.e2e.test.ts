import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, openPage, screenshot, startDemoServer, type DemoServer } from './browser.js';

describe('landing page in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startDemoServer();
    ({ browser, baseUrl } = server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('has no axe-core violation and loads the DSFR without CSP errors', async () => {
    const page = await openPage(browser);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${baseUrl}/`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Prendre rendez-vous');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await screenshot(page, 'landing');
  });

  it('reaches the main content first with the keyboard through the skip link', async () => {
    const page = await openPage(browser);
    await page.goto(`${baseUrl}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()');
    expect(focused).toBe('Contenu');
    await page.keyboard.press('Enter');
    expect(page.url()).toContain('#contenu');
  });

  it('stays usable at 320 px wide without horizontal scrolling', async () => {
    const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
    await page.goto(`${baseUrl}/`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'landing-320px');
  });
});

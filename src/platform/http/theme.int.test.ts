import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { contrastRatio } from '../../shared/color/contrast.js';
import { DSFR_THEME, neutralStylesheet, useTheme } from '../views/theme.js';
import { MAX_LOGO_BYTES } from './theme.routes.js';

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#0b5e3f"/></svg>';

describe('themes (THEME=dsfr|neutral)', () => {
  let database: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), 'creneau-theme-'));
    await writeFile(path.join(folder, 'logo.svg'), LOGO);
  });
  afterEach(() => {
    useTheme(DSFR_THEME);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await database.destroy();
  });

  async function appWith(env: Record<string, string>) {
    const context = createTestContext(database);
    const app = await buildApp({ ...context, config: { ...context.config, theme: loadConfig({ NODE_ENV: 'test', ...env }).theme } });
    await app.ready();
    return app;
  }

  it('renders the State’s brand block and the Marianne favicon with the DSFR theme', async () => {
    const app = await appWith({});
    const home = await app.inject({ url: '/' });
    expect(home.body).toContain('<p class="fr-logo">République<br>Française</p>');
    expect(home.body).toContain('/static/dsfr/favicon/favicon.svg');
    expect(home.body).toContain('data-fr-scheme="system"');
    expect(home.body).not.toContain('/theme/theme.css');
    expect((await app.inject({ url: '/theme/theme.css' })).statusCode).toBe(404);
    await app.close();
  });

  it('renders the same markup without the State’s brand, with the operator’s name, logo and colour, in the neutral theme', async () => {
    const app = await appWith({
      THEME: 'neutral',
      THEME_SERVICE_NAME: 'RDV Solidarités Calvados',
      THEME_OPERATOR_NAME: 'Département du Calvados',
      THEME_LOGO_PATH: path.join(folder, 'logo.svg'),
      THEME_LOGO_ALT: 'Département du Calvados',
      THEME_PRIMARY_COLOR: '#0b5e3f',
    });
    const home = await app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain('République');
    expect(home.body).not.toContain('fr-logo');
    expect(home.body).not.toContain('favicon');
    expect(home.body).toContain('<link rel="icon" href="/theme/logo">');
    expect(home.body).toContain('data-fr-scheme="light"');
    expect(home.body).toContain('<link rel="stylesheet" href="/theme/theme.css">');
    expect(home.body).toContain('<div class="fr-header__operator"><img src="/theme/logo" alt="Département du Calvados"></div>');
    expect(home.body).toContain('<p class="fr-header__service-title">RDV Solidarités Calvados</p>');
    expect(home.body).toContain('Département du Calvados. Logiciel libre sous licence AGPL-3.0.');
    // The same components as the DSFR theme: header, skip links, main, footer.
    for (const marker of ['fr-skiplinks', 'class="fr-header"', 'id="contenu"', 'class="fr-footer"']) expect(home.body).toContain(marker);

    const stylesheet = await app.inject({ url: '/theme/theme.css' });
    expect(stylesheet.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(stylesheet.body).toContain('--blue-france-sun-113-625: #0b5e3f;');
    expect(stylesheet.body).not.toContain('Marianne');

    const logo = await app.inject({ url: '/theme/logo' });
    expect(logo.headers['content-type']).toBe('image/svg+xml');
    expect(logo.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(logo.body).toBe(LOGO);
    await app.close();
  });

  it('darkens the hover and active states, so that white text keeps at least the checked contrast', () => {
    const css = neutralStylesheet('#767676');
    const value = (name: string): `#${string}` => {
      const found = new RegExp(`${name}: (#[0-9a-f]{6});`).exec(css)?.[1];
      if (found === undefined) throw new Error(`${name} missing`);
      return found as `#${string}`;
    };
    for (const state of ['--blue-france-sun-113-625', '--blue-france-sun-113-625-hover', '--blue-france-sun-113-625-active']) {
      expect(contrastRatio(value(state), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
    // The light backgrounds keep the primary colour readable on them.
    expect(contrastRatio('#767676', value('--blue-france-975-75'))).toBeGreaterThan(4.2);
  });

  it('refuses to start with a missing or oversized logo, in French', async () => {
    await expect(appWith({ THEME: 'neutral', THEME_LOGO_PATH: path.join(folder, 'absent.svg'), THEME_LOGO_ALT: 'Logo' })).rejects.toThrow(/THEME_LOGO_PATH ne désigne pas un fichier lisible/);
    await writeFile(path.join(folder, 'big.png'), Buffer.alloc(MAX_LOGO_BYTES + 1));
    await expect(appWith({ THEME: 'neutral', THEME_LOGO_PATH: path.join(folder, 'big.png'), THEME_LOGO_ALT: 'Logo' })).rejects.toThrow(/pèse 513 Ko ; 512 Ko au plus/);
  });
});

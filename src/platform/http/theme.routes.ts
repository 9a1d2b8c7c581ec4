import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type ThemeConfig } from '../../config.js';
import { THEME_LOGO_PATH, THEME_STYLESHEET_PATH, themeFromConfig, useTheme } from '../views/theme.js';

/** A logo is a small image: a header does not need more, and every page loads it. */
export const MAX_LOGO_BYTES = 512 * 1024;

const LOGO_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

async function readLogo(logoPath: string): Promise<{ body: Buffer; contentType: string }> {
  const contentType = LOGO_TYPES[path.extname(logoPath).toLowerCase()];
  if (contentType === undefined) throw new ConfigError('Configuration invalide : THEME_LOGO_PATH doit être un fichier .svg, .png, .jpg ou .webp');
  const info = await stat(logoPath).catch(() => undefined);
  if (info?.isFile() !== true) throw new ConfigError(`Configuration invalide : THEME_LOGO_PATH ne désigne pas un fichier lisible (${logoPath})`);
  if (info.size > MAX_LOGO_BYTES) throw new ConfigError(`Configuration invalide : THEME_LOGO_PATH pèse ${Math.ceil(info.size / 1024)} Ko ; 512 Ko au plus`);
  return { body: await readFile(logoPath), contentType };
}

/**
 * Sets the process's theme (ADR 0026) and, for the neutral theme, serves its stylesheet and the
 * operator's logo. Both are read once at start: a missing or oversized logo stops the start with
 * a French message instead of a broken image on every page.
 */
export async function registerTheme(app: FastifyInstance, config: ThemeConfig): Promise<void> {
  const theme = themeFromConfig(config);
  const logo = config.logoPath === null ? null : await readLogo(config.logoPath);
  useTheme(theme);
  const stylesheet = theme.stylesheet;
  if (stylesheet !== null) {
    app.get(THEME_STYLESHEET_PATH, async (_request, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
    );
  }
  if (logo !== null) {
    app.get(THEME_LOGO_PATH, async (_request, reply) =>
      reply
        .header('content-type', logo.contentType)
        .header('cache-control', 'public, max-age=3600')
        // An SVG opened directly is a document: nothing in it may run or load.
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .send(logo.body),
    );
  }
}

/**
 * Everything that brands the pages lives here (ADR 0026). The DSFR and its brand block are
 * reserved to the State's services by its terms of use; a département or another collectivité
 * that runs Créneau itself uses the neutral theme: the same markup and components (so the same
 * accessibility), without the Marianne block or font, with its own name, logo and colour.
 * One theme per process, set by `buildApp` from the configuration.
 */
import type { ThemeConfig } from '../../config.js';
import { mix, type HexColour } from '../../shared/color/contrast.js';

export interface Theme {
  kind: 'dsfr' | 'neutral';
  serviceName: string;
  tagline: string;
  /** Lines of the "bloc marque" (Marianne block); empty for the neutral theme. */
  brandLines: string[];
  operatorName: string;
  /** The operator's logo (neutral theme), served at `LOGO_PATH`. */
  logo: { alt: string } | null;
  /** The neutral theme's stylesheet, served at `STYLESHEET_PATH`. */
  stylesheet: string | null;
}

export const THEME_STYLESHEET_PATH = '/theme/theme.css';
export const THEME_LOGO_PATH = '/theme/logo';

export const DSFR_THEME: Theme = {
  kind: 'dsfr',
  serviceName: 'Créneau',
  tagline: 'Prendre rendez-vous avec les services sociaux de votre département',
  brandLines: ['République', 'Française'],
  operatorName: 'Créneau — commun numérique des départements',
  logo: null,
  stylesheet: null,
};

let active: Theme = DSFR_THEME;

/** The theme the pages are rendered with. */
export function currentTheme(): Theme {
  return active;
}

/** Sets the process's theme (buildApp; tests restore `DSFR_THEME` afterwards). */
export function useTheme(theme: Theme): void {
  active = theme;
}

/** The theme described by the configuration. */
export function themeFromConfig(config: ThemeConfig): Theme {
  if (config.kind === 'dsfr') return { ...DSFR_THEME, serviceName: config.serviceName, tagline: config.tagline, operatorName: config.operatorName };
  return {
    kind: 'neutral',
    serviceName: config.serviceName,
    tagline: config.tagline,
    brandLines: [],
    operatorName: config.operatorName,
    logo: config.logoPath === null ? null : { alt: config.logoAlt ?? config.operatorName },
    stylesheet: neutralStylesheet((config.primaryColor ?? '#1f4e79') as HexColour),
  };
}

/**
 * The DSFR derives every "blue France" token from a handful of palette variables: replacing
 * those re-colours buttons, links, active items, tags and backgrounds at once. Hover and active
 * states are darker than the colour (never lighter), so white text keeps its contrast. The font
 * stack replaces Marianne (reserved to the State); a face that is never used is never fetched.
 */
export function neutralStylesheet(primary: HexColour): string {
  const white: HexColour = '#ffffff';
  const black: HexColour = '#000000';
  const palette: Record<string, HexColour> = {
    '--blue-france-sun-113-625': primary,
    '--blue-france-sun-113-625-hover': mix(primary, black, 0.15),
    '--blue-france-sun-113-625-active': mix(primary, black, 0.25),
    '--blue-france-main-525': primary,
    '--blue-france-975-75': mix(primary, white, 0.975),
    '--blue-france-975-75-hover': mix(primary, white, 0.9),
    '--blue-france-975-75-active': mix(primary, white, 0.85),
    '--blue-france-950-100': mix(primary, white, 0.95),
    '--blue-france-950-100-hover': mix(primary, white, 0.875),
    '--blue-france-950-100-active': mix(primary, white, 0.825),
    '--blue-france-925-125': mix(primary, white, 0.925),
    '--blue-france-925-125-hover': mix(primary, white, 0.85),
    '--blue-france-925-125-active': mix(primary, white, 0.8),
    '--blue-france-850-200': mix(primary, white, 0.85),
    '--blue-france-975-sun-113': mix(primary, white, 0.975),
  };
  const declarations = Object.entries(palette)
    .map(([name, value]) => `  ${name}: ${value};`)
    .join('\n');
  return [
    '/* Créneau, thème neutre (THEME=neutral) : généré depuis THEME_PRIMARY_COLOR. */',
    `:root, :root[data-fr-theme] {\n${declarations}\n}`,
    'html, body, button, input, optgroup, select, textarea, .fr-h1, .fr-h2, .fr-h3, .fr-h4, .fr-h5, .fr-h6, .fr-display--xl, .fr-display--lg, .fr-display--md, .fr-display--sm, .fr-display--xs {',
    '  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Helvetica Neue", sans-serif;',
    '}',
    '.fr-header__operator img, .fr-footer__brand img { max-height: 4.5rem; max-width: 12rem; height: auto; width: auto; }',
    '',
  ].join('\n');
}

import { Fragment, h, raw, type Child, type Html } from './jsx.js';
import { currentTheme, THEME_LOGO_PATH, THEME_STYLESHEET_PATH } from './theme.js';

export interface LayoutProps {
  title: string;
  children?: Child;
  /** The header's quick links; by default the usager's (Mes rendez-vous, Se connecter). */
  quickLinks?: Html;
  /** A DSFR main navigation under the header (the agent workspace's sections). */
  navigation?: Html;
  /** `fluid`: the full width of the window (agendas); default: the DSFR container. */
  width?: 'container' | 'fluid';
}

const DSFR = '/static/dsfr';

/** The header's quick links (DSFR "accès rapides"): the usager's appointments and sign-in, on every page. */
function QuickLinks(): Html {
  return (
    <ul class="fr-btns-group">
      <li>
        <a class="fr-btn fr-icon-calendar-line" href="/mes-rdv">
          Mes rendez-vous
        </a>
      </li>
      <li>
        <a class="fr-btn fr-icon-account-circle-line" href="/connexion">
          Se connecter
        </a>
      </li>
    </ul>
  );
}

/** The DSFR page shell: skip links, header, main content, footer; `lang="fr"`. */
export function Layout(props: LayoutProps): Html {
  const theme = currentTheme();
  const neutral = theme.kind === 'neutral';
  const logo = theme.logo === null ? null : <img src={THEME_LOGO_PATH} alt={theme.logo.alt} />;
  const brand = theme.brandLines.flatMap((line, index) => (index === 0 ? [line] : [raw('<br>'), line]));
  return (
    // The neutral theme's colours are checked against white: it stays in the light scheme.
    <html lang="fr" data-fr-scheme={neutral ? 'light' : 'system'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <meta name="format-detection" content="telephone=no" />
        <title>{`${props.title} — ${theme.serviceName}`}</title>
        <link rel="stylesheet" href={`${DSFR}/dsfr.min.css`} />
        <link rel="stylesheet" href={`${DSFR}/utility/icons/icons.min.css`} />
        {/* The Marianne favicon is the State's; the neutral theme shows the operator's logo, or none (without a request for /favicon.ico). */}
        <link rel="icon" href={neutral ? (theme.logo === null ? 'data:,' : THEME_LOGO_PATH) : `${DSFR}/favicon/favicon.svg`} type={neutral ? undefined : 'image/svg+xml'} />
        <link rel="stylesheet" href="/static/app.css" />
        {theme.stylesheet === null ? null : <link rel="stylesheet" href={THEME_STYLESHEET_PATH} />}
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="Accès rapide">
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#contenu">Contenu</a>
              </li>
              <li>
                <a class="fr-link" href="#pied-de-page">Pied de page</a>
              </li>
            </ul>
          </nav>
        </div>
        <header role="banner" class="fr-header">
          <div class="fr-header__body">
            <div class="fr-container">
              <div class="fr-header__body-row">
                <div class="fr-header__brand fr-enlarge-link">
                  <div class="fr-header__brand-top">
                    {theme.brandLines.length > 0 ? (
                      <div class="fr-header__logo">
                        <p class="fr-logo">{brand}</p>
                      </div>
                    ) : null}
                    {logo === null ? null : <div class="fr-header__operator">{logo}</div>}
                    <div class="fr-header__navbar">
                      <button class="fr-btn--menu fr-btn" data-fr-opened="false" aria-controls="menu-rapide" aria-haspopup="menu" id="bouton-menu-rapide" title="Menu">
                        Menu
                      </button>
                    </div>
                  </div>
                  <div class="fr-header__service">
                    <a href="/" title={`Accueil — ${theme.serviceName}`}>
                      <p class="fr-header__service-title">{theme.serviceName}</p>
                    </a>
                    <p class="fr-header__service-tagline">{theme.tagline}</p>
                  </div>
                </div>
                <div class="fr-header__tools">
                  <div class="fr-header__tools-links">
                    {props.quickLinks ?? <QuickLinks />}
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div class="fr-header__menu fr-modal" id="menu-rapide" aria-labelledby="bouton-menu-rapide">
            <div class="fr-container">
              <button class="fr-btn--close fr-btn" aria-controls="menu-rapide" title="Fermer">
                Fermer
              </button>
              <div class="fr-header__menu-links">{props.quickLinks ?? <QuickLinks />}</div>
              {props.navigation ?? null}
            </div>
          </div>
        </header>
        <main role="main" id="contenu" tabindex="-1">
          <div class={props.width === 'fluid' ? 'fr-container--fluid fr-px-2w fr-my-4w' : 'fr-container fr-my-6w'}>{props.children}</div>
        </main>
        <footer class="fr-footer" role="contentinfo" id="pied-de-page">
          <div class="fr-container">
            <div class="fr-footer__body">
              <div class="fr-footer__brand fr-enlarge-link">
                <a href="/" title={`Accueil — ${theme.serviceName}`}>
                  {theme.brandLines.length > 0 ? <p class="fr-logo">{brand}</p> : (logo ?? <>{theme.serviceName}</>)}
                </a>
              </div>
              <div class="fr-footer__content">
                <p class="fr-footer__content-desc">
                  {theme.operatorName}. Logiciel libre sous licence AGPL-3.0.
                </p>
              </div>
            </div>
            <div class="fr-footer__bottom">
              <ul class="fr-footer__bottom-list">
                <li class="fr-footer__bottom-item">
                  <span class="fr-footer__bottom-link">Accessibilité : partiellement conforme</span>
                </li>
              </ul>
            </div>
          </div>
        </footer>
        <script type="module" src={`${DSFR}/dsfr.module.min.js`}></script>
        <script nomodule src={`${DSFR}/dsfr.nomodule.min.js`}></script>
      </body>
    </html>
  );
}

import { h, type Html } from './jsx.js';
import { Layout } from './layout.js';

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  403: 'Accès refusé',
  404: 'Page non trouvée',
  413: 'Envoi trop volumineux',
  422: 'Formulaire invalide',
  429: 'Trop de demandes',
  500: 'Erreur inattendue',
  503: 'Service indisponible',
};

/** A DSFR error page for a status code. */
export function ErrorPage(props: { statusCode: number; message: string }): Html {
  const title = TITLES[props.statusCode] ?? 'Erreur';
  return (
    <Layout title={title}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8">
          <h1>{title}</h1>
          <p class="fr-text--sm fr-mb-3w">Erreur {String(props.statusCode)}</p>
          <p class="fr-text--lead fr-mb-3w">{props.message}</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                Page d’accueil
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}

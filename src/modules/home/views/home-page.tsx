import { h, type Html } from '../../../platform/views/jsx.js';
import { Layout } from '../../../platform/views/layout.js';
import { currentTheme } from '../../../platform/views/theme.js';
import type { TerritorySummary } from '../home.repository.js';

/** The landing page: the address search, what the service is and which territories it serves. */
export function HomePage(props: { territories: TerritorySummary[]; searchForm: Html }): Html {
  return (
    <Layout title="Accueil">
      <h1>Prendre rendez-vous avec un travailleur social</h1>
      <p class="fr-text--lead">{currentTheme().tagline}.</p>
      <p>
        Réservez, déplacez ou annulez un rendez-vous avec la PMI, le service social ou le service RSA de votre
        département, sans vous déplacer et sans attendre au téléphone.
      </p>
      {props.searchForm}
      <h2 class="fr-h4 fr-mt-6w">Départements utilisant ce service</h2>
      {props.territories.length === 0 ? (
        <p>Aucun département n’est encore configuré sur ce service.</p>
      ) : (
        <ul>
          {props.territories.map((territory) => (
            <li>
              {`${territory.name} (${territory.departementNumber})`} —{' '}
              {territory.organisationCount === 1
                ? '1 organisation'
                : `${String(territory.organisationCount)} organisations`}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

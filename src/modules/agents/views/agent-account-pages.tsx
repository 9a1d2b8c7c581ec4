import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { Layout } from '../../../platform/views/layout.js';
import type { AgentPrincipal } from '../domain/principal.js';
import { AgentLayout } from './agent-layout.js';

const ACCESS_LEVEL_LABELS: Record<string, string> = { admin: 'Administrateur', basic: 'Agent', intervenant: 'Intervenant (sans connexion)' };

export interface AgentSignInPageProps {
  csrfToken: string;
  returnTo?: string;
  email?: string;
  errors?: Record<string, string | undefined>;
  notice?: string;
}

/** The agent sign-in page: e-mail and password (ProConnect will sit beside it). */
export function AgentSignInPage(props: AgentSignInPageProps): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title="Connexion des agents">
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-6">
          <h1>Espace agents</h1>
          <p>Connectez-vous avec l’adresse e-mail professionnelle sur laquelle vous avez reçu votre invitation.</p>
          {props.notice === undefined ? null : (
            <div class="fr-alert fr-alert--info fr-mb-3w">
              <p>{props.notice}</p>
            </div>
          )}
          <ErrorSummary errors={errors} />
          <form method="post" action="/agents/connexion" novalidate>
            <CsrfField token={props.csrfToken} />
            {props.returnTo === undefined ? null : <input type="hidden" name="retour" value={props.returnTo} />}
            <Input name="email" label="Adresse e-mail professionnelle" type="email" autocomplete="username" value={props.email} error={errors.email} hint="Format attendu : prenom.nom@departement.fr" />
            <Input name="motDePasse" label="Mot de passe" type="password" autocomplete="current-password" error={errors.motDePasse} />
            <button class="fr-btn fr-mt-2w" type="submit">
              Se connecter
            </button>
          </form>
          <p class="fr-mt-3w">
            <a class="fr-link" href="/agents/mot-de-passe-oublie">
              Mot de passe oublié
            </a>
          </p>
          <p class="fr-text--sm">Vous êtes un particulier ? <a href="/connexion">Connectez-vous à l’espace usager</a>.</p>
        </div>
      </div>
    </Layout>
  );
}

/** The organisations of an agent with several: choose where to work. */
export function OrganisationChoicePage(props: { principal: AgentPrincipal; csrfToken: string }): Html {
  const first = props.principal.roles[0];
  return (
    <AgentLayout title="Vos organisations" principal={props.principal} organisationId={first?.organisationId ?? 0} csrfToken={props.csrfToken}>
      <h1>Vos organisations</h1>
      <ul>
        {props.principal.roles.map((role) => (
          <li>
            {role.accessLevel === 'intervenant' ? (
              <span>
                {role.organisationName} — {ACCESS_LEVEL_LABELS[role.accessLevel]}
              </span>
            ) : (
              <a href={`/agents/organisations/${String(role.organisationId)}/agenda`}>
                {role.organisationName} — {ACCESS_LEVEL_LABELS[role.accessLevel] ?? role.accessLevel}
              </a>
            )}
          </li>
        ))}
      </ul>
    </AgentLayout>
  );
}

/** "Mon compte": identity, roles, sign-out everywhere (and, from other modules, the ICS feed). */
export function AgentAccountPage(props: { principal: AgentPrincipal; csrfToken: string; organisationId: number; notice?: string }): Html {
  return (
    <AgentLayout title="Mon compte" principal={props.principal} organisationId={props.organisationId} section="compte" csrfToken={props.csrfToken}>
      <h1>Mon compte</h1>
      {props.notice === undefined ? null : (
        <div class="fr-alert fr-alert--success fr-mb-3w">
          <p>{props.notice}</p>
        </div>
      )}
      <p>
        {props.principal.firstName} {props.principal.lastName} — {props.principal.email}
      </p>
      <h2>Vos rôles</h2>
      <ul>
        {props.principal.roles.map((role) => (
          <li>
            {role.organisationName} : {ACCESS_LEVEL_LABELS[role.accessLevel] ?? role.accessLevel}
          </li>
        ))}
      </ul>
      <h2>Agenda personnel (iCal)</h2>
      <p>
        <a class="fr-link" href="/agents/compte/calendrier">
          Abonner mon application d’agenda à mes rendez-vous et absences
        </a>
      </p>
      <h2>Notifications</h2>
      <p>
        <a class="fr-link" href="/agents/compte/notifications">
          Choisir les e-mails que je reçois sur mes rendez-vous
        </a>
      </p>
      <h2>Sessions</h2>
      <p>Vous avez oublié de vous déconnecter sur un poste partagé ? Déconnectez toutes vos sessions, y compris celle-ci.</p>
      <form method="post" action="/agents/compte/deconnexion-partout">
        <CsrfField token={props.csrfToken} />
        <button class="fr-btn fr-btn--secondary" type="submit">
          Me déconnecter partout
        </button>
      </form>
    </AgentLayout>
  );
}

// Pages of agent accounts: the organisation's agents and the invitation form (admins), the
// invitation and password-reset links (a form, never an action on GET), the forgotten-password form.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { Layout } from '../../../platform/views/layout.js';
import type { OrganisationAgent } from '../agent-accounts.repository.js';
import type { AgentPrincipal } from '../domain/principal.js';
import { AgentLayout } from './agent-layout.js';

type Errors = Record<string, string | undefined>;

const ACCESS_LEVEL_LABELS: Record<string, string> = { admin: 'Administrateur', basic: 'Agent', intervenant: 'Intervenant (sans connexion)' };

function agentsPath(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/agents`;
}

function Notice(props: { text: string | undefined; kind?: 'success' | 'info' }): Html | null {
  if (props.text === undefined) return null;
  return (
    <div class={`fr-alert fr-alert--${props.kind ?? 'success'} fr-mb-3w`} role="status">
      <p>{props.text}</p>
    </div>
  );
}

/** The organisation's agents: name, e-mail, access level, services, pending invitations. */
export function OrganisationAgentsPage(props: { principal: AgentPrincipal; organisationId: number; csrfToken: string; agents: readonly OrganisationAgent[]; notice?: string }): Html {
  return (
    <AgentLayout title="Agents de l’organisation" principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <h1>Agents de l’organisation</h1>
      <Notice text={props.notice} />
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn fr-icon-user-add-line fr-btn--icon-left" href={`${agentsPath(props.organisationId)}/inviter`}>
            Inviter un agent
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`${agentsPath(props.organisationId)}/nouvel-intervenant`}>
            Créer un intervenant
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={`${agentsPath(props.organisationId)}/equipes`}>
            Équipes
          </a>
        </li>
      </ul>
      <div class="fr-table">
        <table>
          <caption>
            {props.agents.length === 1 ? '1 agent' : `${String(props.agents.length)} agents`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">E-mail</th>
              <th scope="col">Niveau d’accès</th>
              <th scope="col">Services</th>
              <th scope="col">Statut</th>
            </tr>
          </thead>
          <tbody>
            {props.agents.map((agent) => (
              <tr>
                <th scope="row">
                  <a class="fr-link" href={`${agentsPath(props.organisationId)}/${String(agent.agentId)}`}>
                    {agent.firstName} {agent.lastName}
                  </a>
                </th>
                <td>{agent.email ?? '—'}</td>
                <td>{ACCESS_LEVEL_LABELS[agent.accessLevel] ?? agent.accessLevel}</td>
                <td>{agent.serviceNames.join(', ')}</td>
                <td>
                  {agent.invitationPending ? (
                    <p class="fr-badge fr-badge--sm fr-badge--warning">Invitation en attente</p>
                  ) : agent.accessLevel === 'intervenant' ? (
                    <p class="fr-badge fr-badge--sm">Sans compte</p>
                  ) : (
                    <p class="fr-badge fr-badge--sm fr-badge--success">Actif</p>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="fr-text--sm">Une invitation en attente se renvoie depuis la page de l’agent (ou en invitant de nouveau la même adresse) : le lien précédent cesse alors de fonctionner.</p>
    </AgentLayout>
  );
}

export interface InvitationFormValues {
  prenom?: string;
  nom?: string;
  email?: string;
  niveau?: string;
  service?: number;
}

/** The invitation form: names, professional e-mail, access level, service of the territory. */
export function InviteAgentPage(props: {
  principal: AgentPrincipal;
  organisationId: number;
  csrfToken: string;
  services: readonly { id: number; name: string }[];
  values?: InvitationFormValues;
  errors?: Errors;
}): Html {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const levelError = errors.niveau;
  const serviceError = errors.service;
  return (
    <AgentLayout title="Inviter un agent" principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href={agentsPath(props.organisationId)}>
              Agents
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" aria-current="page">
              Inviter un agent
            </a>
          </li>
        </ol>
      </nav>
      <h1>Inviter un agent</h1>
      <p>L’agent reçoit un e-mail avec un lien, valable 7 jours, pour choisir son mot de passe.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action={`${agentsPath(props.organisationId)}/inviter`} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="prenom" label="Prénom" autocomplete="off" value={values.prenom} error={errors.prenom} />
        <Input name="nom" label="Nom" autocomplete="off" value={values.nom} error={errors.nom} />
        <Input name="email" label="Adresse e-mail professionnelle" type="email" autocomplete="off" value={values.email} error={errors.email} hint="Format attendu : prenom.nom@departement.fr" />
        <fieldset
          class={levelError === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'}
          id="niveau"
          aria-labelledby={levelError === undefined ? 'niveau-legende' : 'niveau-legende niveau-erreur'}
        >
          <legend class="fr-fieldset__legend" id="niveau-legende">
            Niveau d’accès
          </legend>
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id="niveau-basic" name="niveau" value="basic" checked={values.niveau === 'basic'} />
              <label class="fr-label" for="niveau-basic">
                Agent
                <span class="fr-hint-text">Voit les agendas et les rendez-vous de ses services.</span>
              </label>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id="niveau-admin" name="niveau" value="admin" checked={values.niveau === 'admin'} />
              <label class="fr-label" for="niveau-admin">
                Administrateur
                <span class="fr-hint-text">Voit tout et gère l’organisation : agents, lieux, motifs.</span>
              </label>
            </div>
          </div>
          {levelError === undefined ? null : (
            <div class="fr-messages-group" id="niveau-erreur" aria-live="polite">
              <p class="fr-message fr-message--error">{levelError}</p>
            </div>
          )}
        </fieldset>
        <div class={serviceError === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
          <label class="fr-label" for="service">
            Service
          </label>
          <select
            class={serviceError === undefined ? 'fr-select' : 'fr-select fr-select--error'}
            id="service"
            name="service"
            aria-describedby={serviceError === undefined ? undefined : 'service-erreur'}
            aria-invalid={serviceError === undefined ? undefined : 'true'}
          >
            <option value="">Choisissez un service</option>
            {props.services.map((service) => (
              <option value={String(service.id)} selected={values.service === service.id}>
                {service.name}
              </option>
            ))}
          </select>
          {serviceError === undefined ? null : (
            <p class="fr-error-text" id="service-erreur">
              {serviceError}
            </p>
          )}
        </div>
        <ul class="fr-btns-group fr-btns-group--inline fr-mt-3w">
          <li>
            <button class="fr-btn" type="submit">
              Envoyer l’invitation
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={agentsPath(props.organisationId)}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </AgentLayout>
  );
}

/** The page of an e-mailed link (invitation or reset): choose a password, typed twice. */
export function ChoosePasswordPage(props: {
  csrfToken: string;
  title: string;
  intro: string;
  action: string;
  token: string;
  passwordHint: string;
  button: string;
  errors?: Errors;
}): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title={props.title}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-6">
          <h1>{props.title}</h1>
          <p>{props.intro}</p>
          <ErrorSummary errors={errors} />
          <form method="post" action={props.action} novalidate>
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="jeton" value={props.token} />
            <Input name="motDePasse" label="Mot de passe" type="password" autocomplete="new-password" error={errors.motDePasse} hint={props.passwordHint} />
            <Input name="confirmation" label="Confirmation du mot de passe" type="password" autocomplete="new-password" error={errors.confirmation} />
            <button class="fr-btn fr-mt-2w" type="submit">
              {props.button}
            </button>
          </form>
        </div>
      </div>
    </Layout>
  );
}

/** An e-mailed link that is expired, used, revoked or unknown (403): what to do now. */
export function UnusableLinkPage(props: { kind: 'invitation' | 'password_reset' }): Html {
  return (
    <Layout title="Lien expiré ou déjà utilisé">
      <h1>Ce lien ne fonctionne plus</h1>
      {props.kind === 'invitation' ? (
        <p>
          Ce lien d’invitation a expiré, a déjà servi ou a été remplacé par une invitation plus récente. Si vous avez déjà choisi votre mot de passe, connectez-vous.
          Sinon, demandez à l’administrateur de votre organisation de vous inviter de nouveau : vous recevrez un nouveau lien, valable 7 jours.
        </p>
      ) : (
        <p>Ce lien de réinitialisation a expiré (il est valable 1 heure), a déjà servi ou a été remplacé. Demandez un nouveau lien : il vous sera envoyé par e-mail.</p>
      )}
      <ul class="fr-btns-group fr-btns-group--inline">
        <li>
          <a class="fr-btn" href="/agents/connexion">
            Se connecter
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/agents/mot-de-passe-oublie">
            Demander un nouveau lien
          </a>
        </li>
      </ul>
    </Layout>
  );
}

/** Forgotten password: an e-mail address. */
export function AgentForgotPasswordPage(props: { csrfToken: string; email?: string; errors?: Errors }): Html {
  const errors = props.errors ?? {};
  return (
    <Layout title="Mot de passe oublié — espace agents">
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-6">
          <h1>Mot de passe oublié</h1>
          <p>Saisissez l’adresse e-mail professionnelle de votre compte agent : vous recevrez un lien pour choisir un nouveau mot de passe.</p>
          <ErrorSummary errors={errors} />
          <form method="post" action="/agents/mot-de-passe-oublie" novalidate>
            <CsrfField token={props.csrfToken} />
            <Input name="email" label="Adresse e-mail professionnelle" type="email" autocomplete="username" value={props.email} error={errors.email} />
            <button class="fr-btn fr-mt-2w" type="submit">
              Recevoir un lien
            </button>
          </form>
          <p class="fr-mt-3w">
            <a class="fr-link" href="/agents/connexion">
              Retour à la connexion
            </a>
          </p>
        </div>
      </div>
    </Layout>
  );
}

/** After the forgotten-password form: the same words for every address. */
export function AgentResetSentPage(): Html {
  return (
    <Layout title="Vérifiez votre boîte e-mail">
      <h1>Vérifiez votre boîte e-mail</h1>
      <p>
        Si un compte agent avec mot de passe existe pour cette adresse, un lien pour choisir un nouveau mot de passe vient d’y être envoyé. Il est valable 1 heure. Si
        vous n’avez pas encore accepté votre invitation, utilisez le lien de l’e-mail d’invitation, ou demandez-en un nouveau à l’administrateur de votre organisation.
      </p>
      <p>
        <a class="fr-link" href="/agents/connexion">
          Retour à la connexion
        </a>
      </p>
    </Layout>
  );
}

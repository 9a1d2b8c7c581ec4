// Pages of agents administration (ADR 0029): create an intervenant, an agent's page (level,
// services, address for an intervenant given access, invitation), the removal from the organisation
// with the appointments that prevent it.
import { CsrfField } from '../../../platform/security/index.js';
import { formatSlotLong } from '../../../platform/views/format.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { dateToEpochMinutes } from '../../../shared/time/index.js';
import { AgentLayout, agentDisplayName, type AccessLevel, type AgentPrincipal } from '../../agents/index.js';
import type { BlockingAppointment, OrganisationAgentRecord } from '../organisation-agents.repository.js';
import { ACCESS_LEVEL_HINTS, ACCESS_LEVEL_LABELS, agentPath, agentsPath, Notice, ServiceCheckboxes, type Errors } from './pages-common.js';

interface PageBase {
  principal: AgentPrincipal;
  organisationId: number;
  csrfToken: string;
}

export interface IntervenantFormValues {
  prenom?: string;
  nom?: string;
  services?: readonly number[];
}

/** « Créer un intervenant »: names and services; no address, no sign-in. */
export function NewIntervenantPage(props: PageBase & { services: readonly { id: number; name: string }[]; values?: IntervenantFormValues; errors?: Errors }): Html {
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  return (
    <AgentLayout title="Créer un intervenant" principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <h1>Créer un intervenant</h1>
      <p>
        Un intervenant a un agenda et des rendez-vous mais ne se connecte pas : pas d’adresse e-mail ni de mot de passe. Vous pourrez plus tard lui donner accès à
        Créneau depuis sa page, avec son adresse e-mail.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action={`${agentsPath(props.organisationId)}/nouvel-intervenant`} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="prenom" label="Prénom" autocomplete="off" value={values.prenom} error={errors.prenom} />
        <Input name="nom" label="Nom" autocomplete="off" value={values.nom} error={errors.nom} />
        <ServiceCheckboxes services={props.services} checked={values.services ?? []} error={errors.services} />
        <ul class="fr-btns-group fr-btns-group--inline fr-mt-3w">
          <li>
            <button class="fr-btn" type="submit">
              Créer l’intervenant
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

export interface AccessFormValues {
  niveau?: string;
  services?: readonly number[];
  email?: string;
}

function statusOf(agent: OrganisationAgentRecord): string {
  if (agent.accessLevel === 'intervenant') return 'Sans compte (intervenant)';
  if (agent.email !== null && !agent.hasPassword) return 'Invitation en attente';
  return 'Compte actif';
}

/** An agent of the organisation: who they are, their level and services (a form), the invitation, the removal. */
export function AgentPage(
  props: PageBase & {
    agent: OrganisationAgentRecord;
    services: readonly { id: number; name: string }[];
    levels: readonly AccessLevel[];
    values?: AccessFormValues;
    errors?: Errors;
    notice?: string;
  },
): Html {
  const { agent } = props;
  const values = props.values ?? { niveau: agent.accessLevel, services: agent.serviceIds };
  const errors = props.errors ?? {};
  const name = agentDisplayName(agent);
  const pending = agent.email !== null && !agent.hasPassword && agent.accessLevel !== 'intervenant';
  const levelError = errors.niveau;
  const asksEmail = agent.email === null;
  return (
    <AgentLayout title={`${name} — agents`} principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href={agentsPath(props.organisationId)}>
              Agents de l’organisation
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" aria-current="page">
              {name}
            </a>
          </li>
        </ol>
      </nav>
      <h1>{name}</h1>
      <Notice text={props.notice} />
      <ErrorSummary errors={errors} />
      <dl>
        <dt>Adresse e-mail</dt>
        <dd>{agent.email ?? 'Aucune (intervenant)'}</dd>
        <dt>Statut</dt>
        <dd>{statusOf(agent)}</dd>
        <dt>Niveau d’accès dans l’organisation</dt>
        <dd>{ACCESS_LEVEL_LABELS[agent.accessLevel] ?? agent.accessLevel}</dd>
        <dt>Autres organisations du territoire</dt>
        <dd>{agent.otherOrganisations.length === 0 ? 'Aucune' : agent.otherOrganisations.join(', ')}</dd>
        <dt>Équipes</dt>
        <dd>{agent.teamNames.length === 0 ? 'Aucune' : agent.teamNames.join(', ')}</dd>
      </dl>
      {pending ? (
        <form method="post" action={`${agentPath(props.organisationId, agent.agentId)}/invitation`} class="fr-mb-4w">
          <CsrfField token={props.csrfToken} />
          <p>L’agent n’a pas encore choisi son mot de passe. Un nouvel envoi remplace le lien précédent, qui cesse de fonctionner.</p>
          <button class="fr-btn fr-btn--secondary fr-icon-mail-line fr-btn--icon-left" type="submit">
            Renvoyer l’invitation
          </button>
        </form>
      ) : null}

      <h2>Accès et services</h2>
      <form method="post" action={`${agentPath(props.organisationId, agent.agentId)}/modifier`} novalidate>
        <CsrfField token={props.csrfToken} />
        <fieldset
          class={levelError === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'}
          id="niveau"
          aria-labelledby={levelError === undefined ? 'niveau-legende' : 'niveau-legende niveau-erreur'}
        >
          <legend class="fr-fieldset__legend" id="niveau-legende">
            Niveau d’accès
          </legend>
          {props.levels.map((level) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`niveau-${level}`} name="niveau" value={level} checked={values.niveau === level} />
                <label class="fr-label" for={`niveau-${level}`}>
                  {ACCESS_LEVEL_LABELS[level] ?? level}
                  <span class="fr-hint-text">{ACCESS_LEVEL_HINTS[level]}</span>
                </label>
              </div>
            </div>
          ))}
          {levelError === undefined ? null : (
            <div class="fr-messages-group" id="niveau-erreur" aria-live="polite">
              <p class="fr-message fr-message--error">{levelError}</p>
            </div>
          )}
        </fieldset>
        {asksEmail ? (
          <Input
            name="email"
            label="Adresse e-mail professionnelle"
            type="email"
            autocomplete="off"
            required={false}
            value={values.email}
            error={errors.email}
            hint="Seulement pour donner accès à Créneau (niveau Agent ou Administrateur) : l’intervenant recevra une invitation pour choisir son mot de passe."
          />
        ) : null}
        <ServiceCheckboxes services={props.services} checked={values.services ?? []} error={errors.services} />
        <button class="fr-btn fr-mt-2w" type="submit">
          Enregistrer
        </button>
      </form>

      <h2 class="fr-mt-5w">Retirer de l’organisation</h2>
      <p>
        L’agent perd l’accès à l’organisation ; ses plages d’ouverture et ses absences de l’organisation sont supprimées. Ses rendez-vous à venir doivent d’abord être
        réattribués ou annulés. S’il n’a plus d’autre organisation, son compte est désactivé.
      </p>
      <p>
        <a class="fr-btn fr-btn--tertiary fr-icon-user-unfollow-line fr-btn--icon-left" href={`${agentPath(props.organisationId, agent.agentId)}/retrait`}>
          Retirer {name} de l’organisation
        </a>
      </p>
    </AgentLayout>
  );
}

/** The removal: the appointments that prevent it (with links to reassign or cancel them), or the confirmation. */
export function RemovalPage(
  props: PageBase & { agent: OrganisationAgentRecord; appointments: readonly BlockingAppointment[]; refusal?: string; lastAdmin: boolean; lastOrganisation: boolean; organisationName: string },
): Html {
  const name = agentDisplayName(props.agent);
  const blocked = props.appointments.length > 0;
  return (
    <AgentLayout title={`Retirer ${name} de l’organisation`} principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href={agentsPath(props.organisationId)}>
              Agents de l’organisation
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" href={agentPath(props.organisationId, props.agent.agentId)}>
              {name}
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" aria-current="page">
              Retrait
            </a>
          </li>
        </ol>
      </nav>
      <h1>Retirer {name} de l’organisation</h1>
      {props.refusal === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{props.refusal}</p>
        </div>
      )}
      {blocked ? (
        <>
          <div class="fr-alert fr-alert--warning fr-mb-3w">
            <h2 class="fr-alert__title">{props.appointments.length === 1 ? 'Un rendez-vous à venir empêche le retrait' : `${String(props.appointments.length)} rendez-vous à venir empêchent le retrait`}</h2>
            <p>Réattribuez-les à un autre agent ou annulez-les, puis revenez sur cette page.</p>
          </div>
          <div class="fr-table">
            <table>
              <caption>Rendez-vous à venir de {name} dans l’organisation</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Motif</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {props.appointments.map((appointment) => (
                  <tr>
                    <td>{formatSlotLong({ startsAtEpochMinutes: dateToEpochMinutes(appointment.startsAt), timeZone: appointment.timeZone })}</td>
                    <td>
                      {appointment.motifName}
                      {appointment.isCollective ? ' (collectif)' : ''}
                    </td>
                    <td>
                      <a class="fr-link" href={`/agents/organisations/${String(props.organisationId)}/rdv/${String(appointment.appointmentId)}`}>
                        Réattribuer ou annuler<span class="fr-sr-only"> le rendez-vous du {formatSlotLong({ startsAtEpochMinutes: dateToEpochMinutes(appointment.startsAt), timeZone: appointment.timeZone })}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : props.lastAdmin ? (
        <p>
          <a class="fr-link" href={agentsPath(props.organisationId)}>
            Retour aux agents de l’organisation
          </a>
        </p>
      ) : (
        <>
          <p>En retirant {name} de {props.organisationName} :</p>
          <ul>
            <li>l’agent n’a plus accès à l’organisation et n’y apparaît plus dans les agendas ni la recherche de créneaux ;</li>
            <li>ses plages d’ouverture et ses absences enregistrées dans l’organisation sont supprimées, ainsi que ses attributions de secteur ;</li>
            <li>ses rendez-vous passés restent dans l’historique ;</li>
            {props.lastOrganisation ? (
              <li>
                <strong>c’est sa dernière organisation : son compte est désactivé et ses sessions ouvertes sont fermées.</strong>
              </li>
            ) : (
              <li>il garde son accès à ses autres organisations.</li>
            )}
          </ul>
          <form method="post" action={`${agentPath(props.organisationId, props.agent.agentId)}/retrait`}>
            <CsrfField token={props.csrfToken} />
            <ul class="fr-btns-group fr-btns-group--inline">
              <li>
                <button class="fr-btn" type="submit">
                  Retirer de l’organisation
                </button>
              </li>
              <li>
                <a class="fr-btn fr-btn--secondary" href={agentPath(props.organisationId, props.agent.agentId)}>
                  Annuler
                </a>
              </li>
            </ul>
          </form>
        </>
      )}
    </AgentLayout>
  );
}

// Pages of teams (ADR 0029): the territory's teams with this organisation's members, and one team:
// its members here (add, remove), rename and delete while the team is the organisation's alone.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { AgentLayout, agentDisplayName, type AgentPrincipal } from '../../agents/index.js';
import { sharedTeamMessage } from '../domain/team-rules.js';
import type { TeamMember, TeamSummary } from '../teams.repository.js';
import { agentPath, agentsPath, Notice, teamPath, teamsPath, type Errors } from './pages-common.js';

interface PageBase {
  principal: AgentPrincipal;
  organisationId: number;
  csrfToken: string;
}

function elsewhere(count: number): string {
  if (count === 0) return '—';
  return count === 1 ? '1 agent' : `${String(count)} agents`;
}

/** The territory's teams (those slot search offers), this organisation's members named, the others counted; a creation form. */
export function TeamsPage(props: PageBase & { teams: readonly TeamSummary[]; name?: string; errors?: Errors; notice?: string }): Html {
  const errors = props.errors ?? {};
  return (
    <AgentLayout title="Équipes" principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href={agentsPath(props.organisationId)}>
              Agents de l’organisation
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" aria-current="page">
              Équipes
            </a>
          </li>
        </ol>
      </nav>
      <h1>Équipes</h1>
      <p>
        Les équipes appartiennent au territoire : elles peuvent réunir des agents de plusieurs organisations et servent de filtre dans « Trouver un créneau ». Vous gérez
        les membres de votre organisation ; une équipe qui compte des agents d’autres organisations ne peut être ni renommée ni supprimée d’ici.
      </p>
      <Notice text={props.notice} />
      <ErrorSummary errors={errors} />
      <div class="fr-table">
        <table>
          <caption>{props.teams.length === 1 ? '1 équipe dans le territoire' : `${String(props.teams.length)} équipes dans le territoire`}</caption>
          <thead>
            <tr>
              <th scope="col">Équipe</th>
              <th scope="col">Membres de l’organisation</th>
              <th scope="col">Membres d’autres organisations</th>
            </tr>
          </thead>
          <tbody>
            {props.teams.map((team) => (
              <tr>
                <th scope="row">
                  <a class="fr-link" href={teamPath(props.organisationId, team.id)}>
                    {team.name}
                  </a>
                </th>
                <td>{team.members.length === 0 ? '—' : team.members.map((member) => agentDisplayName(member)).join(', ')}</td>
                <td>{elsewhere(team.membersElsewhere)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Créer une équipe</h2>
      <form method="post" action={teamsPath(props.organisationId)} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="nom" label="Nom de l’équipe" autocomplete="off" value={props.name} error={errors.nom} hint="Unique dans le territoire, par exemple « PMI Nord »." />
        <button class="fr-btn" type="submit">
          Créer l’équipe
        </button>
      </form>
    </AgentLayout>
  );
}

/** One team: its members of the organisation (remove, add), rename, delete. */
export function TeamPage(
  props: PageBase & { team: TeamSummary; candidates: readonly TeamMember[]; values?: { nom?: string; agent?: string }; errors?: Errors; notice?: string; statusError?: string },
): Html {
  const { team } = props;
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const alone = team.membersElsewhere === 0;
  const memberIds = new Set(team.members.map((member) => member.agentId));
  const candidates = props.candidates.filter((candidate) => !memberIds.has(candidate.agentId));
  const agentError = errors.agent;
  return (
    <AgentLayout title={`Équipe ${team.name}`} principal={props.principal} organisationId={props.organisationId} section="agents" csrfToken={props.csrfToken}>
      <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
        <ol class="fr-breadcrumb__list">
          <li>
            <a class="fr-breadcrumb__link" href={agentsPath(props.organisationId)}>
              Agents de l’organisation
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" href={teamsPath(props.organisationId)}>
              Équipes
            </a>
          </li>
          <li>
            <a class="fr-breadcrumb__link" aria-current="page">
              {team.name}
            </a>
          </li>
        </ol>
      </nav>
      <h1>Équipe {team.name}</h1>
      <Notice text={props.notice} />
      {props.statusError === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{props.statusError}</p>
        </div>
      )}
      <ErrorSummary errors={errors} />
      {team.membersElsewhere > 0 ? (
        <p>
          L’équipe compte aussi {team.membersElsewhere === 1 ? 'un agent d’une autre organisation' : `${String(team.membersElsewhere)} agents d’autres organisations`} du
          territoire, que vous ne voyez pas ici.
        </p>
      ) : null}
      <div class="fr-table">
        <table>
          <caption>Membres de l’équipe dans l’organisation</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {team.members.length === 0 ? (
              <tr>
                <td colspan="2">Aucun agent de l’organisation dans cette équipe.</td>
              </tr>
            ) : (
              team.members.map((member) => (
                <tr>
                  <th scope="row">
                    <a class="fr-link" href={agentPath(props.organisationId, member.agentId)}>
                      {agentDisplayName(member)}
                    </a>
                  </th>
                  <td>
                    <form method="post" action={`${teamPath(props.organisationId, team.id)}/membres/${String(member.agentId)}/retirer`}>
                      <CsrfField token={props.csrfToken} />
                      <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                        Retirer<span class="fr-sr-only"> {agentDisplayName(member)} de l’équipe</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>

      <h2>Ajouter un membre</h2>
      {candidates.length === 0 ? (
        <p>Tous les agents de l’organisation font partie de cette équipe.</p>
      ) : (
        <form method="post" action={`${teamPath(props.organisationId, team.id)}/membres`} novalidate>
          <CsrfField token={props.csrfToken} />
          <div class={agentError === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
            <label class="fr-label" for="agent">
              Agent de l’organisation
            </label>
            <select
              class={agentError === undefined ? 'fr-select' : 'fr-select fr-select--error'}
              id="agent"
              name="agent"
              aria-describedby={agentError === undefined ? undefined : 'agent-erreur'}
              aria-invalid={agentError === undefined ? undefined : 'true'}
            >
              <option value="">Choisissez un agent</option>
              {candidates.map((candidate) => (
                <option value={String(candidate.agentId)} selected={values.agent === String(candidate.agentId)}>
                  {agentDisplayName(candidate)}
                </option>
              ))}
            </select>
            {agentError === undefined ? null : (
              <p class="fr-error-text" id="agent-erreur">
                {agentError}
              </p>
            )}
          </div>
          <button class="fr-btn" type="submit">
            Ajouter à l’équipe
          </button>
        </form>
      )}

      <h2 class="fr-mt-5w">Renommer ou supprimer l’équipe</h2>
      {alone ? (
        <>
          <form method="post" action={`${teamPath(props.organisationId, team.id)}/renommer`} novalidate class="fr-mb-3w">
            <CsrfField token={props.csrfToken} />
            <Input name="nom" label="Nouveau nom" autocomplete="off" value={values.nom ?? team.name} error={errors.nom} />
            <button class="fr-btn fr-btn--secondary" type="submit">
              Renommer
            </button>
          </form>
          <form method="post" action={`${teamPath(props.organisationId, team.id)}/supprimer`}>
            <CsrfField token={props.csrfToken} />
            <p>La suppression retire l’équipe du territoire ; les agents, leurs agendas et leurs rendez-vous ne changent pas.</p>
            <button class="fr-btn fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left" type="submit">
              Supprimer l’équipe
            </button>
          </form>
        </>
      ) : (
        <p>{sharedTeamMessage(team.membersElsewhere, 'supprimer')}</p>
      )}
    </AgentLayout>
  );
}

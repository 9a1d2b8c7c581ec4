// The read journal of a territory (issue 10 §2): who read which usagers' records, when and why,
// newest first, with filters by agent, usager and period, and pages of 50.
import { ErrorSummary } from '../../../platform/views/forms.js';
import { formatSlotLong } from '../../../platform/views/format.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { dateToEpochMinutes } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { journalQuery, type JournalFilterInput } from '../domain/journal-filters.js';
import type { JournalPage, JournalRow, TerritoryAgent } from '../read-journal.queries.js';

export function journalPath(organisationId: number, query = ''): string {
  const base = `/agents/organisations/${String(organisationId)}/journal-des-consultations`;
  return query === '' ? base : `${base}?${query}`;
}

/** What was read, in French. */
export function describeReading(row: Pick<JournalRow, 'kind' | 'details' | 'userIds'>): string {
  switch (row.kind) {
    case 'user_view':
      return row.details.purpose === 'merge' ? 'Fiches comparées pour une fusion' : 'Fiche usager';
    case 'user_search': {
      const results = typeof row.details.results === 'number' ? row.details.results : row.userIds.length;
      return `Recherche (${String(results)} résultat${results > 1 ? 's' : ''})`;
    }
    case 'export':
      return 'Export';
  }
}

function Field(props: { name: 'usager' | 'du' | 'au'; label: string; hint?: string; type: 'text' | 'date'; values: JournalFilterInput; error: string | undefined }): Html {
  const hasError = props.error !== undefined;
  return (
    <div class={hasError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <input
        class={hasError ? 'fr-input fr-input--error' : 'fr-input'}
        type={props.type}
        id={props.name}
        name={props.name}
        value={props.values[props.name] ?? ''}
        inputmode={props.name === 'usager' ? 'numeric' : undefined}
        aria-invalid={hasError ? 'true' : undefined}
        aria-describedby={hasError ? `${props.name}-erreur` : undefined}
      />
      {hasError ? (
        <p class="fr-error-text" id={`${props.name}-erreur`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function Usagers(props: { row: JournalRow; names: ReadonlyMap<number, string>; organisationId: number }): Html {
  if (props.row.userIds.length === 0) return <>—</>;
  return (
    <ul class="fr-raw-list">
      {props.row.userIds.map((userId) => {
        const name = props.names.get(userId);
        return (
          <li>
            {name === undefined ? (
              `Usager n° ${String(userId)}`
            ) : (
              <a href={`/agents/organisations/${String(props.organisationId)}/usagers/${String(userId)}`}>
                {name} (n° {String(userId)})
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export interface ReadJournalPageProps {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
  readonly timeZone: string;
  readonly territoryName: string;
  readonly agents: readonly TerritoryAgent[];
  readonly values: JournalFilterInput;
  readonly errors: Readonly<Record<string, string>>;
  readonly currentPage: number;
  /** Undefined when the filters were refused. */
  readonly page: JournalPage | undefined;
  /** Names of the listed usagers the admin may see (the others are shown by number). */
  readonly names: ReadonlyMap<number, string>;
}

export function ReadJournalPage(props: ReadJournalPageProps): Html {
  const selectedAgent = props.values.agent ?? '';
  return (
    <AgentLayout title="Journal des consultations" principal={props.principal} organisationId={props.organisationId} csrfToken={props.csrfToken} width="fluid" section="journal">
      <h1>Journal des consultations</h1>
      <p>
        Qui a consulté quelles fiches d’usagers du territoire {props.territoryName}, quand et pourquoi : fiches ouvertes, recherches et exports. Les noms ne sont affichés que pour les
        usagers que vous pouvez voir ; les autres apparaissent par leur numéro.
      </p>
      <ErrorSummary errors={props.errors} />
      <form method="get" action={journalPath(props.organisationId)} class="fr-mb-3w">
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Filtrer</legend>
          <div class="fr-fieldset__element">
            <div class={props.errors.agent === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
              <label class="fr-label" for="agent">
                Agent
              </label>
              <select class="fr-select" id="agent" name="agent" aria-describedby={props.errors.agent === undefined ? undefined : 'agent-erreur'}>
                <option value="" selected={selectedAgent === ''}>
                  Tous les agents
                </option>
                {props.agents.map((agent) => (
                  <option value={String(agent.id)} selected={selectedAgent === String(agent.id)}>
                    {agent.name}
                  </option>
                ))}
              </select>
              {props.errors.agent === undefined ? null : (
                <p class="fr-error-text" id="agent-erreur">
                  {props.errors.agent}
                </p>
              )}
            </div>
          </div>
          <div class="fr-fieldset__element">
            <Field name="usager" label="Numéro d’usager" hint="Le numéro affiché sur la fiche, par exemple 1234" type="text" values={props.values} error={props.errors.usager} />
          </div>
          <div class="fr-fieldset__element">
            <Field name="du" label="Du" type="date" values={props.values} error={props.errors.du} />
          </div>
          <div class="fr-fieldset__element">
            <Field name="au" label="Au (inclus)" type="date" values={props.values} error={props.errors.au} />
          </div>
          <div class="fr-fieldset__element">
            <button class="fr-btn fr-btn--secondary" type="submit">
              Filtrer
            </button>
          </div>
        </fieldset>
      </form>
      {props.page === undefined ? null : props.page.rows.length === 0 ? (
        <p>Aucune consultation ne correspond.</p>
      ) : (
        <>
          <div class="fr-table fr-table--bordered">
            <table>
              <caption>Consultations, les plus récentes d’abord (page {String(props.currentPage)})</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Consultation</th>
                  <th scope="col">Usagers</th>
                  <th scope="col">Motif donné</th>
                </tr>
              </thead>
              <tbody>
                {props.page.rows.map((row) => (
                  <tr>
                    <td>{formatSlotLong({ startsAtEpochMinutes: dateToEpochMinutes(row.occurredAt), timeZone: props.timeZone })}</td>
                    <td>{row.agentName}</td>
                    <td>{row.organisationName ?? '—'}</td>
                    <td>{describeReading(row)}</td>
                    <td>
                      <Usagers row={row} names={props.names} organisationId={props.organisationId} />
                    </td>
                    <td>{row.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="fr-mt-2w" aria-label="Pages du journal">
            <ul class="fr-btns-group fr-btns-group--inline">
              {props.currentPage <= 1 ? null : (
                <li>
                  <a class="fr-btn fr-btn--tertiary" href={journalPath(props.organisationId, journalQuery(props.values, props.currentPage - 1))}>
                    Page précédente
                  </a>
                </li>
              )}
              {props.page.hasNext ? (
                <li>
                  <a class="fr-btn fr-btn--tertiary" href={journalPath(props.organisationId, journalQuery(props.values, props.currentPage + 1))}>
                    Page suivante
                  </a>
                </li>
              ) : null}
            </ul>
          </nav>
        </>
      )}
    </AgentLayout>
  );
}

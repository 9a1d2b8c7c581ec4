import { formatTime, zoneLabel } from '../../../platform/views/format.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { CsrfField } from '../../../platform/security/index.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { epochMinutesToLocal } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { AppointmentListModel } from '../agenda.use-cases.js';
import type { ListFormValues } from '../appointment-list-filters.js';
import { STATUS_FILTERS, statusDisplay, statusFilterDisplay } from '../domain/appointment-status.js';
import { appointmentHref, appointmentTitle, appointmentWhere, formatDayWithYear, participantNames } from './agenda-format.js';

export type { ListFormValues };

const LIST_FILTER_KEYS = ['agent', 'motif', 'lieu', 'statut', 'du', 'au'] as const;

export interface AppointmentListPageProps {
  readonly principal: AgentPrincipal;
  readonly csrfToken: string;
  readonly organisationId: number;
  readonly form: ListFormValues;
  /** Null when the filters could not be applied (422). */
  readonly model: AppointmentListModel | null;
  readonly errors?: Record<string, string | undefined>;
}

function listPath(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/rdv`;
}

function hrefWith(organisationId: number, form: ListFormValues, page: number): string {
  const query = new URLSearchParams();
  for (const key of LIST_FILTER_KEYS) query.set(key, form[key]);
  if (page > 1) query.set('page', String(page));
  return `${listPath(organisationId)}?${query.toString()}`;
}

function Select(props: { id: string; name: string; label: string; value: string; options: readonly { value: string; label: string }[]; allLabel: string }): Html {
  return (
    <div class="fr-select-group">
      <label class="fr-label" for={props.id}>
        {props.label}
      </label>
      <select class="fr-select" id={props.id} name={props.name}>
        <option value="" selected={props.value === ''}>
          {props.allLabel}
        </option>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateInput(props: { id: string; name: string; label: string; value: string; error?: string }): Html {
  const hasError = props.error !== undefined;
  return (
    <div class={hasError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={props.id}>
        {props.label}
        <span class="fr-hint-text">Format attendu : JJ/MM/AAAA</span>
      </label>
      <input
        class={hasError ? 'fr-input fr-input--error' : 'fr-input'}
        type="date"
        id={props.id}
        name={props.name}
        value={props.value}
        aria-invalid={hasError ? 'true' : undefined}
        aria-describedby={hasError ? `${props.id}-erreur` : undefined}
      />
      {hasError ? (
        <p class="fr-error-text" id={`${props.id}-erreur`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function FilterForm(props: AppointmentListPageProps): Html {
  const { model, form, organisationId } = props;
  const errors = props.errors ?? {};
  return (
    <form method="get" action={listPath(organisationId)} class="agenda-selector fr-mb-3w">
      <div class="agenda-selector__row">
        <Select
          id="filtre-agent"
          name="agent"
          label="Agent"
          value={form.agent}
          allLabel="Tous les agents"
          options={(model?.visibleAgents ?? []).map((agent) => ({ value: String(agent.id), label: `${agent.firstName} ${agent.lastName}` }))}
        />
        <Select
          id="filtre-motif"
          name="motif"
          label="Motif"
          value={form.motif}
          allLabel="Tous les motifs"
          options={(model?.motifs ?? []).map((motif) => ({ value: String(motif.id), label: motif.isArchived ? `${motif.name} (archivé)` : motif.name }))}
        />
        <Select
          id="filtre-statut"
          name="statut"
          label="Statut"
          value={form.statut}
          allLabel="Tous les statuts"
          options={STATUS_FILTERS.map((filter) => ({ value: filter, label: statusFilterDisplay(filter).label }))}
        />
        <Select
          id="filtre-lieu"
          name="lieu"
          label="Lieu"
          value={form.lieu}
          allLabel="Tous les lieux"
          options={(model?.places ?? []).map((place) => ({ value: String(place.id), label: place.name }))}
        />
        <DateInput id="du" name="du" label="Du" value={form.du} error={errors.du} />
        <DateInput id="au" name="au" label="Au (inclus)" value={form.au} error={errors.au} />
        <div class="agenda-selector__submit">
          <button class="fr-btn" type="submit">
            Filtrer
          </button>
        </div>
      </div>
      <p class="fr-mt-1w">
        <a class="fr-link" href={`${listPath(organisationId)}?du=`}>
          Effacer les filtres
        </a>
      </p>
    </form>
  );
}

/**
 * « Exporter les rendez-vous » / « Exporter les participations »: POST forms to the exports
 * module carrying the list's current filters (the same fields, read by the same rules).
 */
function ExportForms(props: { organisationId: number; form: ListFormValues; csrfToken: string }): Html {
  const action = `/agents/organisations/${String(props.organisationId)}/exports`;
  const hidden = LIST_FILTER_KEYS.map((key) => <input type="hidden" name={key} value={props.form[key]} />);
  return (
    <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-mb-2w">
      <li>
        <form method="post" action={action}>
          <CsrfField token={props.csrfToken} />
          {hidden}
          <button class="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" type="submit" name="type" value="rendez-vous">
            Exporter les rendez-vous
          </button>
        </form>
      </li>
      <li>
        <form method="post" action={action}>
          <CsrfField token={props.csrfToken} />
          {hidden}
          <button class="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" type="submit" name="type" value="participations">
            Exporter les participations
          </button>
        </form>
      </li>
    </ul>
  );
}

function Pagination(props: { organisationId: number; form: ListFormValues; page: number; pageCount: number }): Html {
  const { page, pageCount } = props;
  if (pageCount <= 1) return <p class="fr-text--sm">Une seule page.</p>;
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>
          {page > 1 ? (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href={hrefWith(props.organisationId, props.form, page - 1)}>
              Page précédente
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">
              Page précédente
            </a>
          )}
        </li>
        <li>
          <a class="fr-pagination__link" aria-current="page" title={`Page ${String(page)}`}>
            {`Page ${String(page)} sur ${String(pageCount)}`}
          </a>
        </li>
        <li>
          {page < pageCount ? (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={hrefWith(props.organisationId, props.form, page + 1)}>
              Page suivante
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">
              Page suivante
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}

/** The list of appointments with its filters, the "à renseigner" count and pagination. */
export function AppointmentListPage(props: AppointmentListPageProps): Html {
  const { model, organisationId, form } = props;
  const timeZone = model?.organisation.timeZone ?? 'Europe/Paris';
  const toFillHref = `${listPath(organisationId)}?statut=a-renseigner&du=${form.agent === '' ? '' : `&agent=${form.agent}`}`;
  return (
    <AgentLayout title="Rendez-vous" principal={props.principal} organisationId={organisationId} section="rdv" csrfToken={props.csrfToken} width="fluid">
      <h1 class="fr-h2">Rendez-vous</h1>
      <ErrorSummary errors={props.errors ?? {}} />
      {model !== null && model.toFillCount > 0 ? (
        <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w">
          <p>
            {model.toFillCount === 1 ? '1 rendez-vous passé est encore à renseigner.' : `${String(model.toFillCount)} rendez-vous passés sont encore à renseigner.`}{' '}
            <a href={toFillHref}>Voir les rendez-vous à renseigner</a>
          </p>
        </div>
      ) : null}
      <FilterForm {...props} />
      {model === null || props.errors !== undefined ? null : <ExportForms organisationId={organisationId} form={form} csrfToken={props.csrfToken} />}
      {model === null ? null : (
        <>
          <p class="agenda-list-count">
            {model.total === 0 ? 'Aucun rendez-vous ne correspond à ces filtres.' : model.total === 1 ? '1 rendez-vous' : `${String(model.total)} rendez-vous`}
            {' — horaires en '}
            {zoneLabel(timeZone)}
          </p>
          {model.appointments.length === 0 ? null : (
            <div class="fr-table fr-table--bordered">
              <div class="fr-table__wrapper">
                <div class="fr-table__container">
                  <div class="fr-table__content">
                    <table>
                      <caption>
                        Rendez-vous, page {String(model.page)} sur {String(model.pageCount)}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">Date et heure</th>
                          <th scope="col">Motif</th>
                          <th scope="col">Participants</th>
                          <th scope="col">Agents</th>
                          <th scope="col">Lieu</th>
                          <th scope="col">Statut</th>
                        </tr>
                      </thead>
                      <tbody>
                        {model.appointments.map((appointment) => {
                          const status = statusDisplay(appointment.status, appointment.startsAtEpochMinutes, model.nowEpochMinutes);
                          const day = epochMinutesToLocal(timeZone, appointment.startsAtEpochMinutes).dayNumber;
                          return (
                            <tr>
                              <th scope="row">
                                <a href={appointmentHref(organisationId, appointment.id)}>
                                  {formatDayWithYear(day)} à {formatTime(timeZone, appointment.startsAtEpochMinutes)}
                                </a>
                              </th>
                              <td>{appointmentTitle(appointment)}</td>
                              <td>{participantNames(appointment.participants)}</td>
                              <td>{appointment.agentIds.map((id) => model.agentNames.get(id) ?? 'agent d’une autre organisation').join(', ')}</td>
                              <td>{appointmentWhere(appointment)}</td>
                              <td>
                                <span class={`${status.icon} fr-icon--sm`} aria-hidden="true"></span> {status.label}
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          )}
          <Pagination organisationId={organisationId} form={form} page={model.page} pageCount={model.pageCount} />
        </>
      )}
    </AgentLayout>
  );
}

// The notifications log of an organisation (and of its territory for territorial admins): one
// line per planned message, with its latest receipt, filters, pages of 50, and « Renvoyer ».
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { formatDayLong, formatTime } from '../../../platform/views/format.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { dateToEpochMinutes, epochMinutesToLocal } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { CHANNEL_LABELS, EVENT_LABELS, STATUS_LABELS, type LogFilterInput, type LogPage, type LogRow } from '../admin-notifications-log.js';
import { SMS_PROVIDER_LABELS } from '../admin-territory-settings.js';

/** A one-time message after a write (Post/Redirect/Get). */
export interface AdminNotice {
  readonly kind: 'success' | 'info' | 'error';
  readonly text: string;
}

export function notificationsPath(organisationId: number, rest = ''): string {
  return `/agents/organisations/${String(organisationId)}/notifications${rest}`;
}

export function NoticeBox(props: { notice: AdminNotice | undefined }): Html {
  if (props.notice === undefined) return <></>;
  return (
    <div class={`fr-alert fr-alert--${props.notice.kind} fr-alert--sm fr-mb-3w`} role={props.notice.kind === 'error' ? 'alert' : 'status'}>
      <p>{props.notice.text}</p>
    </div>
  );
}

function providerLabel(provider: string | null): string {
  if (provider === null) return '—';
  const known = Object.entries(SMS_PROVIDER_LABELS).find(([name]) => name === provider);
  if (known !== undefined) return known[1];
  return provider === 'smtp' ? 'SMTP' : provider;
}

function FilterSelect(props: { name: keyof LogFilterInput; label: string; labels: Readonly<Record<string, string>>; values: LogFilterInput; error: string | undefined }): Html {
  const selected = props.values[props.name] ?? '';
  return (
    <div class={props.error === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label}
      </label>
      <select class="fr-select" id={props.name} name={props.name} aria-describedby={props.error === undefined ? undefined : `${props.name}-erreur`}>
        <option value="" selected={selected === ''}>
          Tous
        </option>
        {Object.entries(props.labels).map(([value, label]) => (
          <option value={value} selected={selected === value}>
            {label}
          </option>
        ))}
      </select>
      {props.error === undefined ? null : (
        <p class="fr-error-text" id={`${props.name}-erreur`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

function DateFilter(props: { name: 'du' | 'au'; label: string; values: LogFilterInput; error: string | undefined }): Html {
  return (
    <div class={props.error === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label}
      </label>
      <input
        class={props.error === undefined ? 'fr-input' : 'fr-input fr-input--error'}
        type="date"
        id={props.name}
        name={props.name}
        value={props.values[props.name] ?? ''}
        aria-invalid={props.error === undefined ? undefined : 'true'}
        aria-describedby={props.error === undefined ? undefined : `${props.name}-erreur`}
      />
      {props.error === undefined ? null : (
        <p class="fr-error-text" id={`${props.name}-erreur`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

function formatInstant(timeZone: string, at: Date): string {
  const minutes = dateToEpochMinutes(at);
  return `${formatDayLong(epochMinutesToLocal(timeZone, minutes).dayNumber)} à ${formatTime(timeZone, minutes)}`;
}

function LogLine(props: { row: LogRow; organisationId: number; timeZone: string; csrfToken: string }): Html {
  const { row } = props;
  const recipient = row.recipientName === null ? 'Destinataire supprimé' : `${row.recipientName} (${row.recipientKind === 'agent' ? 'agent' : 'usager'})`;
  return (
    <tr>
      <td>{formatInstant(props.timeZone, row.createdAt)}</td>
      <td>
        {row.appointmentId === null ? (
          EVENT_LABELS[row.event]
        ) : (
          <a href={`/agents/organisations/${String(props.organisationId)}/rdv/${String(row.appointmentId)}`}>{EVENT_LABELS[row.event]}</a>
        )}
      </td>
      <td>{CHANNEL_LABELS[row.channel]}</td>
      <td>{recipient}</td>
      <td>
        <p class={`fr-badge fr-badge--sm fr-badge--no-icon ${row.status === 'sent' ? 'fr-badge--success' : row.status === 'failed' ? 'fr-badge--error' : row.status === 'in_doubt' ? 'fr-badge--warning' : 'fr-badge--info'}`}>
          {STATUS_LABELS[row.status]}
        </p>
      </td>
      <td>{String(row.attempts)}</td>
      <td>{row.lastError ?? '—'}</td>
      <td>{providerLabel(row.provider)}</td>
      <td>{row.segments === null ? '—' : String(row.segments)}</td>
      <td>
        {row.canResend ? (
          <form method="post" action={notificationsPath(props.organisationId, `/${String(row.id)}/renvoyer`)}>
            <CsrfField token={props.csrfToken} />
            <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit" title={`Renvoyer la notification n° ${String(row.id)}`}>
              Renvoyer
            </button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

export interface NotificationsLogProps {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
  readonly timeZone: string;
  readonly includesTerritory: boolean;
  readonly values: LogFilterInput;
  readonly errors: Readonly<Record<string, string>>;
  /** Undefined when the filters were refused. */
  readonly page: LogPage | undefined;
  readonly notice: AdminNotice | undefined;
  readonly canEditTerritory: boolean;
}

function pageHref(organisationId: number, values: LogFilterInput, before?: number): string {
  const query = new URLSearchParams();
  for (const name of ['statut', 'canal', 'evenement', 'du', 'au'] as const) {
    const value = values[name];
    if (value !== undefined && value !== '') query.set(name, value);
  }
  if (before !== undefined) query.set('avant', String(before));
  const text = query.toString();
  return text === '' ? notificationsPath(organisationId) : `${notificationsPath(organisationId)}?${text}`;
}

export function NotificationsLogView(props: NotificationsLogProps): Html {
  return (
    <AgentLayout title="Notifications envoyées" principal={props.principal} organisationId={props.organisationId} csrfToken={props.csrfToken} width="fluid" section="notifications">
      <h1>Notifications envoyées</h1>
      <p>
        {props.includesTerritory
          ? 'Les messages des rendez-vous de l’organisation et les messages de compte du territoire.'
          : 'Les messages des rendez-vous de l’organisation.'}
      </p>
      {props.canEditTerritory ? (
        <p>
          <a class="fr-link" href={`/agents/organisations/${String(props.organisationId)}/territoire/notifications`}>
            Paramètres SMS et e-mail du territoire
          </a>
        </p>
      ) : null}
      <NoticeBox notice={props.notice} />
      <ErrorSummary errors={props.errors} />
      <form method="get" action={notificationsPath(props.organisationId)} class="fr-mb-3w">
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Filtrer</legend>
          <div class="fr-fieldset__element">
            <FilterSelect name="statut" label="Statut" labels={STATUS_LABELS} values={props.values} error={props.errors.statut} />
          </div>
          <div class="fr-fieldset__element">
            <FilterSelect name="canal" label="Canal" labels={CHANNEL_LABELS} values={props.values} error={props.errors.canal} />
          </div>
          <div class="fr-fieldset__element">
            <FilterSelect name="evenement" label="Événement" labels={EVENT_LABELS} values={props.values} error={props.errors.evenement} />
          </div>
          <div class="fr-fieldset__element">
            <DateFilter name="du" label="Du" values={props.values} error={props.errors.du} />
          </div>
          <div class="fr-fieldset__element">
            <DateFilter name="au" label="Au (inclus)" values={props.values} error={props.errors.au} />
          </div>
          <div class="fr-fieldset__element">
            <button class="fr-btn fr-btn--secondary" type="submit">
              Filtrer
            </button>
          </div>
        </fieldset>
      </form>
      {props.page === undefined ? null : props.page.rows.length === 0 ? (
        <p>Aucune notification ne correspond.</p>
      ) : (
        <>
          <div class="fr-table fr-table--bordered">
            <table>
              <caption>Notifications, les plus récentes d’abord</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Événement</th>
                  <th scope="col">Canal</th>
                  <th scope="col">Destinataire</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Tentatives</th>
                  <th scope="col">Dernière erreur</th>
                  <th scope="col">Fournisseur</th>
                  <th scope="col">Segments</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {props.page.rows.map((row) => (
                  <LogLine row={row} organisationId={props.organisationId} timeZone={props.timeZone} csrfToken={props.csrfToken} />
                ))}
              </tbody>
            </table>
          </div>
          <nav class="fr-mt-2w" aria-label="Pages des notifications">
            <ul class="fr-btns-group fr-btns-group--inline">
              {props.values.avant === undefined || props.values.avant === '' ? null : (
                <li>
                  <a class="fr-btn fr-btn--tertiary" href={pageHref(props.organisationId, props.values)}>
                    Première page
                  </a>
                </li>
              )}
              {props.page.nextBefore === null ? null : (
                <li>
                  <a class="fr-btn fr-btn--tertiary" href={pageHref(props.organisationId, props.values, props.page.nextBefore)}>
                    Page suivante
                  </a>
                </li>
              )}
            </ul>
          </nav>
        </>
      )}
    </AgentLayout>
  );
}

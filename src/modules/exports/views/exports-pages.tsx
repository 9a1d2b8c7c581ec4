import { formatSlotLong } from '../../../platform/views/format.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { h, type Html } from '../../../platform/views/jsx.js';
import { CsrfField } from '../../../platform/security/index.js';
import { dateToEpochMinutes } from '../../../shared/time/index.js';
import type { ListFormValues } from '../../agenda/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { ExportSummary } from '../exports.repository.js';

const NUMBER = new Intl.NumberFormat('fr-FR');

function exportsPath(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/exports`;
}

function when(timeZone: string, at: Date): string {
  return formatSlotLong({ startsAtEpochMinutes: dateToEpochMinutes(at), timeZone });
}

function kindLabel(kind: ExportSummary['kind']): string {
  return kind === 'appointments' ? 'Rendez-vous (une ligne par rendez-vous)' : 'Participations (une ligne par usager et rendez-vous)';
}

function sizeLabel(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024 * 1024) return `${NUMBER.format(Math.max(1, Math.round(bytes / 1024)))} ko`;
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} Mo`;
}

/** « 12 000 / 100 000 lignes » */
export function progressLabel(item: Pick<ExportSummary, 'rowsDone' | 'rowsTotal' | 'status'>): string {
  if (item.status === 'pending') return 'En attente';
  if (item.rowsTotal === null) return `${NUMBER.format(item.rowsDone)} lignes`;
  return `${NUMBER.format(item.rowsDone)} / ${NUMBER.format(item.rowsTotal)} lignes`;
}

const STATUS_BADGES: Readonly<Record<ExportSummary['status'], { label: string; badge: string }>> = {
  pending: { label: 'En attente', badge: 'fr-badge--info' },
  running: { label: 'En préparation', badge: 'fr-badge--new' },
  done: { label: 'Prêt', badge: 'fr-badge--success' },
  failed: { label: 'Échec', badge: 'fr-badge--error' },
};

/** What the live region says: a change of state, not each batch's progress. */
export function liveStatus(exports: readonly ExportSummary[]): string {
  const inProgress = exports.filter((item) => item.status === 'pending' || item.status === 'running').length;
  const ready = exports.filter((item) => item.status === 'done').length;
  if (inProgress > 0) return inProgress === 1 ? '1 export en préparation. Cette page se met à jour toute seule.' : `${String(inProgress)} exports en préparation. Cette page se met à jour toute seule.`;
  if (ready > 0) return ready === 1 ? '1 export prêt à télécharger.' : `${String(ready)} exports prêts à télécharger.`;
  return '';
}

export interface ExportsPageProps {
  readonly principal: AgentPrincipal;
  readonly csrfToken: string;
  readonly organisationId: number;
  readonly timeZone: string;
  readonly exports: readonly ExportSummary[];
  readonly retentionHours: number;
  /** A refusal of the last request (too many in progress). */
  readonly refusal?: string;
}

function ExportRow(props: { item: ExportSummary; organisationId: number; timeZone: string }): Html {
  const { item } = props;
  const badge = STATUS_BADGES[item.status];
  return (
    <tr>
      <td>{when(props.timeZone, item.createdAt)}</td>
      <td>{kindLabel(item.kind)}</td>
      <td>
        <p class={`fr-badge fr-badge--sm ${badge.badge}`}>{badge.label}</p>
        {item.status === 'failed' && item.error !== null ? <p class="fr-text--sm fr-mb-0 fr-mt-1v">{item.error}</p> : null}
      </td>
      <td>{item.status === 'failed' ? '' : progressLabel(item)}</td>
      <td>{when(props.timeZone, item.expiresAt)}</td>
      <td>
        {item.status === 'done' && item.fileName !== null ? (
          <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${exportsPath(props.organisationId)}/${item.publicId}/fichier`} download={item.fileName}>
            Télécharger <span class="fr-sr-only">l’export « {kindLabel(item.kind)} » demandé le {when(props.timeZone, item.createdAt)}</span>
            {` (XLSX, ${sizeLabel(item.byteSize)})`}
          </a>
        ) : null}
      </td>
    </tr>
  );
}

/** « Exports »: the agent's exports with their state, progress, expiry and download link. */
export function ExportsPage(props: ExportsPageProps): Html {
  const { organisationId, exports } = props;
  const inProgress = exports.some((item) => item.status === 'pending' || item.status === 'running');
  return (
    <AgentLayout title="Exports" principal={props.principal} organisationId={organisationId} section="exports" csrfToken={props.csrfToken}>
      <h1 class="fr-h2">Exports</h1>
      <p>
        Vos exports de la liste des rendez-vous, au format XLSX. Chaque fichier n’est téléchargeable que par vous, pendant {String(props.retentionHours)} heures ; il
        est ensuite effacé. Pour en demander un, filtrez la{' '}
        <a href={`/agents/organisations/${String(organisationId)}/rdv`}>liste des rendez-vous</a> puis choisissez « Exporter les rendez-vous » ou « Exporter
        les participations ».
      </p>
      {props.refusal === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">L’export n’a pas été demandé</h2>
          <p>{props.refusal}</p>
        </div>
      )}
      <p role="status" id="exports-statut" class="fr-text--bold">
        {liveStatus(exports)}
      </p>
      <div id="exports-liste" data-exports-refresh={inProgress ? exportsPath(organisationId) : undefined}>
        {exports.length === 0 ? (
          <p>Vous n’avez aucun export en cours ou disponible.</p>
        ) : (
          <div class="fr-table fr-table--bordered">
            <div class="fr-table__wrapper">
              <div class="fr-table__container">
                <div class="fr-table__content">
                  <table>
                    <caption>Vos exports (horaires en heure de l’organisation)</caption>
                    <thead>
                      <tr>
                        <th scope="col">Demandé le</th>
                        <th scope="col">Contenu</th>
                        <th scope="col">État</th>
                        <th scope="col">Progression</th>
                        <th scope="col">Disponible jusqu’au</th>
                        <th scope="col">Fichier</th>
                      </tr>
                    </thead>
                    <tbody>
                      {exports.map((item) => (
                        <ExportRow item={item} organisationId={organisationId} timeZone={props.timeZone} />
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
        )}
      </div>
      {inProgress ? <script src="/static/exports-progress.js" defer></script> : null}
    </AgentLayout>
  );
}

export interface ExportReasonPageProps {
  readonly principal: AgentPrincipal;
  readonly csrfToken: string;
  readonly organisationId: number;
  readonly type: 'rendez-vous' | 'participations';
  readonly form: ListFormValues;
  readonly reason: string;
  readonly error?: string;
}

const FILTER_KEYS = ['agent', 'motif', 'lieu', 'statut', 'du', 'au'] as const;

/** The territory asks why before an export: the reason, with the list's filters kept in hidden fields. */
export function ExportReasonPage(props: ExportReasonPageProps): Html {
  const hasError = props.error !== undefined;
  return (
    <AgentLayout title="Motif de l’export" principal={props.principal} organisationId={props.organisationId} section="exports" csrfToken={props.csrfToken}>
      <h1 class="fr-h2">Motif de l’export</h1>
      <ErrorSummary errors={{ raison: props.error }} />
      <p>
        Votre territoire demande pourquoi vous exportez {props.type === 'rendez-vous' ? 'ces rendez-vous' : 'ces participations'}. Le motif est conservé dans le
        journal des consultations, avec la liste des usagers présents dans le fichier.
      </p>
      <form method="post" action={exportsPath(props.organisationId)}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="type" value={props.type} />
        {FILTER_KEYS.map((key) => (
          <input type="hidden" name={key} value={props.form[key]} />
        ))}
        <div class={hasError ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
          <label class="fr-label" for="raison">
            Motif de l’export
            <span class="fr-hint-text">Par exemple : bilan annuel du service, demande de la direction. 500 caractères au plus.</span>
          </label>
          <textarea
            class={hasError ? 'fr-input fr-input--error' : 'fr-input'}
            id="raison"
            name="raison"
            rows="3"
            maxlength="500"
            required
            aria-invalid={hasError ? 'true' : undefined}
            aria-describedby={hasError ? 'raison-erreur' : undefined}
          >
            {props.reason}
          </textarea>
          {hasError ? (
            <p class="fr-error-text" id="raison-erreur">
              {props.error}
            </p>
          ) : null}
        </div>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit">
              Demander l’export
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/agents/organisations/${String(props.organisationId)}/rdv`}>
              Revenir à la liste
            </a>
          </li>
        </ul>
      </form>
    </AgentLayout>
  );
}

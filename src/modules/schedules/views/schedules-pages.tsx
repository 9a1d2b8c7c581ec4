// Pages of opening periods ("plages d'ouverture") and absences in the agent workspace.
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary } from '../../../platform/views/forms.js';
import { formatSlotLong, zoneLabel } from '../../../platform/views/format.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { parseIsoDate } from '../../../shared/time/index.js';
import { AgentLayout, agentDisplayName, type AgentPrincipal, type AgentSection } from '../../agents/index.js';
import type { OccurrenceView, PeriodWarning } from '../domain/occurrence-edits.js';
import { formatDayWithWeekday, formatHour } from '../domain/recurrence-form.js';
import type { AgentAppointment, MotifOption, PlaceOption } from '../schedules.repository.js';
import type { AbsenceListPage, AgentChoice, PeriodListPage, PeriodView } from '../schedules.use-cases.js';
import { CheckboxList, Field, RecurrenceFields, Select, type FormValues } from './schedule-fields.js';

/** A one-time message after a write (Post/Redirect/Get). */
export interface Notice {
  readonly kind: 'success' | 'info';
  readonly text: string;
}

interface PageBase {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
}

export function schedulePath(organisationId: number, rest: string): string {
  return `/agents/organisations/${String(organisationId)}/${rest}`;
}

function NoticeBox(props: { notice: Notice | undefined }): Html {
  if (props.notice === undefined) return <></>;
  return (
    <div class={`fr-alert fr-alert--${props.notice.kind} fr-alert--sm fr-mb-3w`} role="status">
      <p>{props.notice.text}</p>
    </div>
  );
}

function dayLabel(isoDate: string): string {
  const day = parseIsoDate(isoDate);
  return day === null ? isoDate : formatDayWithWeekday(day);
}

function AgentSwitcher(props: { organisationId: number; path: string; owner: AgentChoice; agents: readonly AgentChoice[] }): Html {
  if (props.agents.length <= 1) return <></>;
  return (
    <form method="get" action={schedulePath(props.organisationId, props.path)} class="fr-mb-3w">
      <div class="fr-select-group">
        <label class="fr-label" for="agent">
          Agent
        </label>
        <select class="fr-select" id="agent" name="agent">
          {props.agents.map((agent) => (
            <option value={String(agent.id)} selected={agent.id === props.owner.id}>
              {agentDisplayName(agent)}
            </option>
          ))}
        </select>
      </div>
      <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit">
        Afficher
      </button>
    </form>
  );
}

function PostButton(props: { action: string; csrfToken: string; label: string; secondary?: boolean }): Html {
  return (
    <form method="post" action={props.action} class="fr-mb-1w">
      <CsrfField token={props.csrfToken} />
      <button class={props.secondary === true ? 'fr-btn fr-btn--tertiary fr-btn--sm' : 'fr-btn fr-btn--secondary fr-btn--sm'} type="submit">
        {props.label}
      </button>
    </form>
  );
}

/** One occurrence line: its day, hours, place and what can be done with it. */
function OccurrenceRow(props: {
  organisationId: number;
  periodId: number;
  occurrence: OccurrenceView;
  placeNames: ReadonlyMap<number, string>;
  canManage: boolean;
  csrfToken: string;
}): Html {
  const { occurrence } = props;
  const base = schedulePath(props.organisationId, `plages/${String(props.periodId)}/occurrences/${occurrence.date}`);
  const place = occurrence.placeId === null ? 'Sans lieu' : (props.placeNames.get(occurrence.placeId) ?? 'Lieu inconnu');
  const label = dayLabel(occurrence.date);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{occurrence.cancelled ? 'Annulée' : `de ${formatHour(occurrence.startTime)} à ${formatHour(occurrence.endTime)}${occurrence.moved ? ' (modifiée)' : ''}`}</td>
      <td>{occurrence.cancelled ? '—' : place}</td>
      <td>
        {!props.canManage ? null : occurrence.cancelled ? (
          <PostButton action={`${base}/retablir`} csrfToken={props.csrfToken} label={`Rétablir la séance du ${label}`} />
        ) : (
          <>
            <PostButton action={`${base}/annuler`} csrfToken={props.csrfToken} label={`Annuler la séance du ${label}`} />
            <a class="fr-btn fr-btn--tertiary fr-btn--sm fr-mb-1w" href={`${base}/modifier`}>
              {`Modifier la séance du ${label}`}
            </a>
            {occurrence.moved ? <PostButton action={`${base}/reinitialiser`} csrfToken={props.csrfToken} label="Revenir aux horaires habituels" secondary /> : null}
          </>
        )}
      </td>
    </tr>
  );
}

function OccurrencesTable(props: {
  caption: string;
  organisationId: number;
  periodId: number;
  occurrences: readonly OccurrenceView[];
  placeNames: ReadonlyMap<number, string>;
  canManage: boolean;
  csrfToken: string;
}): Html {
  if (props.occurrences.length === 0) return <p>Aucune séance sur cette période.</p>;
  return (
    <div class="fr-table fr-table--no-caption fr-mb-2w">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Jour</th>
            <th scope="col">Horaires</th>
            <th scope="col">Lieu</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.occurrences.map((occurrence) => (
            <OccurrenceRow organisationId={props.organisationId} periodId={props.periodId} occurrence={occurrence} placeNames={props.placeNames} canManage={props.canManage} csrfToken={props.csrfToken} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PeriodCard(props: { organisationId: number; view: PeriodView; placeNames: ReadonlyMap<number, string>; canManage: boolean; csrfToken: string }): Html {
  const { period } = props.view;
  const base = schedulePath(props.organisationId, `plages/${String(period.id)}`);
  return (
    <section class="fr-mb-5w" aria-labelledby={`plage-${String(period.id)}`}>
      <h2 class="fr-h5" id={`plage-${String(period.id)}`}>
        {period.title}
      </h2>
      <p class="fr-mb-1w">{props.view.description}</p>
      <p class="fr-text--sm fr-mb-1w">
        {`Lieu : ${props.view.placeName ?? 'sans lieu (téléphone, visio ou domicile)'} — horaires en ${zoneLabel(period.timeZone)}`}
      </p>
      <p class="fr-text--sm">{`Motifs : ${props.view.motifNames.length === 0 ? 'aucun' : props.view.motifNames.join(', ')}`}</p>
      <OccurrencesTable
        caption={`Prochaines séances de « ${period.title} »`}
        organisationId={props.organisationId}
        periodId={period.id}
        occurrences={props.view.nextOccurrences}
        placeNames={props.placeNames}
        canManage={props.canManage}
        csrfToken={props.csrfToken}
      />
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <a class="fr-btn fr-btn--tertiary" href={`${base}/occurrences`}>
            Toutes les prochaines séances
          </a>
        </li>
        {props.canManage ? (
          <>
            <li>
              <a class="fr-btn fr-btn--secondary" href={`${base}/modifier`}>
                {`Modifier « ${period.title} »`}
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--tertiary" href={`${base}/supprimer`}>
                {`Supprimer « ${period.title} »`}
              </a>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  );
}

/** The opening periods of one agent. */
export function PeriodListView(props: PageBase & { page: PeriodListPage; notice?: Notice }): Html {
  const { page } = props;
  const isSelf = page.owner.id === props.principal.agentId;
  const heading = isSelf ? 'Mes plages d’ouverture' : `Plages d’ouverture de ${agentDisplayName(page.owner)}`;
  return (
    <AgentLayout title={heading} principal={props.principal} organisationId={props.organisationId} section="plages" csrfToken={props.csrfToken}>
      <h1>{heading}</h1>
      <NoticeBox notice={props.notice} />
      <AgentSwitcher organisationId={props.organisationId} path="plages" owner={page.owner} agents={page.agents} />
      {page.owner.canManage ? (
        <p>
          <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={schedulePath(props.organisationId, `plages/nouvelle?agent=${String(page.owner.id)}`)}>
            Nouvelle plage d’ouverture
          </a>
        </p>
      ) : null}
      {page.periods.length === 0 ? <p>Aucune plage d’ouverture.</p> : null}
      {page.periods.map((view) => (
        <PeriodCard organisationId={props.organisationId} view={view} placeNames={page.placeNames} canManage={page.owner.canManage} csrfToken={props.csrfToken} />
      ))}
    </AgentLayout>
  );
}

function WarningsBox(props: { items: readonly string[] }): Html {
  if (props.items.length === 0) return <></>;
  return (
    <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert" id="avertissements" tabindex="-1">
      <h2 class="fr-alert__title">Avant d’enregistrer</h2>
      <ul>
        {props.items.map((item) => (
          <li>{item}</li>
        ))}
      </ul>
      <p>Corrigez le formulaire, ou cochez « Enregistrer malgré les avertissements » en bas de page.</p>
    </div>
  );
}

function ConfirmWarningsBox(props: { show: boolean }): Html {
  if (!props.show) return <></>;
  return (
    <div class="fr-checkbox-group fr-mb-3w">
      <input type="checkbox" id="confirmerAvertissements" name="confirmerAvertissements" value="oui" />
      <label class="fr-label" for="confirmerAvertissements">
        Enregistrer malgré les avertissements
      </label>
    </div>
  );
}

/** French text of a period warning. */
export function periodWarningText(warning: PeriodWarning): string {
  if (warning.kind === 'OVERLAP') {
    const times = warning.dayCount > 1 ? ` (et ${String(warning.dayCount - 1)} autre${warning.dayCount > 2 ? 's' : ''} jour${warning.dayCount > 2 ? 's' : ''} dans l’année)` : '';
    return `Cette plage chevauche « ${warning.otherTitle} » le ${dayLabel(warning.firstDate)}${times}.`;
  }
  return `Le motif « ${warning.motifName} » dure ${String(warning.durationMinutes)} min, plus que la plage (${String(warning.periodMinutes)} min) : il n’y sera jamais proposé.`;
}

export interface PeriodFormProps extends PageBase {
  readonly mode: 'create' | 'edit';
  readonly action: string;
  readonly agents: readonly AgentChoice[];
  readonly places: readonly PlaceOption[];
  readonly motifs: readonly MotifOption[];
  readonly values: FormValues;
  readonly errors?: Record<string, string | undefined>;
  readonly warnings?: readonly PeriodWarning[];
  readonly cancelPath: string;
}

/** Create or edit an opening period. */
export function PeriodFormView(props: PeriodFormProps): Html {
  const errors = props.errors ?? {};
  const warnings = props.warnings ?? [];
  const title = props.mode === 'create' ? 'Nouvelle plage d’ouverture' : 'Modifier la plage d’ouverture';
  return (
    <AgentLayout title={title} principal={props.principal} organisationId={props.organisationId} section="plages" csrfToken={props.csrfToken}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <WarningsBox items={warnings.map(periodWarningText)} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrfToken} />
        <Field name="titre" label="Titre" hint="Exemple : Permanence du matin" type="text" values={props.values} errors={errors} />
        <Select
          name="agent"
          label="Agent"
          options={props.agents.map((agent) => ({ value: String(agent.id), label: agentDisplayName(agent) }))}
          values={props.values}
          errors={errors}
        />
        <Select
          name="lieu"
          label="Lieu"
          options={[{ value: '', label: 'Sans lieu (téléphone, visio ou domicile)' }, ...props.places.map((place) => ({ value: String(place.id), label: place.name }))]}
          values={props.values}
          errors={errors}
        />
        <CheckboxList
          name="motifs"
          legend="Motifs proposés sur cette plage"
          hint="Les motifs individuels des services de l’agent. Les séances collectives se créent à part."
          options={props.motifs.map((motif) => ({ value: String(motif.id), label: `${motif.name} (${String(motif.durationMinutes)} min)` }))}
          values={props.values}
          errors={errors}
        />
        <Field name="premierJour" label="Premier jour" type="date" values={props.values} errors={errors} />
        <Field name="heureDebut" label="Heure de début" hint="Format HH:MM, heure du lieu" type="time" values={props.values} errors={errors} />
        <Field name="heureFin" label="Heure de fin" hint="Format HH:MM" type="time" values={props.values} errors={errors} />
        <RecurrenceFields values={props.values} errors={errors} />
        <ConfirmWarningsBox show={warnings.length > 0} />
        <ul class="fr-btns-group fr-btns-group--inline">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={props.cancelPath}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </AgentLayout>
  );
}

/** "Are you sure?" before deleting a period or an absence. */
export function ConfirmDeleteView(props: PageBase & { section: AgentSection; heading: string; description: string; action: string; cancelPath: string }): Html {
  return (
    <AgentLayout title={props.heading} principal={props.principal} organisationId={props.organisationId} section={props.section} csrfToken={props.csrfToken}>
      <h1>{props.heading}</h1>
      <p>{props.description}</p>
      <p>Cette suppression est définitive. Les rendez-vous déjà pris ne sont pas annulés.</p>
      <form method="post" action={props.action}>
        <CsrfField token={props.csrfToken} />
        <ul class="fr-btns-group fr-btns-group--inline">
          <li>
            <button class="fr-btn" type="submit">
              Supprimer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={props.cancelPath}>
              Ne pas supprimer
            </a>
          </li>
        </ul>
      </form>
    </AgentLayout>
  );
}

/** The occurrences of one period between two days. */
export function OccurrencesView(
  props: PageBase & {
    view: PeriodView;
    owner: AgentChoice;
    occurrences: readonly OccurrenceView[];
    placeNames: ReadonlyMap<number, string>;
    fromDate: string;
    toDate: string;
    notice?: Notice;
  },
): Html {
  const { period } = props.view;
  const heading = `Séances de « ${period.title} »`;
  return (
    <AgentLayout title={heading} principal={props.principal} organisationId={props.organisationId} section="plages" csrfToken={props.csrfToken}>
      <h1>{heading}</h1>
      <NoticeBox notice={props.notice} />
      <p>{`${agentDisplayName(props.owner)} — ${props.view.description}`}</p>
      <form method="get" action={schedulePath(props.organisationId, `plages/${String(period.id)}/occurrences`)} class="fr-mb-3w">
        <Field name="du" label="Du" type="date" values={{ du: props.fromDate }} errors={{}} />
        <Field name="au" label="Au" type="date" values={{ au: props.toDate }} errors={{}} />
        <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit">
          Afficher
        </button>
      </form>
      <OccurrencesTable
        caption={`Séances du ${dayLabel(props.fromDate)} au ${dayLabel(props.toDate)}`}
        organisationId={props.organisationId}
        periodId={period.id}
        occurrences={props.occurrences}
        placeNames={props.placeNames}
        canManage={props.owner.canManage}
        csrfToken={props.csrfToken}
      />
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={schedulePath(props.organisationId, `plages?agent=${String(props.owner.id)}`)}>
          Retour aux plages d’ouverture
        </a>
      </p>
    </AgentLayout>
  );
}

/** Other hours and/or place for one occurrence. */
export function MoveOccurrenceView(
  props: PageBase & { view: PeriodView; date: string; places: readonly PlaceOption[]; values: FormValues; errors?: Record<string, string | undefined>; action: string; cancelPath: string },
): Html {
  const errors = props.errors ?? {};
  const heading = `Modifier la séance du ${dayLabel(props.date)}`;
  return (
    <AgentLayout title={heading} principal={props.principal} organisationId={props.organisationId} section="plages" csrfToken={props.csrfToken}>
      <h1>{heading}</h1>
      <p>{`« ${props.view.period.title} » : ${props.view.description}. Seule cette séance change.`}</p>
      <ErrorSummary errors={errors} />
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrfToken} />
        <Field name="heureDebut" label="Heure de début" hint="Format HH:MM" type="time" values={props.values} errors={errors} />
        <Field name="heureFin" label="Heure de fin" hint="Format HH:MM" type="time" values={props.values} errors={errors} />
        <Select
          name="lieu"
          label="Lieu"
          options={[{ value: '', label: 'Le lieu habituel de la plage' }, ...props.places.map((place) => ({ value: String(place.id), label: place.name }))]}
          values={props.values}
          errors={errors}
        />
        <ul class="fr-btns-group fr-btns-group--inline">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer cette séance
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={props.cancelPath}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </AgentLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Absences
// ---------------------------------------------------------------------------------------------

/** The absences of one agent. */
export function AbsenceListView(props: PageBase & { page: AbsenceListPage; notice?: Notice }): Html {
  const { page } = props;
  const isSelf = page.owner.id === props.principal.agentId;
  const heading = isSelf ? 'Mes absences' : `Absences de ${agentDisplayName(page.owner)}`;
  return (
    <AgentLayout title={heading} principal={props.principal} organisationId={props.organisationId} section="absences" csrfToken={props.csrfToken}>
      <h1>{heading}</h1>
      <NoticeBox notice={props.notice} />
      <AgentSwitcher organisationId={props.organisationId} path="absences" owner={page.owner} agents={page.agents} />
      {page.owner.canManage ? (
        <p>
          <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={schedulePath(props.organisationId, `absences/nouvelle?agent=${String(page.owner.id)}`)}>
            Nouvelle absence
          </a>
        </p>
      ) : null}
      {page.absences.length === 0 ? (
        <p>Aucune absence.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>{heading}</caption>
            <thead>
              <tr>
                <th scope="col">Titre</th>
                <th scope="col">Quand</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.absences.map(({ absence, description }) => (
                <tr>
                  <th scope="row">{absence.title}</th>
                  <td>{absence.timeZone === 'Europe/Paris' ? description : `${description} (${zoneLabel(absence.timeZone)})`}</td>
                  <td>
                    {page.owner.canManage ? (
                      <>
                        <a class="fr-btn fr-btn--secondary fr-btn--sm fr-mb-1w" href={schedulePath(props.organisationId, `absences/${String(absence.id)}/modifier`)}>
                          {`Modifier « ${absence.title} »`}
                        </a>{' '}
                        <a class="fr-btn fr-btn--tertiary fr-btn--sm fr-mb-1w" href={schedulePath(props.organisationId, `absences/${String(absence.id)}/supprimer`)}>
                          {`Supprimer « ${absence.title} »`}
                        </a>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AgentLayout>
  );
}

export interface AbsenceFormProps extends PageBase {
  readonly mode: 'create' | 'edit';
  readonly action: string;
  /** Agents the absence may be for (create), or the one it is for (edit). */
  readonly agents: readonly AgentChoice[];
  readonly values: FormValues;
  readonly errors?: Record<string, string | undefined>;
  readonly coveredAppointments?: readonly AgentAppointment[];
  readonly cancelPath: string;
}

/** Create (for one or several agents) or edit an absence. */
export function AbsenceFormView(props: AbsenceFormProps): Html {
  const errors = props.errors ?? {};
  const covered = props.coveredAppointments ?? [];
  const title = props.mode === 'create' ? 'Nouvelle absence' : 'Modifier l’absence';
  const names = new Map(props.agents.map((agent) => [agent.id, agentDisplayName(agent)]));
  const warningItems = covered.map((appointment) => `${names.get(appointment.agentId) ?? 'Agent'} : rendez-vous « ${appointment.motifName} » le ${formatSlotLong(appointment)}`);
  return (
    <AgentLayout title={title} principal={props.principal} organisationId={props.organisationId} section="absences" csrfToken={props.csrfToken}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      {covered.length === 0 ? null : (
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert" id="avertissements" tabindex="-1">
          <h2 class="fr-alert__title">{covered.length === 1 ? 'Un rendez-vous tombe pendant cette absence' : `${String(covered.length)} rendez-vous tombent pendant cette absence`}</h2>
          <ul>
            {warningItems.map((item) => (
              <li>{item}</li>
            ))}
          </ul>
          <p>Ils ne sont pas annulés : prévenez les usagers ou déplacez-les. Cochez « Enregistrer malgré les avertissements » pour continuer.</p>
        </div>
      )}
      <form method="post" action={props.action} novalidate>
        <CsrfField token={props.csrfToken} />
        <Field name="titre" label="Titre" hint="Exemple : Congés, Formation, Réunion d’équipe" type="text" required={false} values={props.values} errors={errors} />
        {props.mode === 'create' ? (
          <CheckboxList
            name="agents"
            legend="Agents absents"
            hint="Une absence est créée pour chaque agent coché."
            options={props.agents.map((agent) => ({ value: String(agent.id), label: agentDisplayName(agent) }))}
            values={props.values}
            errors={errors}
          />
        ) : (
          <p>{`Agent : ${props.agents.map(agentDisplayName).join(', ')}`}</p>
        )}
        <Field name="premierJour" label="Premier jour" type="date" values={props.values} errors={errors} />
        <div class="fr-checkbox-group fr-mb-3w">
          <input type="checkbox" id="journeeEntiere" name="journeeEntiere" value="oui" checked={props.values.journeeEntiere !== undefined} />
          <label class="fr-label" for="journeeEntiere">
            Journées entières (les heures sont alors ignorées)
          </label>
        </div>
        <Field name="heureDebut" label="Heure de début" hint="Format HH:MM" type="time" values={props.values} errors={errors} />
        <Field name="jourFin" label="Dernier jour" hint="Laissez vide pour une absence sur une seule journée" type="date" required={false} values={props.values} errors={errors} />
        <Field name="heureFin" label="Heure de fin" hint="Format HH:MM, le dernier jour" type="time" values={props.values} errors={errors} />
        <RecurrenceFields values={props.values} errors={errors} />
        <ConfirmWarningsBox show={covered.length > 0} />
        <ul class="fr-btns-group fr-btns-group--inline">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={props.cancelPath}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </AgentLayout>
  );
}

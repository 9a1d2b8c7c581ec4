import { formatTime, zoneLabel } from '../../../platform/views/format.js';
import { Fragment, h, type Html } from '../../../platform/views/jsx.js';
import { dayNumberToIsoDate, localDayOf } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { AgendaAppointment } from '../agenda.repository.js';
import type { AgendaModel } from '../agenda.use-cases.js';
import { monthWeeks } from '../domain/agenda-range.js';
import { statusDisplay } from '../domain/appointment-status.js';
import { motifColorClass } from '../domain/motif-colors.js';
import {
  WEEKDAY_NAMES,
  agendaHref,
  appointmentHref,
  appointmentTimes,
  appointmentTitle,
  appointmentWhere,
  formatDayHeading,
  formatDayWithYear,
  formatMonth,
  formatTimeRange,
  participantNames,
  type AgendaLinkState,
} from './agenda-format.js';
import { buildAgendaGrid, type AgendaGrid, type GridColumn, type PlacedEntry } from './agenda-grid.js';

export interface AgendaPageProps {
  readonly principal: AgentPrincipal;
  readonly csrfToken: string;
  readonly model: AgendaModel;
}

const VIEW_LABELS = { jour: 'Jour', semaine: 'Semaine', mois: 'Mois', liste: 'Liste' } as const;

function subjectTitle(model: AgendaModel, principal: AgentPrincipal): string {
  if (model.subject.kind === 'place') return `Agenda du lieu ${model.subject.place.name}`;
  const [only] = model.subject.agents;
  if (model.subject.agents.length === 1 && only !== undefined) {
    return only.id === principal.agentId ? 'Mon agenda' : `Agenda de ${only.firstName} ${only.lastName}`;
  }
  return `Agendas de ${String(model.subject.agents.length)} agents`;
}

function periodLabel(model: AgendaModel): string {
  const { range } = model;
  const first = range.days[0] ?? range.date;
  const last = range.days.at(-1) ?? first;
  switch (range.view) {
    case 'jour':
      return formatDayWithYear(first);
    case 'semaine':
      return `Semaine du ${formatDayHeading(first)} au ${formatDayWithYear(last)}`;
    case 'mois':
      return formatMonth(first);
  }
}

function linkState(model: AgendaModel, vue: string, date: number): AgendaLinkState {
  return model.subject.kind === 'place'
    ? { vue, date, placeId: model.subject.place.id }
    : { vue, date, agentIds: model.subject.agents.map((agent) => agent.id) };
}

/** The selector: agents (those the principal may see) or a place, the view and the day. A GET form, no script needed. */
function SelectorForm(props: { model: AgendaModel }): Html {
  const { model } = props;
  const selected = new Set(model.subject.kind === 'agents' ? model.subject.agents.map((agent) => agent.id) : []);
  const action = `/agents/organisations/${String(model.organisation.id)}/agenda`;
  return (
    <form method="get" action={action} class="agenda-selector fr-mb-3w">
      <fieldset class="fr-fieldset" id="agenda-agents" aria-labelledby="agenda-agents-legende">
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="agenda-agents-legende">
          Agents
          <span class="fr-hint-text">Cochez jusqu’à 20 agents pour voir leurs agendas côte à côte.</span>
        </legend>
        {model.visibleAgents.map((agent) => (
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <div class="fr-checkbox-group fr-checkbox-group--sm">
              <input type="checkbox" name="agents" id={`agenda-choix-agent-${String(agent.id)}`} value={String(agent.id)} checked={selected.has(agent.id)} />
              <label class="fr-label" for={`agenda-choix-agent-${String(agent.id)}`}>
                {agent.firstName} {agent.lastName}
                {agent.accessLevel === 'intervenant' ? ' (intervenant)' : ''}
              </label>
            </div>
          </div>
        ))}
      </fieldset>
      <div class="agenda-selector__row">
        <div class="fr-select-group">
          <label class="fr-label" for="agenda-lieu">
            Ou l’agenda d’un lieu
            <span class="fr-hint-text">Un lieu choisi remplace les agents cochés.</span>
          </label>
          <select class="fr-select" id="agenda-lieu" name="lieu">
            <option value="" selected={model.subject.kind === 'agents'}>
              Aucun lieu : les agents cochés
            </option>
            {model.places.map((place) => (
              <option value={String(place.id)} selected={model.subject.kind === 'place' && model.subject.place.id === place.id}>
                {place.name}
              </option>
            ))}
          </select>
        </div>
        <div class="fr-select-group">
          <label class="fr-label" for="agenda-vue">
            Vue
          </label>
          <select class="fr-select" id="agenda-vue" name="vue">
            {(['jour', 'semaine', 'mois', 'liste'] as const).map((view) => (
              <option value={view} selected={model.range.view === view}>
                {VIEW_LABELS[view]}
              </option>
            ))}
          </select>
        </div>
        <div class="fr-input-group">
          <label class="fr-label" for="agenda-date">
            Date
            <span class="fr-hint-text">Format attendu : JJ/MM/AAAA</span>
          </label>
          <input class="fr-input" type="date" id="agenda-date" name="date" value={dayNumberToIsoDate(model.range.date)} />
        </div>
        <div class="agenda-selector__submit">
          <button class="fr-btn" type="submit">
            Afficher
          </button>
        </div>
      </div>
    </form>
  );
}

/** Previous / today / next, and the other views of the same agents or place. */
function Navigation(props: { model: AgendaModel }): Html {
  const { model } = props;
  const organisationId = model.organisation.id;
  const today = localDayOf(model.organisation.timeZone, model.nowEpochMinutes);
  const unit = model.range.view === 'jour' ? 'Jour' : model.range.view === 'semaine' ? 'Semaine' : 'Mois';
  const female = model.range.view === 'semaine';
  return (
    <nav class="agenda-navigation fr-mb-2w" aria-label="Période affichée">
      <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-btns-group--icon-left">
        <li>
          <a class="fr-btn fr-btn--secondary fr-icon-arrow-left-s-line" href={agendaHref(organisationId, linkState(model, model.range.view, model.range.previousDate))}>
            {unit} {female ? 'précédente' : 'précédent'}
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={agendaHref(organisationId, linkState(model, model.range.view, today))}>
            Aujourd’hui
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary fr-icon-arrow-right-s-line fr-btn--icon-right" href={agendaHref(organisationId, linkState(model, model.range.view, model.range.nextDate))}>
            {unit} {female ? 'suivante' : 'suivant'}
          </a>
        </li>
      </ul>
      <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        {(['jour', 'semaine', 'mois', 'liste'] as const).map((view) => (
          <li>
            <a
              class={view === model.range.view ? 'fr-btn' : 'fr-btn fr-btn--tertiary'}
              href={view === 'liste' ? listHref(model) : agendaHref(organisationId, linkState(model, view, model.range.date))}
              aria-current={view === model.range.view ? 'page' : undefined}
            >
              {VIEW_LABELS[view]}
            </a>
          </li>
        ))}
        {model.subject.kind === 'place' ? (
          <li>
            <a
              class="fr-btn fr-btn--tertiary fr-icon-printer-line fr-btn--icon-left"
              href={`/agents/organisations/${String(organisationId)}/lieux/${String(model.subject.place.id)}/journee?date=${dayNumberToIsoDate(model.range.date)}`}
            >
              Liste imprimable du jour
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** The list view of the same agent or place, from the first day shown. */
export function listHref(model: AgendaModel): string {
  const query = new URLSearchParams();
  if (model.subject.kind === 'place') query.set('lieu', String(model.subject.place.id));
  const [only] = model.subject.kind === 'agents' ? model.subject.agents : [];
  if (only !== undefined && model.subject.kind === 'agents' && model.subject.agents.length === 1) query.set('agent', String(only.id));
  query.set('du', dayNumberToIsoDate(model.range.days[0] ?? model.range.date));
  return `/agents/organisations/${String(model.organisation.id)}/rdv?${query.toString()}`;
}

function placeName(model: AgendaModel, placeId: number | null): string | null {
  if (placeId === null) return null;
  return model.places.find((place) => place.id === placeId)?.name ?? null;
}

function agentNames(model: AgendaModel, appointment: AgendaAppointment): string | null {
  if (appointment.agentIds.length < 2) return null;
  const names = appointment.agentIds.map((id) => {
    const agent = model.visibleAgents.find((candidate) => candidate.id === id);
    return agent === undefined ? 'un autre agent' : `${agent.firstName} ${agent.lastName}`;
  });
  return `Avec ${names.join(', ')}`;
}

function placedClasses(placed: PlacedEntry, extra: string): string {
  return `agenda-entry ${extra} agenda-row-${String(placed.row)} agenda-rows-${String(placed.rowSpan)} agenda-lane-${String(placed.lane)} agenda-span-${String(placed.laneSpan)}`;
}

/** The time range of a segment, saying when it began before or goes on after the day. */
function segmentTimes(model: AgendaModel, placed: PlacedEntry): string {
  const { entry, segment } = placed;
  if (segment.continuesBefore && segment.continuesAfter) return 'Toute la journée';
  const range = formatTimeRange(model.timeZone, entry.startsAtEpochMinutes, entry.endsAtEpochMinutes);
  if (segment.continuesBefore) return `Jusqu’à ${formatTime(model.timeZone, entry.endsAtEpochMinutes)}`;
  if (segment.continuesAfter) return `À partir de ${formatTime(model.timeZone, entry.startsAtEpochMinutes)}`;
  return range;
}

function EntryItem(props: { model: AgendaModel; placed: PlacedEntry }): Html {
  const { model, placed } = props;
  const { entry } = placed;
  switch (entry.kind) {
    case 'opening': {
      const place = placeName(model, entry.opening.placeId);
      return (
        <li class={placedClasses(placed, 'agenda-opening')}>
          <span class="agenda-entry__time">{segmentTimes(model, placed)}</span>
          {` Plage d’ouverture « ${entry.opening.title} » — ${place ?? 'sans lieu'}`}
        </li>
      );
    }
    case 'absence':
      return (
        <li class={placedClasses(placed, 'agenda-absence')}>
          <span class="agenda-entry__time">{segmentTimes(model, placed)}</span>
          {` Absence${entry.absence.title === null ? '' : ` : ${entry.absence.title}`}`}
        </li>
      );
    case 'appointment': {
      const appointment = entry.appointment;
      const status = statusDisplay(appointment.status, appointment.startsAtEpochMinutes, model.nowEpochMinutes);
      const others = agentNames(model, appointment);
      const seats = appointment.isCollective
        ? `${String(appointment.participants.filter((participant) => !participant.isCancelled).length)} participant(s)${appointment.maxParticipants === null ? '' : ` sur ${String(appointment.maxParticipants)}`} : `
        : '';
      const people = `${seats}${participantNames(appointment.participants)}`;
      return (
        <li class={placedClasses(placed, `agenda-event ${motifColorClass(appointment.motifId)} agenda-status-${status.filter}`)}>
          <a class="agenda-event__link" href={appointmentHref(model.organisation.id, appointment.id)}>
            <span class="agenda-entry__time">{appointmentTimes(appointment, model.timeZone)}</span>
            <span class="agenda-event__motif"> {appointmentTitle(appointment)}</span>
            {` — ${people} — `}
            <span class={`${status.icon} fr-icon--sm`} aria-hidden="true"></span>
            {` ${status.label} — ${appointmentWhere(appointment)}${others === null ? '' : ` — ${others}`}`}
          </a>
        </li>
      );
    }
  }
}

function Column(props: { model: AgendaModel; grid: AgendaGrid; column: GridColumn; headingLevel: 'h2' | 'h3' }): Html {
  const { model, grid, column } = props;
  const headingId = `agenda-${column.key}`;
  const Heading = props.headingLevel;
  return (
    <section class="agenda-column" aria-labelledby={headingId}>
      <div class="agenda-column__head">
        <Heading class="agenda-column__title" id={headingId}>
          {column.heading}
        </Heading>
        {column.holiday === undefined ? null : (
          <p class="agenda-holiday">
            <span class="fr-icon-calendar-event-line fr-icon--sm" aria-hidden="true"></span> {column.holiday.isLocalClosure === true ? 'Fermeture' : 'Jour férié'} : {column.holiday.name}
            {column.holiday.isClosed ? ' (fermé)' : ''}
          </p>
        )}
        <p class="agenda-column__count">
          {column.appointmentCount === 0 ? 'Aucun rendez-vous' : column.appointmentCount === 1 ? '1 rendez-vous' : `${String(column.appointmentCount)} rendez-vous`}
        </p>
      </div>
      <ol class="agenda-grid" aria-labelledby={headingId}>
        <li class={`agenda-filler agenda-row-1 agenda-rows-${String(grid.rowCount)} agenda-lane-1 agenda-span-${String(column.laneCount)}`} aria-hidden="true"></li>
        {column.entries.map((placed) => (
          <EntryItem model={model} placed={placed} />
        ))}
      </ol>
    </section>
  );
}

/** Hour labels beside the columns (decoration: every entry states its own times). */
function HourAxis(props: { grid: AgendaGrid }): Html {
  const hours: number[] = [];
  for (let minute = props.grid.window.startMinute; minute < props.grid.window.endMinute; minute += 60) hours.push(minute);
  return (
    <div class="agenda-axis" aria-hidden="true">
      <div class="agenda-column__head"></div>
      <div class="agenda-grid agenda-grid--axis">
        {hours.map((minute, index) => (
          <span class={`agenda-hour agenda-row-${String(index * 4 + 1)} agenda-rows-4`}>{`${String(minute / 60)}h`}</span>
        ))}
      </div>
    </div>
  );
}

function Grid(props: { model: AgendaModel }): Html {
  const grid = buildAgendaGrid(props.model);
  const several = grid.sections.length > 1;
  return (
    <>
      {grid.sections.map((section) => (
        <section class="agenda-section fr-mb-4w" aria-labelledby={section.heading === null ? undefined : `agenda-section-${section.key}`}>
          {section.heading === null ? null : (
            <h2 class="fr-h4" id={`agenda-section-${section.key}`}>
              {section.heading}
            </h2>
          )}
          <div class="agenda-scroll" tabindex="0" role="region" aria-label={section.heading === null ? 'Grille de l’agenda' : `Grille de l’agenda de ${section.heading}`}>
            <div class={`agenda-columns agenda-columns--${String(section.columns.length)}`}>
              <HourAxis grid={grid} />
              {section.columns.map((column) => (
                <Column model={props.model} grid={grid} column={column} headingLevel={several ? 'h3' : 'h2'} />
              ))}
            </div>
          </div>
        </section>
      ))}
    </>
  );
}

function MonthTable(props: { model: AgendaModel }): Html {
  const { model } = props;
  const holidays = new Map(model.holidays.map((holiday) => [holiday.day, holiday]));
  const first = model.range.days[0] ?? model.range.date;
  return (
    <div class="fr-table fr-table--bordered agenda-month">
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              <caption>Rendez-vous de {formatMonth(first)}, par jour</caption>
              <thead>
                <tr>
                  {WEEKDAY_NAMES.map((name) => (
                    <th scope="col">{name.charAt(0).toUpperCase() + name.slice(1)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {monthWeeks(model.range.days).map((week) => (
                  <tr>
                    {week.map((day) => {
                      if (day === null) return <td class="agenda-month__outside"></td>;
                      const counts = model.dayCounts.get(dayNumberToIsoDate(day));
                      const holiday = holidays.get(day);
                      const active = (counts?.total ?? 0) - (counts?.cancelled ?? 0);
                      return (
                        <td>
                          <a href={agendaHref(model.organisation.id, linkState(model, 'jour', day))} aria-label={`${formatDayWithYear(day)} : ${String(active)} rendez-vous`}>
                            {formatDayHeading(day).split(' ')[1]}
                          </a>
                          <p class="fr-text--sm fr-mb-0">{active === 0 ? 'Aucun rendez-vous' : `${String(active)} rendez-vous`}</p>
                          {counts !== undefined && counts.cancelled > 0 ? <p class="fr-text--xs fr-mb-0">{counts.cancelled === 1 ? '1 annulé' : `${String(counts.cancelled)} annulés`}</p> : null}
                          {holiday === undefined ? null : <p class="fr-text--xs fr-mb-0">{holiday.isLocalClosure === true ? 'Fermeture' : 'Férié'} : {holiday.name}</p>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The agenda page: selector, period navigation, then the day or week grid, or the month table. */
export function AgendaPage(props: AgendaPageProps): Html {
  const { model, principal } = props;
  const title = subjectTitle(model, principal);
  const period = periodLabel(model);
  return (
    <AgentLayout title={`${title} — ${period}`} principal={principal} organisationId={model.organisation.id} section="agenda" csrfToken={props.csrfToken} width="fluid">
      <link rel="stylesheet" href={`/agents/organisations/${String(model.organisation.id)}/agenda/motifs.css`} />
      <h1 class="fr-h2">{title}</h1>
      <p class="fr-text--lead fr-mb-1w">{period}</p>
      <p class="agenda-zone">
        <span class="fr-icon-time-line fr-icon--sm" aria-hidden="true"></span> Horaires en {zoneLabel(model.timeZone)}
      </p>
      <SelectorForm model={model} />
      <Navigation model={model} />
      {model.range.view === 'mois' ? <MonthTable model={model} /> : <Grid model={model} />}
      <p class="fr-text--sm cr-muted">
        Chaque jour se lit aussi comme une liste ordonnée : plages d’ouverture, absences et rendez-vous, avec leurs horaires, participants et statut.
      </p>
    </AgentLayout>
  );
}

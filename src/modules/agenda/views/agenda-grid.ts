// Assembles the day and week grids from the agenda's read model: which columns (days, or agents
// side by side), what falls in each, and where it is drawn (rows and lanes from domain/).
import type { DayNumber, EpochMinutes } from '../../../shared/time/index.js';
import type { AgendaAppointment } from '../agenda.repository.js';
import type { AbsenceOccurrence, AgendaHoliday, OpeningOccurrence } from '../agenda-schedule.js';
import type { AgendaModel } from '../agenda.use-cases.js';
import { gridRows, layOutLanes, segmentsOfDay, visibleWindow, type DaySegment } from '../domain/agenda-layout.js';
import { formatDayHeading } from './agenda-format.js';

export type GridEntry =
  | { readonly kind: 'appointment'; readonly appointment: AgendaAppointment; readonly startsAtEpochMinutes: EpochMinutes; readonly endsAtEpochMinutes: EpochMinutes }
  | { readonly kind: 'opening'; readonly opening: OpeningOccurrence; readonly startsAtEpochMinutes: EpochMinutes; readonly endsAtEpochMinutes: EpochMinutes }
  | { readonly kind: 'absence'; readonly absence: AbsenceOccurrence; readonly startsAtEpochMinutes: EpochMinutes; readonly endsAtEpochMinutes: EpochMinutes };

/** An entry placed in a column: grid row, rows, first lane (1-based) and lanes spanned. */
export interface PlacedEntry {
  readonly entry: GridEntry;
  readonly segment: DaySegment<GridEntry>;
  readonly row: number;
  readonly rowSpan: number;
  readonly lane: number;
  readonly laneSpan: number;
}

export interface GridColumn {
  readonly key: string;
  readonly heading: string;
  readonly day: DayNumber;
  readonly holiday: AgendaHoliday | undefined;
  readonly laneCount: number;
  /** In reading order: by start, background blocks before the appointments that start with them. */
  readonly entries: readonly PlacedEntry[];
  readonly appointmentCount: number;
}

export interface GridSection {
  readonly key: string;
  /** The section's heading when the page has several (one per agent in a week of several agents). */
  readonly heading: string | null;
  readonly columns: readonly GridColumn[];
}

export interface AgendaGrid {
  readonly sections: readonly GridSection[];
  readonly window: { readonly startMinute: number; readonly endMinute: number };
  readonly rowCount: number;
}

interface ColumnSource {
  readonly key: string;
  readonly heading: string;
  readonly day: DayNumber;
  readonly entries: readonly GridEntry[];
}

const KIND_ORDER: Readonly<Record<GridEntry['kind'], number>> = { opening: 0, absence: 1, appointment: 2 };

function entriesOf(model: AgendaModel, agentId: number | null): GridEntry[] {
  const entries: GridEntry[] = [];
  for (const opening of model.openings) {
    if (agentId === null || opening.agentId === agentId) entries.push({ kind: 'opening', opening, startsAtEpochMinutes: opening.startsAtEpochMinutes, endsAtEpochMinutes: opening.endsAtEpochMinutes });
  }
  for (const absence of model.absences) {
    if (agentId === null || absence.agentId === agentId) entries.push({ kind: 'absence', absence, startsAtEpochMinutes: absence.startsAtEpochMinutes, endsAtEpochMinutes: absence.endsAtEpochMinutes });
  }
  for (const appointment of model.appointments) {
    if (agentId === null || appointment.agentIds.includes(agentId)) {
      entries.push({ kind: 'appointment', appointment, startsAtEpochMinutes: appointment.startsAtEpochMinutes, endsAtEpochMinutes: appointment.endsAtEpochMinutes });
    }
  }
  return entries;
}

/** The columns of the page, grouped in sections: days of one subject, agents side by side for a day, or a week per agent. */
function columnSources(model: AgendaModel): { key: string; heading: string | null; columns: ColumnSource[] }[] {
  const { subject, range } = model;
  const daysOf = (key: string, entries: readonly GridEntry[]): ColumnSource[] =>
    range.days.map((day) => ({ key: `${key}-${String(day)}`, heading: formatDayHeading(day), day, entries }));
  if (subject.kind === 'place') return [{ key: 'lieu', heading: null, columns: daysOf('lieu', entriesOf(model, null)) }];
  if (subject.agents.length === 1 || range.view === 'jour') {
    if (range.view === 'jour') {
      const day = range.days[0] ?? range.date;
      return [
        {
          key: 'jour',
          heading: null,
          columns: subject.agents.map((agent) => ({ key: `agent-${String(agent.id)}`, heading: `${agent.firstName} ${agent.lastName}`, day, entries: entriesOf(model, agent.id) })),
        },
      ];
    }
    const agent = subject.agents[0];
    return [{ key: 'semaine', heading: null, columns: daysOf('agent', entriesOf(model, agent?.id ?? null)) }];
  }
  return subject.agents.map((agent) => ({
    key: `agent-${String(agent.id)}`,
    heading: `${agent.firstName} ${agent.lastName}`,
    columns: daysOf(`agent-${String(agent.id)}`, entriesOf(model, agent.id)),
  }));
}

/** Lays out the day or week page: every column shares the same hours, so they line up. */
export function buildAgendaGrid(model: AgendaModel): AgendaGrid {
  const holidays = new Map(model.holidays.map((holiday) => [holiday.day, holiday]));
  const sources = columnSources(model);
  const segmented = sources.map((section) => ({
    ...section,
    columns: section.columns.map((column) => ({ column, segments: segmentsOfDay(column.entries, column.day, model.timeZone) })),
  }));
  const window = visibleWindow(segmented.flatMap((section) => section.columns.flatMap((column) => column.segments)));
  const sections = segmented.map((section) => ({
    key: section.key,
    heading: section.heading,
    columns: section.columns.map(({ column, segments }): GridColumn => {
      const appointments = segments.filter((segment) => segment.entry.kind === 'appointment');
      const { items, laneCount } = layOutLanes(appointments);
      const lanes = Math.max(1, laneCount);
      const placed: PlacedEntry[] = segments
        .filter((segment) => segment.entry.kind !== 'appointment')
        .map((segment) => ({ entry: segment.entry, segment, ...gridRows(segment, window), lane: 1, laneSpan: lanes }));
      for (const item of items) placed.push({ entry: item.entry, segment: item, ...gridRows(item, window), lane: item.lane + 1, laneSpan: item.laneSpan });
      placed.sort((a, b) => a.segment.startMinute - b.segment.startMinute || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || a.segment.endMinute - b.segment.endMinute);
      return { key: column.key, heading: column.heading, day: column.day, holiday: holidays.get(column.day), laneCount: lanes, entries: placed, appointmentCount: appointments.length };
    }),
  }));
  return { sections, window, rowCount: (window.endMinute - window.startMinute) / 15 };
}

// French words of the agent appointment pages: statuses, warnings, and the history of changes
// read back from the audit log. Pure: the use cases give names and zones, these give sentences.
import type { AppointmentStatus, AppointmentWarning } from '../../appointments/index.js';

export const STATUS_LABELS: Readonly<Record<AppointmentStatus, string>> = {
  unknown: 'À venir ou à renseigner',
  seen: 'Vu',
  noshow: 'Absent non excusé',
  excused: 'Annulé à la demande de l’usager (excusé)',
  revoked: 'Annulé par le service',
};

/** The button of each target status on the detail page. */
export const STATUS_ACTIONS: Readonly<Record<AppointmentStatus, string>> = {
  seen: 'Vu',
  noshow: 'Absent non excusé',
  excused: 'Excusé',
  revoked: 'Annulé',
  unknown: 'Remettre à renseigner',
};

export interface Names {
  readonly agents: ReadonlyMap<number, string>;
  readonly users: ReadonlyMap<number, string>;
}

/** One sentence per warning, naming the agent or the usager. */
export function describeWarning(warning: AppointmentWarning, names: Names): string {
  const agent = warning.agentId === null ? 'l’agent' : (names.agents.get(warning.agentId) ?? 'un agent');
  const user = warning.userId === null ? 'l’usager' : (names.users.get(warning.userId) ?? 'un usager');
  switch (warning.kind) {
    case 'overlap':
      return `Chevauchement : ${agent} a déjà un rendez-vous sur cet horaire.`;
    case 'outside_opening':
      return `Hors des plages d’ouverture de ${agent} pour ce motif.`;
    case 'absence':
      return `Pendant une absence de ${agent}.`;
    case 'same_motif_same_day':
      return `${user} a déjà un rendez-vous pour ce motif le même jour.`;
    case 'in_past':
      return 'Le rendez-vous commence dans le passé.';
  }
}

const WARNING_NAMES: Readonly<Record<string, string>> = {
  overlap: 'chevauchement',
  outside_opening: 'hors plages d’ouverture',
  absence: 'pendant une absence',
  same_motif_same_day: 'même motif le même jour',
  in_past: 'dans le passé',
};

/** "chevauchement, hors plages d’ouverture" from the audit's `overlap:7,outside_opening:7`. */
export function describeOverriddenWarnings(keys: string): string {
  const kinds = [...new Set(keys.split(',').map((key) => key.split(':')[0] ?? '').filter((kind) => kind !== ''))];
  return kinds.map((kind) => WARNING_NAMES[kind] ?? kind).join(', ');
}

export type HistoryActor = { readonly type: string; readonly agentName: string | null };

/** Who did it, as the history says it. */
export function describeActor(actor: HistoryActor): string {
  switch (actor.type) {
    case 'agent':
      return actor.agentName ?? 'un agent';
    case 'user':
      return 'l’usager';
    case 'prescripteur':
      return 'un prescripteur';
    case 'api_client':
      return 'un logiciel partenaire';
    default:
      return 'le système';
  }
}

type Details = Readonly<Record<string, unknown>>;

function text(details: Details, key: string): string | null {
  const value = details[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function idList(value: string | null): string[] {
  return value === null ? [] : value.split(',').filter((id) => id !== '');
}

function isStatus(value: string | null): value is AppointmentStatus {
  return value !== null && value in STATUS_LABELS;
}

/** What an audit entry of the appointment changed, in French (several lines for an agent's update). */
export function describeHistoryEntry(
  entry: { readonly action: string; readonly details: Details },
  formatInstant: (iso: string) => string,
  names: Names,
): string[] {
  const details = entry.details;
  const lines: string[] = [];
  if (entry.action === 'create') {
    lines.push(details.channel === 'agent' ? 'Rendez-vous créé dans l’espace agents.' : 'Rendez-vous pris en ligne.');
  } else {
    switch (details.change) {
      case 'status': {
        const from = text(details, 'previousStatus');
        const to = text(details, 'status');
        lines.push(`Statut : ${isStatus(from) ? STATUS_LABELS[from] : '?'} → ${isStatus(to) ? STATUS_LABELS[to] : '?'}.`);
        break;
      }
      case 'cancel':
        lines.push('Annulé par l’usager.');
        break;
      case 'reschedule': {
        const from = text(details, 'previousStartsAt');
        const to = text(details, 'startsAt');
        lines.push(`Déplacé par l’usager${from === null ? '' : ` du ${formatInstant(from)}`}${to === null ? '' : ` au ${formatInstant(to)}`}.`);
        break;
      }
      case 'agent_update': {
        const fromStart = text(details, 'previousStartsAt');
        const toStart = text(details, 'startsAt');
        if (fromStart !== null && toStart !== null && fromStart !== toStart) lines.push(`Horaire : ${formatInstant(fromStart)} → ${formatInstant(toStart)}.`);
        else if (text(details, 'previousEndsAt') !== text(details, 'endsAt')) lines.push('Durée modifiée.');
        if (details.previousPlaceId !== details.placeId) lines.push('Lieu modifié.');
        if (text(details, 'previousAgentIds') !== text(details, 'agentIds')) {
          const agents = idList(text(details, 'agentIds')).map((id) => names.agents.get(Number(id)) ?? 'un agent');
          lines.push(`Agents : ${agents.join(', ')}.`);
        }
        const added = idList(text(details, 'addedUserIds')).length;
        const removed = idList(text(details, 'removedUserIds')).length;
        if (added > 0) lines.push(added === 1 ? 'Un participant ajouté.' : `${String(added)} participants ajoutés.`);
        if (removed > 0) lines.push(removed === 1 ? 'Un participant retiré.' : `${String(removed)} participants retirés.`);
        if (details.contextChanged === true) lines.push('Contexte modifié.');
        break;
      }
      default:
        lines.push('Rendez-vous modifié.');
    }
  }
  const overridden = text(details, 'overriddenWarnings');
  if (overridden !== null) lines.push(`Avertissements passés outre : ${describeOverriddenWarnings(overridden)}.`);
  return lines;
}

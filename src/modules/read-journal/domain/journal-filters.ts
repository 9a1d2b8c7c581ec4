/**
 * The filters of the read journal page (issue 10 §2), as typed in its GET form: an agent (one of
 * the territory's, chosen in a list), a usager's number, a period of days in the organisation's
 * zone, a page. Pure: the route gives the zone and the territory's agents; an unknown agent is
 * the route's 404, a malformed value a 422 with a French message.
 */
import { addDays, localToEpochMinutes, epochMinutesToDate, parseIsoDate } from '../../../shared/time/index.js';

/** Entries per page. */
export const JOURNAL_PAGE_SIZE = 50;
/** Pages beyond this are not offered (an offset further would be slow and pointless: filter). */
export const JOURNAL_MAX_PAGE = 200;

export interface JournalFilterInput {
  readonly agent?: string | undefined;
  readonly usager?: string | undefined;
  readonly du?: string | undefined;
  readonly au?: string | undefined;
  readonly page?: string | undefined;
}

export interface JournalFilters {
  readonly agentId?: number;
  readonly userId?: number;
  /** [from, to) on `occurred_at`. */
  readonly from?: Date;
  readonly to?: Date;
  /** 1-based. */
  readonly page: number;
}

export type JournalFiltersCheck = { readonly ok: true; readonly filters: JournalFilters } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

function positiveInteger(text: string, max: number): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

/** Checks the filters; empty fields mean « any ». */
export function parseJournalFilters(input: JournalFilterInput, timeZone: string): JournalFiltersCheck {
  const errors: Record<string, string> = {};
  const filters: { agentId?: number; userId?: number; from?: Date; to?: Date; page: number } = { page: 1 };
  const agent = input.agent?.trim() ?? '';
  if (agent !== '') {
    const agentId = positiveInteger(agent, 2_147_483_647);
    if (agentId === undefined) errors.agent = 'Choisissez un agent dans la liste.';
    else filters.agentId = agentId;
  }
  const usager = input.usager?.trim().replace(/^n°\s*/i, '') ?? '';
  if (usager !== '') {
    const userId = positiveInteger(usager, 2_147_483_647);
    if (userId === undefined) errors.usager = 'Le numéro d’usager est un nombre entier, par exemple 1234.';
    else filters.userId = userId;
  }
  let fromDay: number | undefined;
  const du = input.du?.trim() ?? '';
  if (du !== '') {
    const day = parseIsoDate(du);
    if (day === null) errors.du = 'La date de début est une date au format jj/mm/aaaa.';
    else {
      fromDay = day;
      filters.from = epochMinutesToDate(localToEpochMinutes(timeZone, day, 0));
    }
  }
  const au = input.au?.trim() ?? '';
  if (au !== '') {
    const day = parseIsoDate(au);
    if (day === null) errors.au = 'La date de fin est une date au format jj/mm/aaaa.';
    else if (fromDay !== undefined && day < fromDay) errors.au = 'La date de fin est le même jour que la date de début ou après.';
    else filters.to = epochMinutesToDate(localToEpochMinutes(timeZone, addDays(day, 1), 0));
  }
  const page = input.page?.trim() ?? '';
  if (page !== '') {
    const value = positiveInteger(page, JOURNAL_MAX_PAGE);
    if (value === undefined) errors.page = `La page est un nombre entre 1 et ${String(JOURNAL_MAX_PAGE)}.`;
    else filters.page = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, filters };
}

/** The query string of a page of the journal with the same filters. */
export function journalQuery(input: JournalFilterInput, page?: number): string {
  const query = new URLSearchParams();
  for (const name of ['agent', 'usager', 'du', 'au'] as const) {
    const value = input[name]?.trim();
    if (value !== undefined && value !== '') query.set(name, value);
  }
  if (page !== undefined && page > 1) query.set('page', String(page));
  return query.toString();
}

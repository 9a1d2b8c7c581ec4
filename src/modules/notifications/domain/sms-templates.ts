// SMS texts of appointment events (rdv-service-public.md §4.3, ecosystem.md §5.2). Three rules:
// - the motif never appears (it can tell a health or social situation to whoever sees the phone):
//   only the service's short name, the time, the place and the link;
// - the text is GSM-7 (toGsm7), so that a typographic apostrophe never doubles the bill;
// - it fits one segment (160 septets): when too long, the text is shortened in a fixed order
//   (SHORTENING_STEPS) — the address goes first, then the place name is cut with '.', then the
//   weekday, the label before the link, the beneficiaries' first names. The link is never cut.
import { countSegments, toGsm7 } from './gsm7.js';
import type { AppointmentMessageFacts, LocationType } from './message-facts.js';

/** What one SMS holds in GSM-7. */
const ONE_SEGMENT_SEPTETS = 160;

/** How a text may be shortened; each step of SHORTENING_STEPS is tried in turn. */
interface Shortening {
  readonly address: boolean;
  readonly weekday: boolean;
  /** Words before the link or phone number: `Infos et annulation:`, `Infos:`, or none. */
  readonly label: 'long' | 'short' | 'none';
  readonly beneficiaries: boolean;
  /** Null: the place name is whole; a number: it may be cut (ending with '.') to no fewer characters than this. */
  readonly placeNameMinimum: number | null;
}

/** The fixed order in which a text is shortened until it fits one segment. */
const SHORTENING_STEPS: readonly Shortening[] = [
  { address: true, weekday: true, label: 'long', beneficiaries: true, placeNameMinimum: null },
  { address: false, weekday: true, label: 'long', beneficiaries: true, placeNameMinimum: null },
  { address: false, weekday: true, label: 'long', beneficiaries: true, placeNameMinimum: 16 },
  { address: false, weekday: false, label: 'long', beneficiaries: true, placeNameMinimum: 16 },
  { address: false, weekday: false, label: 'short', beneficiaries: true, placeNameMinimum: 12 },
  { address: false, weekday: false, label: 'short', beneficiaries: false, placeNameMinimum: 12 },
  { address: false, weekday: false, label: 'none', beneficiaries: false, placeNameMinimum: 6 },
];

const LOCATION_WORDS: Readonly<Record<Exclude<LocationType, 'public_office'>, string>> = {
  phone: 'Par téléphone',
  home: 'A domicile',
  visio: 'En visio',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'short', day: 'numeric', month: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `mar. 3/12 à 14h30`, `3/12 à 9h` (no weekday) — in the place's zone. */
export function formatSmsDateTime(at: Date, timeZone: string, options: { readonly weekday: boolean } = { weekday: true }): string {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((part) => [part.type, part.value]));
  const minute = parts.minute === '00' ? '' : (parts.minute ?? '');
  const text = `${String(Number(parts.day))}/${String(Number(parts.month))} à ${String(Number(parts.hour))}h${minute}`;
  return options.weekday ? `${parts.weekday ?? ''} ${text}` : text;
}

/** One line of free text (names, addresses): GSM-7, single spaces, no line break. */
function inline(text: string): string {
  return toGsm7(text).replace(/\s+/g, ' ').trim();
}

/** Septets of a GSM-7 text. */
function septets(text: string): number {
  return countSegments(text).units;
}

/** `pour Léa`, `pour Léa et Tom`, `pour Léa, Tom et Zoé`. */
function forWhom(names: readonly string[]): string {
  if (names.length === 0) return '';
  const last = names.at(-1) ?? '';
  return names.length === 1 ? ` pour ${last}` : ` pour ${names.slice(0, -1).join(', ')} et ${last}`;
}

/** The place name cut to `room` septets, ending with '.' ("Maison départementale des sol."). */
function cutPlaceName(name: string, room: number): string {
  if (septets(name) <= room) return name;
  let kept = '';
  let used = 0;
  for (const character of name) {
    used += septets(character);
    if (used > room - 1) break;
    kept += character;
  }
  return `${kept.replace(/[\s,;:.'"-]+$/, '')}.`;
}

/** The facts as GSM-7 pieces, normalised once for every shortening step. */
interface Pieces {
  readonly event: AppointmentMessageFacts['event'];
  readonly cancelledByUser: boolean;
  readonly rdv: string;
  readonly beneficiaries: string;
  readonly when: { readonly withWeekday: string; readonly withoutWeekday: string };
  readonly offered: { readonly withWeekday: string; readonly withoutWeekday: string } | null;
  /** The location line's fixed words (phone, home, visio), or null for a place (or no place). */
  readonly locationWords: string | null;
  readonly place: { readonly name: string; readonly address: string } | null;
  readonly link: string | null;
  readonly phone: string | null;
}

function piecesOf(facts: AppointmentMessageFacts): Pieces {
  const service = inline(facts.serviceShortName);
  const whenOf = (at: Date): Pieces['when'] => ({
    withWeekday: formatSmsDateTime(at, facts.timeZone, { weekday: true }),
    withoutWeekday: formatSmsDateTime(at, facts.timeZone, { weekday: false }),
  });
  const link = facts.link === null ? '' : toGsm7(facts.link.trim());
  const phone = facts.organisationPhone === null ? '' : inline(facts.organisationPhone);
  return {
    event: facts.event,
    cancelledByUser: facts.cancelledByUser,
    rdv: service === '' ? 'RDV' : `RDV ${service}`,
    beneficiaries: forWhom(facts.beneficiaryFirstNames.map(inline).filter((name) => name !== '')),
    when: whenOf(facts.startsAt),
    offered: facts.offeredStartsAt === null ? null : whenOf(facts.offeredStartsAt),
    locationWords: facts.locationType === 'public_office' ? null : LOCATION_WORDS[facts.locationType],
    place: facts.locationType === 'public_office' && facts.place !== null ? { name: inline(facts.place.name), address: inline(facts.place.address) } : null,
    link: link === '' ? null : link,
    phone: phone === '' ? null : phone,
  };
}

/** The line with the link (or, without one, the organisation's phone number). */
function actionLine(pieces: Pieces, label: Shortening['label']): string | null {
  const target = pieces.link ?? pieces.phone;
  if (target === null) return null;
  if (label === 'none') return target;
  const viaLink = pieces.link !== null;
  switch (pieces.event) {
    case 'appointment_cancelled':
      if (label === 'short') return viaLink ? `Reprendre RDV: ${target}` : `Tél. ${target}`;
      return viaLink ? `Pour reprendre RDV: ${target}` : `Pour reprendre RDV, appelez le ${target}`;
    case 'waitlist_offer':
      if (label === 'short') return viaLink ? `La prendre: ${target}` : `Tél. ${target}`;
      return viaLink ? `Pour la prendre: ${target}` : `Pour la prendre, appelez le ${target}`;
    case 'appointment_created':
    case 'appointment_updated':
    case 'reminder':
      if (label === 'short') return viaLink ? `Infos: ${target}` : `Tél. ${target}`;
      return `Infos et annulation: ${target}`;
  }
}

/** The text of an event at one shortening step, with `placeText` as the place. */
function compose(pieces: Pieces, step: Shortening, placeText: string): string {
  const who = step.beneficiaries ? pieces.beneficiaries : '';
  const when = step.weekday ? pieces.when.withWeekday : pieces.when.withoutWeekday;
  const location = pieces.locationWords ?? (pieces.place === null ? null : placeText);
  let lines: (string | null)[];
  switch (pieces.event) {
    case 'appointment_created':
      lines = [`${pieces.rdv} confirmé: ${when}${who}`, location];
      break;
    case 'appointment_updated':
      lines = [`${pieces.rdv} modifié: ${when}${who}`, location];
      break;
    case 'reminder':
      lines = [`Rappel: ${pieces.rdv} ${when}${who}`, location];
      break;
    case 'appointment_cancelled':
      lines = [pieces.cancelledByUser ? `Annulation enregistrée: ${pieces.rdv} du ${when}${who}.` : `${pieces.rdv} du ${when}${who} annulé.`];
      break;
    case 'waitlist_offer': {
      const offered = pieces.offered === null ? null : step.weekday ? pieces.offered.withWeekday : pieces.offered.withoutWeekday;
      lines = [offered === null ? `Une place s'est libérée avant votre ${pieces.rdv} du ${when}${who}.` : `Place libérée: ${pieces.rdv} ${offered}${who} au lieu du ${when}.`];
      break;
    }
  }
  lines.push(actionLine(pieces, step.label));
  return lines.filter((line): line is string => line !== null).join('\n');
}

/** The text of one shortening step; when the step may cut the place name, cut to fit one segment if it can. */
function renderStep(pieces: Pieces, step: Shortening): string {
  const place = pieces.place;
  const name = place?.name ?? '';
  const address = place?.address ?? '';
  const fullPlace = step.address && address !== '' && address !== name ? (name === '' ? address : `${name}, ${address}`) : name;
  const whole = compose(pieces, step, fullPlace);
  if (step.placeNameMinimum === null || place === null || septets(whole) <= ONE_SEGMENT_SEPTETS) return whole;
  const room = ONE_SEGMENT_SEPTETS - septets(compose(pieces, step, ''));
  const minimum = Math.min(step.placeNameMinimum, septets(name));
  return compose(pieces, step, cutPlaceName(name, Math.max(room, minimum + 1)));
}

/**
 * The SMS text of an appointment event, already normalised to GSM-7: the service's short name
 * (never the motif), the weekday, day/month and time in the place's zone, the place (or `Par
 * téléphone`, `A domicile`, `En visio`), the beneficiaries' first names, and the link — or the
 * organisation's phone number when there is no link. The first step of SHORTENING_STEPS that fits
 * one segment wins; failing that, the first that fits two; failing that, the shortest.
 */
export function renderSms(facts: AppointmentMessageFacts): string {
  const pieces = piecesOf(facts);
  let firstOfTwoSegments: string | undefined;
  let shortest = '';
  for (const step of SHORTENING_STEPS) {
    const text = renderStep(pieces, step);
    const segments = countSegments(text).segments;
    if (segments === 1) return text;
    if (segments === 2) firstOfTwoSegments ??= text;
    shortest = text;
  }
  return firstOfTwoSegments ?? shortest;
}

// E-mails about appointments: French HTML + plain text with the same content, and the ICS
// invitation (notification-ics.ts). Pure functions of the facts.
//
// Rules the tests hold them to:
// - the motif is never in the subject nor in the calendar file (PRODUCT.md); the body names it
//   (agents always, usagers too: only the mailbox owner reads it);
// - every time is in the place's zone, named when it is not Europe/Paris ("heure de La Réunion");
// - every interpolated value is escaped; links are shown only when they are http(s) URLs;
// - the HTML reads on a phone and with a screen reader: one column, `lang="fr"`, a <title>, one
//   one role="main" landmark, <h1> then <h2>s, layout tables marked role="presentation", no image, no remote resource,
//   text at least 4.5:1 against its background (#161616 and #3a3a3a on white, white on #000091).

import { escapeHtml, escapeHtmlLines, formatWhen, normaliseLineBreaks, safeHttpUrl, singleLine, telUri } from './mail-format.js';
import type { AppointmentMessageFacts, RenderedMail } from './message-facts.js';
import { buildNotificationIcs } from './notification-ics.js';

export interface RenderMailOptions {
  /** When the message is produced (the ICS DTSTAMP). */
  readonly stampedAt: Date;
  /** The ICS ORGANIZER: a no-reply address (the territory's, or MAIL_FROM's address). */
  readonly organizerAddress: string;
  /** The address the message is sent to: the ICS's one ATTENDEE (RFC 5546 requires one). */
  readonly recipientAddress: string;
}

/** What a message says, in order; rendered once as HTML and once as text so both say the same. */
type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'details'; readonly rows: readonly DetailRow[] }
  | { readonly kind: 'instructions'; readonly text: string }
  | { readonly kind: 'link'; readonly label: string; readonly url: string }
  | { readonly kind: 'contact'; readonly organisationName: string; readonly phone: string }
  | { readonly kind: 'note'; readonly text: string };

interface DetailRow {
  readonly label: string;
  /** May hold line breaks (a place's name then its address). */
  readonly value: string;
}

interface MailContent {
  readonly subject: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

const NBSP = '\u00A0';

function whenOf(facts: AppointmentMessageFacts, at: Date): string {
  return formatWhen(at, facts.timeZone);
}

function placeRow(facts: AppointmentMessageFacts): DetailRow {
  switch (facts.locationType) {
    case 'public_office':
      return {
        label: 'Lieu',
        value: facts.place === null ? singleLine(facts.organisationName) : [singleLine(facts.place.name), normaliseLineBreaks(facts.place.address).trim()].filter((part) => part !== '').join('\n'),
      };
    case 'phone':
      return { label: 'Lieu', value: facts.audience === 'user' ? 'Par téléphone : vous serez appelé au numéro que vous avez indiqué' : 'Par téléphone' };
    case 'visio':
      return { label: 'Lieu', value: 'En visioconférence' };
    case 'home':
      return { label: 'Lieu', value: facts.audience === 'user' ? 'À votre domicile' : 'Au domicile de l’usager' };
  }
}

/** Date (or new and old dates), place, people, motif: the facts of the appointment. */
function detailRows(facts: AppointmentMessageFacts): DetailRow[] {
  const rows: DetailRow[] = [];
  if (facts.event === 'waitlist_offer') {
    if (facts.offeredStartsAt !== null) rows.push({ label: 'Créneau proposé', value: whenOf(facts, facts.offeredStartsAt) });
    rows.push({ label: 'Rendez-vous actuel', value: whenOf(facts, facts.startsAt) });
  } else if (facts.event === 'appointment_updated' && facts.previousStartsAt !== null && facts.previousStartsAt.getTime() !== facts.startsAt.getTime()) {
    rows.push({ label: 'Nouvelle date', value: whenOf(facts, facts.startsAt) }, { label: 'Ancienne date', value: whenOf(facts, facts.previousStartsAt) });
  } else {
    rows.push({ label: 'Date', value: whenOf(facts, facts.startsAt) });
  }
  rows.push(placeRow(facts));
  if (facts.collectiveTitle !== null && singleLine(facts.collectiveTitle) !== '') rows.push({ label: 'Atelier', value: singleLine(facts.collectiveTitle) });
  rows.push({ label: 'Motif', value: singleLine(facts.motifName) });
  const beneficiaries = facts.beneficiaryFirstNames.map(singleLine).filter((name) => name !== '');
  if (beneficiaries.length > 0) rows.push({ label: 'Pour', value: beneficiaries.join(', ') });
  const agents = facts.agentNames.map(singleLine).filter((name) => name !== '');
  if (agents.length > 0) rows.push({ label: 'Avec', value: agents.join(', ') });
  rows.push({ label: 'Service', value: singleLine(facts.organisationName) });
  return rows;
}

function instructionsOf(facts: AppointmentMessageFacts): Block[] {
  if (facts.instructions === null) return [];
  const text = normaliseLineBreaks(facts.instructions).trim();
  return text === '' ? [] : [{ kind: 'heading', text: 'À savoir avant le rendez-vous' }, { kind: 'instructions', text }];
}

function linkOf(facts: AppointmentMessageFacts, label: string): Block[] {
  const url = safeHttpUrl(facts.link);
  return url === null ? [] : [{ kind: 'link', label, url }];
}

function contactOf(facts: AppointmentMessageFacts): Block[] {
  if (facts.organisationPhone === null || singleLine(facts.organisationPhone) === '') return [];
  return [{ kind: 'contact', organisationName: singleLine(facts.organisationName), phone: singleLine(facts.organisationPhone) }];
}

const FREE_THE_SLOT = 'Si vous ne pouvez pas venir, annulez ou déplacez ce rendez-vous : le créneau servira à quelqu’un d’autre.';
const CALENDAR_NOTE = 'Le fichier joint (invite.ics) ajoute ce rendez-vous à votre agenda et le tient à jour.';

function userContent(facts: AppointmentMessageFacts): MailContent {
  const organisation = singleLine(facts.organisationName);
  const when = whenOf(facts, facts.startsAt);
  const manage = linkOf(facts, 'Voir, déplacer ou annuler');
  const details: Block = { kind: 'details', rows: detailRows(facts) };
  switch (facts.event) {
    case 'appointment_created':
      return {
        subject: `Rendez-vous confirmé le ${when}`,
        title: 'Votre rendez-vous est confirmé',
        blocks: [
          { kind: 'paragraph', text: 'Bonjour,' },
          { kind: 'paragraph', text: `Votre rendez-vous avec ${organisation} est confirmé.` },
          details,
          ...instructionsOf(facts),
          ...manage,
          { kind: 'paragraph', text: FREE_THE_SLOT },
          ...contactOf(facts),
          { kind: 'note', text: CALENDAR_NOTE },
        ],
      };
    case 'appointment_updated': {
      const moved = facts.previousStartsAt !== null && facts.previousStartsAt.getTime() !== facts.startsAt.getTime();
      return {
        subject: `Rendez-vous modifié : ${moved ? `désormais le ${when}` : `nouveau lieu le ${when}`}`,
        title: 'Votre rendez-vous a été modifié',
        blocks: [
          { kind: 'paragraph', text: 'Bonjour,' },
          { kind: 'paragraph', text: moved ? `Votre rendez-vous avec ${organisation} a changé de date. Voici ses nouvelles informations.` : `Le lieu de votre rendez-vous avec ${organisation} a changé. Voici ses nouvelles informations.` },
          details,
          ...instructionsOf(facts),
          ...manage,
          { kind: 'paragraph', text: FREE_THE_SLOT },
          ...contactOf(facts),
          { kind: 'note', text: CALENDAR_NOTE },
        ],
      };
    }
    case 'appointment_cancelled':
      return {
        subject: `Rendez-vous annulé : ${when}`,
        title: 'Votre rendez-vous est annulé',
        blocks: [
          { kind: 'paragraph', text: 'Bonjour,' },
          facts.cancelledByUser
            ? { kind: 'paragraph', text: `Vous avez annulé votre rendez-vous du ${when} avec ${organisation}. Votre annulation est bien enregistrée.` }
            : { kind: 'paragraph', text: `${organisation} a dû annuler votre rendez-vous du ${when}. Nous vous prions de nous excuser pour ce contretemps.` },
          details,
          ...(facts.cancelledByUser ? [] : [{ kind: 'paragraph', text: 'Pour prendre un nouveau rendez-vous, suivez le lien ci-dessous ou appelez le service.' } as const]),
          ...linkOf(facts, facts.cancelledByUser ? 'Voir mes rendez-vous' : 'Prendre un nouveau rendez-vous'),
          ...contactOf(facts),
          { kind: 'note', text: 'Le fichier joint (invite.ics) retire ce rendez-vous de votre agenda.' },
        ],
      };
    case 'reminder':
      return {
        subject: `Rappel : rendez-vous le ${when}`,
        title: 'Rappel de votre rendez-vous',
        blocks: [
          { kind: 'paragraph', text: 'Bonjour,' },
          { kind: 'paragraph', text: `Nous vous rappelons votre rendez-vous avec ${organisation}.` },
          details,
          ...instructionsOf(facts),
          ...manage,
          { kind: 'paragraph', text: FREE_THE_SLOT },
          ...contactOf(facts),
          { kind: 'note', text: CALENDAR_NOTE },
        ],
      };
    case 'waitlist_offer': {
      const offered = facts.offeredStartsAt === null ? null : whenOf(facts, facts.offeredStartsAt);
      return {
        subject: offered === null ? 'Un créneau plus tôt est disponible' : `Un créneau plus tôt est disponible : ${offered}`,
        title: 'Un créneau plus tôt est disponible',
        blocks: [
          { kind: 'paragraph', text: 'Bonjour,' },
          {
            kind: 'paragraph',
            text:
              offered === null
                ? `Un créneau plus tôt que votre rendez-vous du ${when} s’est libéré chez ${organisation}.`
                : `Un créneau s’est libéré chez ${organisation} le ${offered}, plus tôt que votre rendez-vous actuel du ${when}.`,
          },
          details,
          ...linkOf(facts, 'Voir et réserver ce créneau'),
          { kind: 'paragraph', text: 'Ce créneau peut être réservé par quelqu’un d’autre entre-temps. Si vous ne faites rien, votre rendez-vous actuel est conservé.' },
          ...contactOf(facts),
        ],
      };
    }
  }
}

function agentContent(facts: AppointmentMessageFacts): MailContent {
  const when = whenOf(facts, facts.startsAt);
  const open = linkOf(facts, 'Ouvrir le rendez-vous dans l’espace agent');
  const details: Block = { kind: 'details', rows: detailRows(facts) };
  const footer: Block = { kind: 'note', text: 'Vous recevez ce message selon vos préférences de notification, que vous pouvez changer dans votre profil de l’espace agent.' };
  switch (facts.event) {
    case 'appointment_created':
      return { subject: `Nouveau rendez-vous le ${when}`, title: 'Nouveau rendez-vous', blocks: [{ kind: 'paragraph', text: `Un rendez-vous a été pris pour le ${when}.` }, details, ...open, footer] };
    case 'appointment_updated': {
      const moved = facts.previousStartsAt !== null && facts.previousStartsAt.getTime() !== facts.startsAt.getTime();
      return {
        subject: `Rendez-vous modifié : ${moved ? `désormais le ${when}` : `nouveau lieu le ${when}`}`,
        title: 'Rendez-vous modifié',
        blocks: [{ kind: 'paragraph', text: moved ? 'Un rendez-vous a changé de date.' : 'Le lieu d’un rendez-vous a changé.' }, details, ...open, footer],
      };
    }
    case 'appointment_cancelled':
      return {
        subject: `Rendez-vous annulé : ${when}`,
        title: 'Rendez-vous annulé',
        blocks: [{ kind: 'paragraph', text: facts.cancelledByUser ? `L’usager a annulé son rendez-vous du ${when}.` : `Le rendez-vous du ${when} a été annulé.` }, details, ...open, footer],
      };
    case 'reminder':
      return { subject: `Rappel : rendez-vous le ${when}`, title: 'Rappel de rendez-vous', blocks: [{ kind: 'paragraph', text: `Rappel de votre rendez-vous du ${when}.` }, details, ...open, footer] };
    case 'waitlist_offer': {
      const offered = facts.offeredStartsAt === null ? null : whenOf(facts, facts.offeredStartsAt);
      return {
        subject: offered === null ? 'Créneau proposé à un usager en liste d’attente' : `Créneau proposé à un usager en liste d’attente : ${offered}`,
        title: 'Créneau proposé à un usager en liste d’attente',
        blocks: [{ kind: 'paragraph', text: `Un créneau plus tôt a été proposé pour le rendez-vous du ${when}.` }, details, ...open, footer],
      };
    }
  }
}

// ---- HTML -------------------------------------------------------------------------------------

const TEXT_COLOR = '#161616';
const MUTED_COLOR = '#3a3a3a';
const ACCENT_COLOR = '#000091';
const FONT = 'font-family:Arial,Helvetica,sans-serif;';

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${escapeHtml(block.text)}</p>`;
    case 'heading':
      return `<h2 style="margin:24px 0 8px;font-size:18px;line-height:24px;color:${TEXT_COLOR};">${escapeHtml(block.text)}</h2>`;
    case 'details':
      // Margins only, no spacer element: a screen reader would announce an empty block.
      return block.rows
        .map((row, index) => `<p style="margin:0 0 ${index === block.rows.length - 1 ? '24px' : '8px'};"><strong>${escapeHtml(row.label)}${NBSP}:</strong> ${escapeHtmlLines(row.value)}</p>`)
        .join('\n');
    case 'instructions':
      return `<p style="margin:0 0 16px;">${escapeHtmlLines(block.text)}</p>`;
    case 'link': {
      const href = escapeHtml(block.url);
      return [
        `<p style="margin:24px 0 8px;"><a href="${href}" style="display:inline-block;padding:12px 20px;background-color:${ACCENT_COLOR};color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px;">${escapeHtml(block.label)}</a></p>`,
        `<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:${MUTED_COLOR};">Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur${NBSP}: <a href="${href}" style="color:${ACCENT_COLOR};word-break:break-all;">${escapeHtml(block.url)}</a></p>`,
      ].join('\n');
    }
    case 'contact': {
      const tel = telUri(block.phone);
      const phone = tel === null ? escapeHtml(block.phone) : `<a href="${escapeHtml(tel)}" style="color:${ACCENT_COLOR};">${escapeHtml(block.phone)}</a>`;
      return `<p style="margin:0 0 16px;">Une question${NBSP}? Contactez ${escapeHtml(block.organisationName)} au ${phone}.</p>`;
    }
    case 'note':
      return `<p style="margin:16px 0 0;font-size:14px;line-height:20px;color:${MUTED_COLOR};">${escapeHtml(block.text)}</p>`;
  }
}

function renderHtml(content: MailContent, organisationName: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="fr" dir="ltr">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(content.subject)}</title>`,
    '</head>',
    `<body style="margin:0;padding:0;background-color:#f6f6f6;color:${TEXT_COLOR};">`,
    // One landmark around everything: a screen reader opening the message lands on its content.
    '<div role="main">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:#f6f6f6;">',
    '<tr><td align="center" style="padding:16px 8px;">',
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-top:4px solid ${ACCENT_COLOR};">`,
    `<tr><td style="padding:24px 20px;${FONT}font-size:16px;line-height:24px;color:${TEXT_COLOR};text-align:left;">`,
    `<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:${MUTED_COLOR};">${escapeHtml(organisationName)}</p>`,
    `<h1 style="margin:0 0 16px;font-size:24px;line-height:32px;color:${TEXT_COLOR};">${escapeHtml(content.title)}</h1>`,
    ...content.blocks.map(htmlBlock),
    '</td></tr>',
    '</table>',
    '</td></tr>',
    '</table>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ---- Text -------------------------------------------------------------------------------------

function textBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return block.text;
    case 'heading':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'details':
      return block.rows.map((row) => `${row.label}${NBSP}: ${row.value.split('\n').join('\n  ')}`).join('\n');
    case 'instructions':
      return block.text;
    case 'link':
      return `${block.label}${NBSP}:\n${block.url}`;
    case 'contact':
      return `Une question${NBSP}? Contactez ${block.organisationName} au ${block.phone}.`;
  }
}

function renderText(content: MailContent, organisationName: string): string {
  return [organisationName, '', content.title, '='.repeat(content.title.length), '', content.blocks.map(textBlock).join('\n\n'), ''].join('\n');
}

/**
 * The e-mail of one appointment event for one recipient: subject (never the motif), HTML and
 * text with the same content, and the ICS invitation (REQUEST/CANCEL; none for a waitlist offer).
 */
export function renderMail(facts: AppointmentMessageFacts, options: RenderMailOptions): RenderedMail {
  const content = facts.audience === 'user' ? userContent(facts) : agentContent(facts);
  const organisationName = singleLine(facts.organisationName);
  return {
    subject: singleLine(content.subject),
    text: renderText(content, organisationName),
    html: renderHtml(content, organisationName),
    ics: buildNotificationIcs(facts, { stampedAt: options.stampedAt, organizerAddress: options.organizerAddress, attendeeAddress: options.recipientAddress }),
  };
}

import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildFacts, MOTIF } from './mail-facts.test-builders.js';
import { formatWhen, safeHttpUrl, telUri } from './mail-format.js';
import { renderMail, type RenderMailOptions } from './mail-templates.js';
import type { AppointmentEvent, AppointmentMessageFacts } from './message-facts.js';

const OPTIONS: RenderMailOptions = {
  stampedAt: new Date('2026-11-24T09:00:00Z'),
  organizerAddress: 'ne-pas-repondre@rdv.example.fr',
  recipientAddress: 'jeanne.martin@example.fr',
};

const EVENTS: readonly AppointmentEvent[] = ['appointment_created', 'appointment_updated', 'appointment_cancelled', 'reminder', 'waitlist_offer'];
const AUDIENCES = ['user', 'agent'] as const;

/** Every (event, audience) pair, with the facts each event comes with. */
function everyMessage(overrides: Partial<AppointmentMessageFacts> = {}): { label: string; facts: AppointmentMessageFacts }[] {
  return EVENTS.flatMap((event) =>
    AUDIENCES.map((audience) => ({
      label: `${event}/${audience}`,
      facts: buildFacts({
        event,
        audience,
        previousStartsAt: event === 'appointment_updated' ? new Date('2026-11-30T13:00:00Z') : null,
        offeredStartsAt: event === 'waitlist_offer' ? new Date('2026-11-26T08:00:00Z') : null,
        ...overrides,
      }),
    })),
  );
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': '\u00A0' };

/** What a reader of the HTML sees: tags removed, entities decoded, white space collapsed. */
function visibleText(html: string): string {
  const body = html.slice(html.indexOf('<body'));
  return body
    .replace(/<br>/g, ' ')
    .replace(/<\/?(a|strong)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function summaryOf(ics: string): string {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const vevent = calendar.getFirstSubcomponent('vevent');
  expect(vevent).not.toBeNull();
  return new ICAL.Event(vevent ?? undefined).summary;
}

describe('renderMail — every event, both audiences', () => {
  it.each(everyMessage())('$label: one-line French subject without the motif, ICS summary without the motif', ({ facts }) => {
    const mail = renderMail(facts, OPTIONS);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject.length).toBeGreaterThan(10);
    expect(mail.subject).not.toContain(MOTIF);
    if (facts.event === 'waitlist_offer') {
      expect(mail.ics).toBeNull();
    } else {
      expect(mail.ics?.method).toBe(facts.event === 'appointment_cancelled' ? 'CANCEL' : 'REQUEST');
      expect(summaryOf(mail.ics?.content ?? '')).toBe('Rendez-vous – MDS de Melun');
      expect(mail.ics?.content.replace(/\r\n /g, '')).not.toContain(MOTIF);
    }
  });

  it.each(everyMessage())('$label: accessible single-column HTML with no remote resource', ({ facts }) => {
    const { html, subject } = renderMail(facts, OPTIONS);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="fr" dir="ltr">')).toBe(true);
    expect(html).toContain(`<title>${subject}</title>`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    // layout tables only, each marked as such for screen readers
    const tables = html.match(/<table[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table).toContain('role="presentation"');
    expect(html).not.toMatch(/<(img|script|link|style|iframe|object|form)\b/i);
    expect(html).not.toMatch(/\bsrc=|url\(|@import/i);
    // every href is the message's own link or a phone number
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(https:\/\/rdv\.example\.fr\/|tel:)/);
  });

  it.each(everyMessage())('$label: the text version says what the HTML says', ({ facts }) => {
    const { html, text } = renderMail(facts, OPTIONS);
    const visible = visibleText(html);
    const lines = text
      .split('\n')
      .map((line) => collapse(line).replace(/\s:$/, ''))
      .filter((line) => line !== '' && !/^[=-]+$/.test(line));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(visible, line).toContain(line);
    expect(text).not.toContain('<');
  });

  it.each(everyMessage({ audience: 'agent' }).filter(({ facts }) => facts.audience === 'agent'))('$label: tells the agent the motif and links to the workspace', ({ facts }) => {
    const agentLink = 'https://rdv.example.fr/agents/rdv/0f8fad5b';
    const mail = renderMail({ ...facts, link: agentLink }, OPTIONS);
    expect(mail.text).toContain(`Motif\u00A0: ${MOTIF}`);
    expect(mail.html).toContain(`<strong>Motif\u00A0:</strong> ${MOTIF}`);
    expect(mail.html).toContain(`href="${agentLink}"`);
    expect(mail.text).toContain('Ouvrir le rendez-vous dans l’espace agent');
  });
});

describe('renderMail — what the usager reads', () => {
  it('confirms a booking with the date, place, instructions, the token link and the phone number', () => {
    const mail = renderMail(buildFacts(), OPTIONS);
    expect(mail.subject).toBe('Rendez-vous confirmé le mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Date\u00A0: mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Lieu\u00A0: Maison des solidarités\n  20 quai Hippolyte Rossignol, 77000 Melun');
    expect(mail.text).toContain('Apportez le carnet de santé.');
    expect(mail.text).toContain('Voir, déplacer ou annuler\u00A0:\nhttps://rdv.example.fr/r/abcdefghijkl');
    expect(mail.html).toContain('<a href="https://rdv.example.fr/r/abcdefghijkl"');
    expect(mail.html).toContain('>Voir, déplacer ou annuler</a>');
    expect(mail.html).toContain('<h2 style="margin:24px 0 8px;font-size:18px;line-height:24px;color:#161616;">À savoir avant le rendez-vous</h2>');
    expect(mail.html).toContain('<a href="tel:0164102030" style="color:#000091;">01 64 10 20 30</a>');
    expect(mail.text).toContain('Une question\u00A0? Contactez MDS de Melun au 01 64 10 20 30.');
  });

  it('shows the old and the new date of a moved appointment', () => {
    const mail = renderMail(buildFacts({ event: 'appointment_updated', previousStartsAt: new Date('2026-11-30T13:00:00Z'), sequence: 1 }), OPTIONS);
    expect(mail.subject).toBe('Rendez-vous modifié : désormais le mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Nouvelle date\u00A0: mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Ancienne date\u00A0: lundi 30 novembre 2026 à 14h00');
    expect(mail.html).toContain('<strong>Ancienne date\u00A0:</strong> lundi 30 novembre 2026 à 14h00');
  });

  it('says the place changed when the time did not', () => {
    const mail = renderMail(buildFacts({ event: 'appointment_updated', previousStartsAt: null }), OPTIONS);
    expect(mail.subject).toBe('Rendez-vous modifié : nouveau lieu le mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Le lieu de votre rendez-vous avec MDS de Melun a changé.');
    expect(mail.text).not.toContain('Ancienne date');
  });

  it('words a cancellation differently when the usager cancelled it', () => {
    const byUser = renderMail(buildFacts({ event: 'appointment_cancelled', cancelledByUser: true }), OPTIONS);
    const byService = renderMail(buildFacts({ event: 'appointment_cancelled', cancelledByUser: false }), OPTIONS);
    expect(byUser.subject).toBe('Rendez-vous annulé : mardi 1er décembre 2026 à 10h30');
    expect(byUser.text).toContain('Vous avez annulé votre rendez-vous du mardi 1er décembre 2026 à 10h30 avec MDS de Melun.');
    expect(byUser.text).not.toContain('excuser');
    expect(byService.text).toContain('MDS de Melun a dû annuler votre rendez-vous du mardi 1er décembre 2026 à 10h30.');
    expect(byService.text).toContain('Prendre un nouveau rendez-vous');
    // nothing to prepare for a cancelled appointment
    expect(byService.text).not.toContain('carnet de santé');
  });

  it('reminds with the date and asks to free the slot when the usager cannot come', () => {
    const mail = renderMail(buildFacts({ event: 'reminder' }), OPTIONS);
    expect(mail.subject).toBe('Rappel : rendez-vous le mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Si vous ne pouvez pas venir, annulez ou déplacez ce rendez-vous');
  });

  it('offers an earlier slot with a link to take it, and no calendar file', () => {
    const mail = renderMail(buildFacts({ event: 'waitlist_offer', offeredStartsAt: new Date('2026-11-26T08:00:00Z') }), OPTIONS);
    expect(mail.subject).toBe('Un créneau plus tôt est disponible : jeudi 26 novembre 2026 à 9h00');
    expect(mail.text).toContain('Créneau proposé\u00A0: jeudi 26 novembre 2026 à 9h00');
    expect(mail.text).toContain('Rendez-vous actuel\u00A0: mardi 1er décembre 2026 à 10h30');
    expect(mail.text).toContain('Voir et réserver ce créneau\u00A0:\nhttps://rdv.example.fr/r/abcdefghijkl');
    expect(mail.text).toContain('votre rendez-vous actuel est conservé');
    expect(mail.ics).toBeNull();
  });

  it('names relatives and the agent, and describes phone and home appointments without an address', () => {
    const phone = renderMail(buildFacts({ locationType: 'phone', place: null, beneficiaryFirstNames: ['Léa', 'Noé'] }), OPTIONS);
    expect(phone.text).toContain('Lieu\u00A0: Par téléphone : vous serez appelé au numéro que vous avez indiqué');
    expect(phone.text).toContain('Pour\u00A0: Léa, Noé');
    expect(phone.text).toContain('Avec\u00A0: Marie Dupont');
    expect(renderMail(buildFacts({ locationType: 'home', place: null }), OPTIONS).text).toContain('Lieu\u00A0: À votre domicile');
    expect(renderMail(buildFacts({ locationType: 'visio', place: null }), OPTIONS).text).toContain('Lieu\u00A0: En visioconférence');
  });

  it('leaves out the link and the phone when there is none', () => {
    const mail = renderMail(buildFacts({ link: null, organisationPhone: null }), OPTIONS);
    expect(mail.html).not.toContain('href="');
    expect(mail.text).not.toContain('Voir, déplacer ou annuler');
    expect(mail.text).not.toContain('Une question');
  });
});

describe('renderMail — times in the place’s zone', () => {
  it.each([
    ['Europe/Paris', '2026-12-01T09:30:00Z', 'mardi 1er décembre 2026 à 10h30'],
    ['Europe/Paris', '2026-07-01T08:00:00Z', 'mercredi 1er juillet 2026 à 10h00'],
    ['Indian/Reunion', '2026-12-01T06:30:00Z', 'mardi 1er décembre 2026 à 10h30 (heure de La Réunion)'],
    ['America/Guadeloupe', '2026-12-01T14:00:00Z', 'mardi 1er décembre 2026 à 10h00 (heure de la Guadeloupe)'],
    ['America/Guadeloupe', '2026-12-02T02:30:00Z', 'mardi 1er décembre 2026 à 22h30 (heure de la Guadeloupe)'],
    ['Indian/Mayotte', '2026-12-01T05:00:00Z', 'mardi 1er décembre 2026 à 8h00 (heure de Mayotte)'],
  ])('%s: %s is shown as "%s" in the subject, the text and the HTML', (timeZone, startsAtIso, shown) => {
    const startsAt = new Date(startsAtIso);
    const mail = renderMail(buildFacts({ timeZone, startsAt, endsAt: new Date(startsAt.getTime() + 1_800_000) }), OPTIONS);
    expect(mail.subject).toBe(`Rendez-vous confirmé le ${shown}`);
    expect(mail.text).toContain(`Date\u00A0: ${shown}`);
    expect(mail.html).toContain(`<strong>Date\u00A0:</strong> ${shown}`);
  });

  it('names UTC when the zone is unknown rather than guessing', () => {
    expect(formatWhen(new Date('2026-12-01T09:30:00Z'), 'Nowhere/Unknown')).toBe('mardi 1er décembre 2026 à 9h30 (heure UTC)');
  });
});

describe('renderMail — hostile values', () => {
  const hostile = buildFacts({
    organisationName: '<script>alert("org")</script> & Cie\r\nBcc: espion@example.com',
    organisationPhone: '<b>01</b> 23',
    place: { name: '<img src=x onerror=alert(1)>', address: '1 rue "des Lilas" & l\'Église\n<iframe src=//evil>' },
    instructions: '</p><a href="javascript:alert(1)">clic</a>\nApportez vos papiers & <ceci>',
    beneficiaryFirstNames: ['Léa"><svg onload=alert(1)>'],
    agentNames: ["O'Brien <admin@example.com>"],
    collectiveTitle: 'Atelier <u>parents</u>',
    motifName: 'Motif <em>secret</em>',
    link: 'javascript:alert(document.cookie)',
  });

  it.each(EVENTS.flatMap((event) => AUDIENCES.map((audience) => ({ event, audience }))))('$event/$audience: escapes every value in the HTML and keeps the subject one line', ({ event, audience }) => {
    const mail = renderMail({ ...hostile, event, audience, previousStartsAt: new Date('2026-11-30T13:00:00Z'), offeredStartsAt: new Date('2026-11-26T08:00:00Z') }, OPTIONS);
    expect(mail.html).not.toMatch(/<(script|img|iframe|svg|ceci|u|em|b)\b/i);
    // the javascript: link is not rendered at all, and the one in the instructions is inert text
    expect(mail.html).not.toContain('href="');
    expect(mail.html).not.toContain('"><svg');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt; &amp; Cie Bcc: espion@example.com');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('1 rue &quot;des Lilas&quot; &amp; l&#39;Église<br>&lt;iframe src=//evil&gt;');
    expect(mail.html).toContain('Léa&quot;&gt;&lt;svg onload=alert(1)&gt;');
    expect(mail.html).toContain('O&#39;Brien &lt;admin@example.com&gt;');
    expect(mail.html).toContain('<title>');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    // the text version keeps the characters as typed (it is never interpreted as markup)
    expect(mail.text).toContain('1 rue "des Lilas" & l\'Église');
    expect(mail.text).not.toContain('javascript:alert(document.cookie)');
    // the phone is shown but not linked: it is not a number
    if (audience === 'user') expect(mail.html).toContain('&lt;b&gt;01&lt;/b&gt; 23');
  });

  it('keeps instructions’ line breaks as <br> and nothing else', () => {
    const mail = renderMail(hostile, OPTIONS);
    expect(mail.html).toContain('&lt;/p&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;clic&lt;/a&gt;<br>Apportez vos papiers &amp; &lt;ceci&gt;');
  });
});

describe('links and phone numbers', () => {
  it('accepts only absolute http(s) links', () => {
    expect(safeHttpUrl('https://rdv.example.fr/r/abc')).toBe('https://rdv.example.fr/r/abc');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,<b>x</b>')).toBeNull();
    expect(safeHttpUrl('/r/abc')).toBeNull();
    expect(safeHttpUrl('https://rdv.example.fr/r/a"b<c')).toBe('https://rdv.example.fr/r/a%22b%3Cc');
  });

  it('makes tel: links of French and overseas numbers only', () => {
    expect(telUri('01 64 10 20 30')).toBe('tel:0164102030');
    expect(telUri('+262 262 12 34 56')).toBe('tel:+262262123456');
    expect(telUri('01.64.10.20.30')).toBe('tel:0164102030');
    expect(telUri('appelez-nous')).toBeNull();
  });
});

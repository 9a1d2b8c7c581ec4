import type { AddressInfo } from 'node:net';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, DEMO_PASSWORD, DEMO_USER_EMAIL } from '../../src/seed/index.js';
import { TEST_NOW } from '../support/app.js';
import { expectAccessible, openPage, signInAgent, startDemoServer, type DemoServer } from './browser.js';

/**
 * Issue 9's journey, end to end: the demo usager books through the public funnel in Chromium;
 * the notification pump (in-process, on the app's clock) sends the confirmation over the real
 * SMTP adapter to a loopback SMTP server, where it is read back with mailparser and its
 * invitation with ical.js; an agent of the organisation moves the appointment from its edit page;
 * the update arrives with the same UID, a higher SEQUENCE and the new time. Every page visited
 * is checked by axe-core.
 */

/** One message as the SMTP sink received it. */
interface Received {
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/** A real SMTP server on loopback that keeps every message it receives. */
interface SmtpSink {
  readonly url: string;
  readonly messages: Received[];
  close(): Promise<void>;
}

async function startSmtpSink(): Promise<SmtpSink> {
  const messages: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            messages.push({ raw, parsed });
            callback();
          },
          (error: unknown) => {
            callback(error instanceof Error ? error : new Error('unparsable message'));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(resolve);
      }),
  };
}

function recipientsOf(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((address) => address.value.map((mailbox) => mailbox.address ?? ''));
}

/** The invitation, read with ical.js (its VTIMEZONE registered so that DTSTART resolves). */
function invitationOf(mail: ParsedMail): { method: string; event: ICAL.Event } {
  const attachment = mail.attachments.find((candidate) => candidate.filename === 'invite.ics');
  if (attachment === undefined) throw new Error('no invite.ics attachment');
  expect(attachment.contentType).toBe('application/ics');
  const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (vevent === null) throw new Error('no VEVENT');
  return { method: String(calendar.getFirstPropertyValue('method')), event: new ICAL.Event(vevent) };
}

/** `mardi 1 décembre 2026` and `9h30` in the zone, computed apart from the templates. */
function frenchDateAndTime(at: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((candidate) => candidate.type === type)?.value ?? '';
  const day = part('day') === '1' ? '1er' : part('day');
  return { date: `${part('weekday')} ${day} ${part('month')} ${part('year')}`, time: `${String(Number(part('hour')))}h${part('minute')}` };
}

/** Wall-clock fields of an instant in a zone, to compare with ical.js's DTSTART. */
function wallClock(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((candidate) => candidate.type === type)?.value);
  return { year: value('year'), month: value('month'), day: value('day'), hour: value('hour'), minute: value('minute') };
}

/**
 * The elements whose right edge passes the viewport's, with their widths: empty when the page
 * fits. Read after a frame, so the layout reflects the viewport just set.
 */
async function widerThanViewport(page: Page): Promise<string[]> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))');
  return page.evaluate(`(() => {
    const limit = document.documentElement.clientWidth;
    const offenders = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (Math.floor(box.right) > limit) offenders.push(element.tagName + ' ' + Math.round(box.right) + '>' + limit + ' ' + (element.textContent || '').slice(0, 60));
    }
    return offenders;
  })()`);
}

describe('notifications of a booking and of its move, through SMTP, in Chromium', () => {
  let sink: SmtpSink;
  let server: DemoServer;
  let baseUrl: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startDemoServer({ smtpUrl: sink.url, notificationPump: { pollMs: 200 } });
    ({ baseUrl } = server);
  });
  afterAll(async () => {
    await server.close();
    await sink.close();
  });

  /** Polls the sink (≤ 15 s) for the first message to the address that matches. */
  async function waitForMail(address: string, matches: (mail: Received) => boolean, what: string): Promise<Received> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const found = sink.messages.find((mail) => recipientsOf(mail.parsed).includes(address) && matches(mail));
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const errors = server.pumpLog.filter((entry) => entry.level !== 'info').map((entry) => `${entry.level}: ${entry.message} ${JSON.stringify(entry.details)}`);
    throw new Error(`${what}: not in the SMTP sink after 15 s (${String(sink.messages.length)} messages; pump: ${errors.join(' | ') || 'no warning'})`);
  }

  /** The demo usager's latest appointment (ids grow: the journey's booking is the newest). */
  async function bookedAppointment(): Promise<{ id: number; organisationId: number; publicId: string; startsAt: Date; timeZone: string; motifName: string; revision: number }> {
    const row = await server.database.db
      .selectFrom('appointments as a')
      .innerJoin('participations as p', 'p.appointment_id', 'a.id')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .innerJoin('appointment_types as t', 't.id', 'a.appointment_type_id')
      .select(['a.id', 'a.organisation_id', 'a.public_id', 'a.time_zone', 'a.revision', 't.name as motifName', sql<Date | string>`lower(a.during)`.as('startsAt')])
      .where('u.email', '=', DEMO_USER_EMAIL)
      .orderBy('a.id', 'desc')
      .executeTakeFirstOrThrow();
    return { id: row.id, organisationId: row.organisation_id, publicId: row.public_id, startsAt: new Date(row.startsAt), timeZone: row.time_zone, motifName: row.motifName, revision: row.revision };
  }

  /** Starts of the slots a public week page offers. */
  async function offeredStarts(page: Page): Promise<Date[]> {
    const links = await page.locator('a[href^="/prendre-rdv/creneau?"]').all();
    const hrefs = await Promise.all(links.map(async (link) => (await link.getAttribute('href')) ?? ''));
    return hrefs.map((href) => new Date(Number(new URL(href, baseUrl).searchParams.get('debut')) * 60_000)).sort((a, b) => a.getTime() - b.getTime());
  }

  /** The first publicly offered start after `after`, on another day (this week or the next). */
  async function laterFreeStart(page: Page, weekUrl: string, after: Date, timeZone: string): Promise<Date> {
    const dayOf = (at: Date): string => new Intl.DateTimeFormat('fr-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
    await page.goto(weekUrl);
    const later = (await offeredStarts(page)).filter((start) => start > after && dayOf(start) !== dayOf(after));
    if (later[0] !== undefined) return later[0];
    await page.getByRole('link', { name: 'Semaine suivante' }).click();
    const next = (await offeredStarts(page)).find((start) => start > after);
    if (next === undefined) throw new Error('no later slot offered');
    return next;
  }

  it('e-mails the booking with its invitation, then the move with the same UID and a higher SEQUENCE', { timeout: 180_000 }, async () => {
    const host = new URL(server.context.config.baseUrl).hostname;

    const before = await server.database.db.selectFrom('appointments').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    // 1. The demo usager signs in and books from the home page, a slot next week.
    const citizen = await openPage(server.browser);
    await citizen.goto(`${baseUrl}/connexion`);
    await citizen.getByLabel('Adresse e-mail').fill(DEMO_USER_EMAIL);
    await citizen.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await citizen.locator('main form button[type="submit"]').first().click();
    await citizen.waitForURL((url) => !url.pathname.startsWith('/connexion'));
    await citizen.goto(`${baseUrl}/`);
    await expectAccessible(citizen, 'notifications-1-home');
    await citizen.getByLabel('Votre adresse').fill('20 quai Hippolyte Rossignol 77000 Melun');
    await citizen.getByRole('button', { name: 'Rechercher' }).click();
    await citizen.getByRole('link', { name: 'Service social' }).click();
    await citizen.getByRole('link', { name: 'Premier rendez-vous avec une assistante sociale — Sur place' }).click();
    await expectAccessible(citizen, 'notifications-2-places');
    await citizen.locator('.fr-card__title a').first().click();
    await citizen.getByRole('link', { name: 'Semaine suivante' }).click();
    await expectAccessible(citizen, 'notifications-3-week');
    const weekUrl = citizen.url();
    await citizen.locator('a.fr-tag').first().click();
    await citizen.waitForURL(/prendre-rdv\/(creneau|confirmer|informations)|details/);
    await expectAccessible(citizen, 'notifications-4-confirm');
    await citizen.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    await expect(citizen.locator('h1').textContent()).resolves.toContain('Votre rendez-vous est confirmé');
    await expectAccessible(citizen, 'notifications-5-confirmed');

    const booked = await bookedAppointment();
    expect(booked.id).toBeGreaterThan(before.id);
    // The pump runs on the app's clock (TEST_NOW): the appointment is ahead of it.
    expect(booked.startsAt.getTime()).toBeGreaterThan(TEST_NOW.getTime());
    const bookedWhen = frenchDateAndTime(booked.startsAt, booked.timeZone);

    // 2. The confirmation reaches the SMTP sink.
    const confirmation = await waitForMail(DEMO_USER_EMAIL, (mail) => mail.parsed.subject?.startsWith('Rendez-vous confirmé') === true, 'confirmation e-mail');
    expect(confirmation.parsed.subject).toBe(`Rendez-vous confirmé le ${bookedWhen.date} à ${bookedWhen.time}`);
    expect(confirmation.parsed.subject).not.toContain(booked.motifName);
    expect(confirmation.parsed.text).toContain(`${bookedWhen.date} à ${bookedWhen.time}`);
    // The body names the motif (the subject and the calendar do not).
    expect(confirmation.parsed.text).toContain(booked.motifName);
    expect(confirmation.parsed.html).toEqual(expect.stringContaining('Votre rendez-vous est confirmé'));
    expect(confirmation.parsed.messageId).toMatch(new RegExp(`^<notification-\\d+@${host.replace(/\./g, '\\.')}>$`));
    expect(confirmation.raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST\r$/m);
    // The e-mail itself passes axe-core, as a page would (phones' mail apps render this HTML).
    expect(typeof confirmation.parsed.html).toBe('string');
    await citizen.setContent(String(confirmation.parsed.html), { waitUntil: 'load' });
    await expectAccessible(citizen, 'notifications-mail-confirmation');
    // Nothing wider than a small phone's screen: a page opened at that size from the start.
    const phone = await openPage(server.browser, { viewport: { width: 360, height: 740 } });
    await phone.setContent(String(confirmation.parsed.html), { waitUntil: 'load' });
    expect(await widerThanViewport(phone)).toEqual([]);
    await phone.context().close();
    const first = invitationOf(confirmation.parsed);
    expect(first.method).toBe('REQUEST');
    expect(first.event.uid).toBe(`${booked.publicId}@${host}`);
    expect(first.event.sequence).toBe(booked.revision);
    expect(first.event.summary).not.toContain(booked.motifName);
    expect(first.event.startDate.zone.tzid).toBe(booked.timeZone);
    expect(first.event.startDate.toJSDate().toISOString()).toBe(booked.startsAt.toISOString());
    const bookedClock = wallClock(booked.startsAt, booked.timeZone);
    expect({ year: first.event.startDate.year, month: first.event.startDate.month, day: first.event.startDate.day, hour: first.event.startDate.hour, minute: first.event.startDate.minute }).toEqual(bookedClock);

    // 3. The social worker's secretariat moves it to a later time, the next day, from the edit page.
    const agent = await openPage(server.browser);
    await signInAgent(agent, baseUrl, DEMO_AGENT_EMAILS.melunAdmin);
    const appointmentUrl = `${baseUrl}/agents/organisations/${String(booked.organisationId)}/rdv/${String(booked.id)}`;
    await agent.goto(appointmentUrl);
    await expectAccessible(agent, 'notifications-6-agent-appointment');
    await agent.getByRole('link', { name: 'Modifier le rendez-vous' }).click();
    await agent.waitForURL(/\/modifier$/);
    await expectAccessible(agent, 'notifications-7-agent-edit');
    // A later slot this place still offers publicly, on another day: free for the same agent.
    const movedTo = await laterFreeStart(citizen, weekUrl, booked.startsAt, booked.timeZone);
    const movedClock = wallClock(movedTo, booked.timeZone);
    const pad = (value: number): string => String(value).padStart(2, '0');
    await agent.locator('input[name="date"]').fill(`${String(movedClock.year)}-${pad(movedClock.month)}-${pad(movedClock.day)}`);
    await agent.locator('input[name="heure"]').fill(`${pad(movedClock.hour)}:${pad(movedClock.minute)}`);
    await agent.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await agent.waitForLoadState('load');
    if (/\/modifier$/.test(new URL(agent.url()).pathname)) {
      // Warnings (outside an opening period, an overlap): the agent confirms each one.
      const warnings = agent.locator('input[name="avertissements"]');
      expect(await warnings.count(), 'the edit page asks for confirmations only').toBeGreaterThan(0);
      await expectAccessible(agent, 'notifications-7b-agent-edit-warnings');
      for (const warning of await warnings.all()) await warning.check({ force: true });
      if ((await agent.locator('input[name="motifChevauchement"]').count()) > 0) await agent.locator('input[name="motifChevauchement"]').fill('Déplacement demandé par l’usagère');
      await agent.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    }
    await agent.waitForURL(new RegExp(`/rdv/${String(booked.id)}(\\?.*)?$`));
    await expectAccessible(agent, 'notifications-8-agent-moved');
    const moved = await bookedAppointment();
    expect(moved.id).toBe(booked.id);
    expect(moved.startsAt.toISOString()).toBe(movedTo.toISOString());
    expect(moved.revision).toBeGreaterThan(booked.revision);
    const movedWhen = frenchDateAndTime(movedTo, booked.timeZone);

    // 4. The update reaches the sink: same UID, higher SEQUENCE, the new start, both dates in the text.
    const update = await waitForMail(DEMO_USER_EMAIL, (mail) => mail.parsed.subject?.startsWith('Rendez-vous modifié') === true, 'update e-mail');
    expect(update.parsed.subject).toBe(`Rendez-vous modifié : désormais le ${movedWhen.date} à ${movedWhen.time}`);
    expect(update.parsed.subject).not.toContain(booked.motifName);
    expect(update.parsed.text).toContain(`${movedWhen.date} à ${movedWhen.time}`);
    expect(update.parsed.text).toContain(`${bookedWhen.date} à ${bookedWhen.time}`);
    expect(update.parsed.html).toEqual(expect.stringContaining(`${movedWhen.date} à ${movedWhen.time}`));
    expect(update.parsed.html).toEqual(expect.stringContaining(`${bookedWhen.date} à ${bookedWhen.time}`));
    expect(update.raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST\r$/m);
    await agent.setContent(String(update.parsed.html), { waitUntil: 'load' });
    await expectAccessible(agent, 'notifications-mail-update');
    const second = invitationOf(update.parsed);
    expect(second.method).toBe('REQUEST');
    expect(second.event.uid).toBe(first.event.uid);
    expect(second.event.sequence).toBe(moved.revision);
    expect(second.event.sequence).toBeGreaterThan(first.event.sequence);
    expect(second.event.startDate.zone.tzid).toBe(booked.timeZone);
    expect(second.event.startDate.toJSDate().toISOString()).toBe(movedTo.toISOString());

    // 5. Let the pump settle, then: nothing went twice, no subject names the motif, no pump error.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const messageIds = sink.messages.map((mail) => mail.parsed.messageId ?? '');
    expect(messageIds.every((messageId) => messageId !== '')).toBe(true);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    const toCitizen = sink.messages.filter((mail) => recipientsOf(mail.parsed).includes(DEMO_USER_EMAIL));
    expect(toCitizen.map((mail) => mail.parsed.subject)).toEqual([confirmation.parsed.subject, update.parsed.subject]);
    // Neither the usager's nor the agents' subjects, nor any calendar title, name the motif.
    for (const mail of sink.messages) {
      expect(mail.parsed.subject).not.toContain(booked.motifName);
      if (mail.parsed.attachments.some((attachment) => attachment.filename === 'invite.ics')) expect(invitationOf(mail.parsed).event.summary).not.toContain(booked.motifName);
    }
    expect(server.pumpLog.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});

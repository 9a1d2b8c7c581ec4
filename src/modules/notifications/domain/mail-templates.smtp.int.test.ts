// A rendered notification goes through the real SMTP adapter to a loopback SMTP server and is read
// back with mailparser and ical.js: what a mail client receives is what the templates wrote.
import type { AddressInfo } from 'node:net';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer, type Mailer } from '../../../platform/mailer/index.js';
import { buildFacts } from './mail-facts.test-builders.js';
import { renderMail } from './mail-templates.js';

describe('a rendered notification over SMTP', () => {
  const received: string[] = [];
  let server: SMTPServer;
  let mailer: Mailer;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    mailer = createSmtpMailer({ smtpUrl: `smtp://127.0.0.1:${String(port)}`, from: 'Créneau <ne-pas-repondre@rdv.example.fr>' });
  });

  afterAll(async () => {
    await mailer.close();
    await new Promise<void>((resolve) => {
      server.close(resolve);
    });
  });

  it.each([
    ['appointment_updated', 'REQUEST'],
    ['appointment_cancelled', 'CANCEL'],
  ] as const)('%s in La Réunion arrives with its bodies and a %s invitation at the right instant', async (event, method) => {
    received.length = 0;
    const facts = buildFacts({
      event,
      sequence: 2,
      timeZone: 'Indian/Reunion',
      startsAt: new Date('2026-12-01T06:30:00Z'),
      endsAt: new Date('2026-12-01T07:00:00Z'),
      previousStartsAt: new Date('2026-11-30T06:30:00Z'),
      organisationName: 'CCAS de Saint-Denis & « Nord »',
    });
    const rendered = renderMail(facts, { stampedAt: new Date('2026-11-24T09:00:00Z'), organizerAddress: 'ne-pas-repondre@rdv.example.fr', recipientAddress: 'jeanne.martin@example.fr' });
    expect(rendered.ics).not.toBeNull();
    await mailer.send({
      to: 'jeanne.martin@example.fr',
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      replyTo: { name: 'CCAS de Saint-Denis', address: 'ccas@saint-denis.example' },
      messageId: `<${facts.publicId}.${event}@rdv.example.fr>`,
      ...(rendered.ics === null ? {} : { calendar: rendered.ics }),
    });

    expect(received).toHaveLength(1);
    const parsed = await simpleParser(received[0]!);
    expect(parsed.subject).toBe(rendered.subject);
    expect(parsed.subject).toContain('(heure de La Réunion)');
    expect(parsed.text?.trim()).toBe(rendered.text.trim());
    expect(parsed.html).toBe(rendered.html);
    expect(parsed.messageId).toBe(`<${facts.publicId}.${event}@rdv.example.fr>`);
    expect(parsed.replyTo?.value[0]?.address).toBe('ccas@saint-denis.example');
    expect(received[0]!).toMatch(new RegExp(`^Content-Type: text/calendar; charset=utf-8; method=${method}\\r$`, 'm'));

    const invitation = parsed.attachments.find((attachment) => attachment.filename === 'invite.ics');
    expect(invitation?.contentType).toBe('application/ics');
    const calendar = new ICAL.Component(ICAL.parse(invitation?.content.toString('utf8') ?? '') as unknown[]);
    for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
    expect(calendar.getFirstPropertyValue('method')).toBe(method);
    const vevent = calendar.getFirstSubcomponent('vevent');
    const calendarEvent = new ICAL.Event(vevent ?? undefined);
    expect(calendarEvent.uid).toBe(`${facts.publicId}@rdv.example.fr`);
    expect(calendarEvent.sequence).toBe(2);
    expect(calendarEvent.summary).toBe('Rendez-vous – CCAS de Saint-Denis & « Nord »');
    expect(calendarEvent.startDate.zone.tzid).toBe('Indian/Reunion');
    expect(calendarEvent.startDate.hour).toBe(10);
    expect(calendarEvent.startDate.toJSDate().toISOString()).toBe('2026-12-01T06:30:00.000Z');
  });
});

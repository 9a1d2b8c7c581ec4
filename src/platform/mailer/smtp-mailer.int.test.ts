import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidMailMessageError, MailDeliveryError, type Mailer } from './mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

interface ReceivedMail {
  mailFrom: string;
  recipients: string[];
  authenticatedUser: string | undefined;
  raw: string;
}

const REJECTED_RECIPIENT = 'inconnu@example.fr';
const INVITATION = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Créneau//FR',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:rdv-42@creneau',
  'SEQUENCE:1',
  'DTSTAMP:20261124T090000Z',
  'DTSTART:20261201T090000Z',
  'DTEND:20261201T093000Z',
  'SUMMARY:Rendez-vous',
  'ORGANIZER;CN="MDS de Melun":mailto:ne-pas-repondre@creneau.example',
  'ATTENDEE;RSVP=FALSE:mailto:jeanne.martin@example.fr',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Créneau//FR', 'BEGIN:VEVENT', 'UID:rdv-42@creneau', 'DTSTART:20261201T090000Z', 'DTEND:20261201T093000Z', 'SUMMARY:Rendez-vous', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

/** Decodes a quoted-printable body (soft breaks and =XX bytes) as UTF-8. */
function decodeQuotedPrintable(text: string): string {
  const unfolded = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < unfolded.length; index += 1) {
    const char = unfolded[index] ?? '';
    const hex = unfolded.slice(index + 1, index + 3);
    if (char === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The MIME part whose headers match, decoded according to its transfer encoding. */
function findPart(raw: string, headerPattern: RegExp): { headers: string; body: string } | undefined {
  for (const part of raw.split(/\r\n--[^\r\n]+\r\n/)) {
    const separator = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, separator);
    if (!headerPattern.test(headers)) continue;
    const encoded = part.slice(separator + 4).replace(/\r\n--[^\r\n]+--\r\n?$/, '');
    if (/content-transfer-encoding: base64/i.test(headers)) return { headers, body: Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8') };
    if (/content-transfer-encoding: quoted-printable/i.test(headers)) return { headers, body: decodeQuotedPrintable(encoded) };
    return { headers, body: encoded };
  }
  return undefined;
}

describe('SMTP mailer against a loopback SMTP server', () => {
  const received: ReceivedMail[] = [];
  let server: SMTPServer;
  let port = 0;
  let mailer: Mailer;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'creneau' && auth.password === 's3cret') callback(null, { user: auth.username });
        else callback(new Error('Identifiants invalides'));
      },
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        if (address.address === REJECTED_RECIPIENT) {
          callback(Object.assign(new Error(`<${REJECTED_RECIPIENT}>: utilisateur inconnu`), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
            authenticatedUser: typeof session.user === 'string' ? session.user : undefined,
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
    mailer = createSmtpMailer({
      smtpUrl: `smtp://creneau:s3cret@127.0.0.1:${port}`,
      from: 'Créneau <ne-pas-repondre@creneau.example>',
    });
  });

  afterEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    await mailer.close();
    await new Promise<void>((resolve) => {
      server.close(resolve);
    });
  });

  it('delivers the envelope, subject, text body and an .ics attachment, authenticated', async () => {
    const sent = await mailer.send({
      to: 'jeanne.martin@example.fr',
      subject: 'Votre rendez-vous est confirmé',
      text: 'Bonjour,\nVotre rendez-vous du mardi 1er décembre à 10 h est confirmé.',
      html: '<p>Votre rendez-vous est <strong>confirmé</strong>.</p>',
      attachments: [{ filename: 'rendez-vous.ics', content: ICS, contentType: 'text/calendar; charset=utf-8; method=REQUEST' }],
    });

    expect(sent.messageId).toMatch(/^<.+@.+>$/);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.mailFrom).toBe('ne-pas-repondre@creneau.example');
    expect(mail.recipients).toEqual(['jeanne.martin@example.fr']);
    expect(mail.authenticatedUser).toBe('creneau');
    expect(mail.raw).toContain(`Message-ID: ${sent.messageId}`);
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?Q\?Votre_rendez-vous_est_confirm=C3=A9\?=/m);
    expect(findPart(mail.raw, /content-type: text\/plain/i)?.body).toContain('Votre rendez-vous du mardi 1er décembre à 10 h est confirmé.');
    expect(findPart(mail.raw, /content-type: text\/html/i)?.body).toContain('<strong>confirmé</strong>');
    const calendar = findPart(mail.raw, /content-type: text\/calendar/i);
    expect(calendar?.headers).toMatch(/filename=rendez-vous\.ics/);
    expect(calendar?.body).toBe(ICS);
  });

  it('sends a territory’s sender and reply-to, a fixed Message-ID and the invitation as calendar part and attachment', async () => {
    const message = {
      to: 'jeanne.martin@example.fr',
      subject: 'Rendez-vous confirmé le mardi 1er décembre 2026 à 10h00',
      text: 'Votre rendez-vous est confirmé.',
      html: '<!DOCTYPE html><html lang="fr"><body><p>Votre rendez-vous est <strong>confirmé</strong>.</p></body></html>',
      from: { name: 'Département de Seine-et-Marne, PMI', address: 'rdv@seine-et-marne.example' },
      replyTo: { name: 'MDS de Melun', address: 'mds.melun@seine-et-marne.example' },
      messageId: '<notification-7f3c9a@creneau.example>',
      calendar: { method: 'REQUEST' as const, content: INVITATION },
    };
    const sent = await mailer.send(message);
    // a retry of the same notification keeps its Message-ID
    const retried = await mailer.send(message);
    expect(sent.messageId).toBe('<notification-7f3c9a@creneau.example>');
    expect(retried.messageId).toBe(sent.messageId);
    expect(received).toHaveLength(2);
    expect(received[0]!.mailFrom).toBe('rdv@seine-et-marne.example');

    const parsed = await simpleParser(received[0]!.raw);
    expect(parsed.messageId).toBe('<notification-7f3c9a@creneau.example>');
    expect((await simpleParser(received[1]!.raw)).messageId).toBe('<notification-7f3c9a@creneau.example>');
    expect(parsed.from?.value).toEqual([{ name: 'Département de Seine-et-Marne, PMI', address: 'rdv@seine-et-marne.example' }]);
    expect(parsed.replyTo?.value).toEqual([{ name: 'MDS de Melun', address: 'mds.melun@seine-et-marne.example' }]);
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.text?.trim()).toBe('Votre rendez-vous est confirmé.');
    expect(parsed.html).toContain('<strong>confirmé</strong>');
    // the invitation twice: a text/calendar alternative with its method, and invite.ics
    expect(received[0]!.raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST\r$/m);
    const calendarPart = findPart(received[0]!.raw, /content-type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(calendarPart?.headers).not.toMatch(/filename=/);
    expect(calendarPart?.body).toBe(INVITATION);
    const attachment = parsed.attachments.find((candidate) => candidate.filename === 'invite.ics');
    expect(attachment?.contentType).toBe('application/ics');
    expect(attachment?.contentDisposition).toBe('attachment');
    expect(attachment?.content.toString('utf8')).toBe(INVITATION);
  });

  it('sends a cancellation with method=CANCEL', async () => {
    const cancellation = INVITATION.replace('METHOD:REQUEST', 'METHOD:CANCEL');
    await mailer.send({ to: 'jeanne.martin@example.fr', subject: 'Rendez-vous annulé', text: 'Annulé', calendar: { method: 'CANCEL', content: cancellation } });
    expect(received[0]!.raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=CANCEL\r$/m);
    const parsed = await simpleParser(received[0]!.raw);
    expect(parsed.attachments.find((candidate) => candidate.filename === 'invite.ics')?.content.toString('utf8')).toBe(cancellation);
  });

  it('refuses a sender, reply-to, Message-ID or invitation that could inject a header or mislead a client', async () => {
    const base = { to: 'jeanne.martin@example.fr', subject: 'Bonjour', text: 'x' };
    const invalid = [
      { ...base, replyTo: { address: 'a@b.fr\r\nBcc: espion@example.com' } },
      { ...base, replyTo: { address: 'a@b.fr, espion@example.com' } },
      { ...base, replyTo: { name: 'MDS\r\nBcc: espion@example.com', address: 'a@b.fr' } },
      { ...base, from: { name: 'Département', address: 'pas une adresse' } },
      { ...base, messageId: '<id@creneau.example>\r\nBcc: espion@example.com' },
      { ...base, messageId: 'sans-chevrons@creneau.example' },
      { ...base, calendar: { method: 'REQUEST' as const, content: INVITATION, filename: 'invite.ics\r\nX: y' } },
      // the part's method must be the file's
      { ...base, calendar: { method: 'CANCEL' as const, content: INVITATION } },
    ];
    for (const message of invalid) await expect(mailer.send(message)).rejects.toBeInstanceOf(InvalidMailMessageError);
    expect(received).toHaveLength(0);
  });

  it('reports a refused recipient as a permanent failure without quoting the address', async () => {
    const failure = await mailer.send({ to: REJECTED_RECIPIENT, subject: 'Rappel', text: 'Rappel de votre rendez-vous' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MailDeliveryError);
    const error = failure as MailDeliveryError;
    expect(error.smtpResponseCode).toBe(550);
    expect(error.isRetryable).toBe(false);
    expect(error.message).not.toContain(REJECTED_RECIPIENT);
    expect(received).toHaveLength(0);
  });

  it('refuses a subject that would inject a header', async () => {
    await expect(mailer.send({ to: 'jeanne.martin@example.fr', subject: 'Bonjour\r\nBcc: espion@example.com', text: 'x' })).rejects.toBeInstanceOf(
      InvalidMailMessageError,
    );
    await expect(mailer.send({ to: 'jeanne@example.fr, espion@example.com', subject: 'Bonjour', text: 'x' })).rejects.toBeInstanceOf(
      InvalidMailMessageError,
    );
  });

  it('reports an unreachable relay as a retryable failure', async () => {
    const unreachable = createSmtpMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'ne-pas-repondre@creneau.example' });
    const failure = await unreachable.send({ to: 'jeanne.martin@example.fr', subject: 'Rappel', text: 'x' }).catch((error: unknown) => error);
    await unreachable.close();
    expect(failure).toBeInstanceOf(MailDeliveryError);
    expect((failure as MailDeliveryError).isRetryable).toBe(true);
  });
});

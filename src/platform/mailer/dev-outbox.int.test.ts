import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { loadConfig } from '../../config.js';
import type { AppContext } from '../context.js';
import { registerErrorHandling } from '../http/error-handler.js';
import { createMailer, MailerConfigurationError } from './create-mailer.js';
import { createDevOutboxMailer } from './dev-outbox-mailer.js';
import { findOutboxEmail, listOutboxEmails } from './dev-outbox.repository.js';
import { registerSchemaCompilers } from '../http/schemas.js';
import { registerDevOutboxRoutes } from './dev-outbox.routes.js';
import type { Mailer } from './mailer.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

function contextFor(database: TestDatabase, nodeEnv: 'test' | 'production'): AppContext {
  const config = loadConfig({
    NODE_ENV: nodeEnv,
    LOG_LEVEL: 'silent',
    BASE_URL: 'https://creneau.example',
    // what production accepts (src/config.ts): generated secrets, PostgreSQL, the TLS proxy named
    SESSION_SECRET: 'q0Zk3r9yX1mB7cT4vN8wLh2sJ5pD6fG0aE3uI9oKzR1tY7xC4bV8nM2lQ6jW5eHs',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    SECRETS_ENCRYPTION_KEY: 'Zp4Lr8Tq2Wv6Ny0Bx3Mc7Kd1Hf5Gj9Sa2Qe6Ru0Io4Pl8Uk3Yt7Vm1Xn5Cb9Zw',
    DATABASE_URL: 'postgresql://creneau@db.example:5432/creneau',
    TRUST_PROXY: '10.0.0.0/8',
  });
  return { config, db: database.db, backend: database.backend, now: () => NOW, mailer: createDevOutboxMailer({ db: database.db, from: config.mailFrom, now: () => NOW }) };
}

describe('development outbox mailer', () => {
  let database: TestDatabase;
  let mailer: Mailer;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openTestDatabase();
    mailer = createDevOutboxMailer({ db: database.db, from: 'Créneau <ne-pas-repondre@creneau.example>', now: () => NOW });
    app = Fastify({ logger: false });
    registerSchemaCompilers(app);
    registerErrorHandling(app);
    registerDevOutboxRoutes(app, contextFor(database, 'test'));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('stores the message with its attachment bytes instead of sending it', async () => {
    const sent = await mailer.send({
      to: 'jeanne.martin@example.fr',
      subject: 'Votre rendez-vous est confirmé',
      text: 'Bonjour Jeanne',
      html: '<p>Bonjour</p>',
      attachments: [{ filename: 'rendez-vous.ics', content: ICS, contentType: 'text/calendar; charset=utf-8' }],
    });
    const [summary] = await listOutboxEmails(database.db);
    expect(summary).toMatchObject({ recipient: 'jeanne.martin@example.fr', subject: 'Votre rendez-vous est confirmé', attachmentCount: 1, createdAt: NOW });
    const stored = await findOutboxEmail(database.db, summary!.id);
    expect(stored).toMatchObject({ messageId: sent.messageId, sender: 'Créneau <ne-pas-repondre@creneau.example>', textBody: 'Bonjour Jeanne', htmlBody: '<p>Bonjour</p>' });
    expect(Buffer.from(stored!.attachments[0]!.contentBase64, 'base64').toString('utf8')).toBe(ICS);
  });

  it('stores a retried message with a fixed Message-ID once, with the territory’s sender and the invitation', async () => {
    const invitation = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    const message = {
      to: 'louise@example.fr',
      subject: 'Rendez-vous confirmé',
      text: 'Confirmé',
      from: { name: 'Département de Seine-et-Marne', address: 'rdv@seine-et-marne.example' },
      replyTo: { address: 'mds.melun@seine-et-marne.example' },
      messageId: '<notification-42@creneau.example>',
      calendar: { method: 'REQUEST' as const, content: invitation },
    };
    const first = await mailer.send(message);
    const retried = await mailer.send(message);
    expect(first.messageId).toBe('<notification-42@creneau.example>');
    expect(retried.messageId).toBe(first.messageId);
    const stored = (await listOutboxEmails(database.db)).filter((email) => email.recipient === 'louise@example.fr');
    expect(stored).toHaveLength(1);
    const email = await findOutboxEmail(database.db, stored[0]!.id);
    expect(email).toMatchObject({ messageId: '<notification-42@creneau.example>', sender: 'Département de Seine-et-Marne <rdv@seine-et-marne.example>' });
    expect(email!.attachments).toHaveLength(1);
    expect(email!.attachments[0]).toMatchObject({ filename: 'invite.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST' });
    expect(Buffer.from(email!.attachments[0]!.contentBase64, 'base64').toString('utf8')).toBe(invitation);
  });

  it('lists the messages latest first on /dev/outbox', async () => {
    await mailer.send({ to: 'paul@example.fr', subject: 'Rappel : rendez-vous demain', text: 'Rappel' });
    const response = await app.inject({ method: 'GET', url: '/dev/outbox' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.indexOf('Rappel : rendez-vous demain')).toBeLessThan(response.body.indexOf('Votre rendez-vous est confirmé'));
    expect(response.body).toContain('paul@example.fr');
  });

  it('shows one message with its bodies escaped, never as live HTML', async () => {
    await mailer.send({ to: 'eve@example.fr', subject: 'Sujet <b>gras</b>', text: 'Cliquez <script>alert(1)</script>', html: '<img src=x onerror=alert(1)>' });
    const [latest] = await listOutboxEmails(database.db);
    const response = await app.inject({ method: 'GET', url: `/dev/outbox/${latest!.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Cliquez &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(response.body).toContain('Sujet &lt;b&gt;gras&lt;/b&gt;');
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).not.toContain('<img src=x');
  });

  it('serves an attachment for download', async () => {
    const emails = await listOutboxEmails(database.db);
    const withAttachment = emails.find((email) => email.attachmentCount === 1 && email.recipient === 'jeanne.martin@example.fr')!;
    const response = await app.inject({ method: 'GET', url: `/dev/outbox/${withAttachment.id}/attachments/0` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    expect(response.headers['content-disposition']).toBe('attachment; filename="rendez-vous.ics"');
    expect(response.body).toBe(ICS);
  });

  it('answers 404 for an unknown message or attachment', async () => {
    expect((await app.inject({ method: 'GET', url: '/dev/outbox/999999' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/dev/outbox/abc' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/dev/outbox/1/attachments/7' })).statusCode).toBe(404);
  });

  it('registers no outbox page in production', async () => {
    const production = Fastify({ logger: false });
    expect(registerDevOutboxRoutes(production, contextFor(database, 'production'))).toBe(false);
    expect((await production.inject({ method: 'GET', url: '/dev/outbox' })).statusCode).toBe(404);
    await production.close();
  });

  it('refuses to fall back to the outbox in production', () => {
    expect(() =>
      createMailer({ nodeEnv: 'production', smtpUrl: undefined, mailFrom: 'ne-pas-repondre@creneau.example' }, { db: database.db, now: () => NOW }),
    ).toThrow(MailerConfigurationError);
  });
});
